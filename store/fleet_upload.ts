/**
 * Uploads the runs a scan kept in its local SQLite store to the fleet store (docs/fleet.md).
 * Every scan for a fleet store records its run locally first, marked for upload, and then
 * uploads every finished run still pending; a server that cannot be reached, or that goes away
 * mid-run, leaves the run here for the next scan. Each run is copied in one transaction with
 * its stable identity (`run_uid`, unique in the fleet store), so a run is never stored twice:
 * one already there (the upload committed but this process died before marking it) is only
 * marked.
 *
 * @module
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { ResultStore } from "./result_store.ts";
import type { StoreDatabase } from "./schema.ts";

/** The tables that hang off a run, copied with it (content links remapped by SHA-256). */
const RUN_CHILD_TABLES = [
  "runIocFiles",
  "detections",
  "skippedObjects",
  "skipCounts",
  "warnings",
  "actions",
  "findings",
] as const;

/** Rows per INSERT, far below both databases' bound-parameter limits. */
const INSERT_BATCH_ROWS = 500;

/** Columns of a local run that stay local. */
const LOCAL_ONLY_RUN_COLUMNS = ["id", "ownerRole", "uploadTarget", "uploadedAt"] as const;

/** One run's upload. */
export interface UploadedRun {
  /** The run's id in the local store. */
  localRunId: number;
  /** Its id in the fleet store. */
  fleetRunId: number;
  /** True when the fleet store already held it (uploaded before; only marked now). */
  already: boolean;
}

/**
 * Uploads, oldest first, every finished local run marked for `fleet`'s location and not yet
 * uploaded, and marks each uploaded in the local store.
 *
 * @throws Error from the fleet store (unreachable, refused); runs uploaded before it stay
 *   uploaded and marked, the others stay pending.
 */
export async function uploadPendingRuns(
  local: ResultStore,
  fleet: ResultStore,
  clock: () => Date = () => new Date(),
): Promise<UploadedRun[]> {
  const pending = await local.database.selectFrom("runs").select(["id", "runUid"])
    .where("uploadTarget", "=", fleet.location)
    .where("uploadedAt", "is", null)
    .where("status", "!=", "running")
    .orderBy("id")
    .execute();
  const uploaded: UploadedRun[] = [];
  for (const { id, runUid } of pending) {
    const localRunId = Number(id);
    const uid = runUid ?? await giveIdentity(local.database, localRunId);
    const result = await fleet.database.transaction().execute((trx) =>
      copyRun(local.database, trx, localRunId, uid)
    );
    await local.database.updateTable("runs").set({ uploadedAt: clock().toISOString() })
      .where("id", "=", localRunId).execute();
    uploaded.push({ localRunId, ...result });
  }
  return uploaded;
}

/** A local run without an identity (stored before 0007): it gets one, kept for every retry. */
async function giveIdentity(db: Kysely<StoreDatabase>, runId: number): Promise<string> {
  const uid = crypto.randomUUID();
  await db.updateTable("runs").set({ runUid: uid }).where("id", "=", runId).execute();
  return uid;
}

async function copyRun(
  local: Kysely<StoreDatabase>,
  fleet: Transaction<StoreDatabase>,
  localRunId: number,
  runUid: string,
): Promise<{ fleetRunId: number; already: boolean }> {
  const existing = await fleet.selectFrom("runs").select("id").where("runUid", "=", runUid)
    .executeTakeFirst();
  if (existing !== undefined) return { fleetRunId: Number(existing.id), already: true };
  const run = await local.selectFrom("runs").selectAll().where("id", "=", localRunId)
    .executeTakeFirstOrThrow();
  const row: Record<string, unknown> = { ...run, runUid };
  for (const column of LOCAL_ONLY_RUN_COLUMNS) delete row[column];
  const { id } = await fleet.insertInto("runs").values(row as never).returning("id")
    .executeTakeFirstOrThrow();
  const fleetRunId = Number(id);
  const contentIds = new Map<number, number>();
  for (const table of RUN_CHILD_TABLES) {
    const rows = await local.selectFrom(table).selectAll().where("runId", "=", localRunId)
      // The local store is SQLite: rowid keeps the rows in the order they were stored.
      .orderBy(sql`rowid`).execute() as Record<string, unknown>[];
    for (const child of rows) {
      delete child.id;
      child.runId = fleetRunId;
      if (typeof child.contentId === "number") {
        child.contentId = await fleetContentId(local, fleet, child.contentId, contentIds);
      }
    }
    for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
      await fleet.insertInto(table).values(rows.slice(start, start + INSERT_BATCH_ROWS) as never)
        .execute();
    }
  }
  return { fleetRunId, already: false };
}

/** The fleet store's id of a local IOC content, copied (bytes and IOC names) when missing. */
async function fleetContentId(
  local: Kysely<StoreDatabase>,
  fleet: Transaction<StoreDatabase>,
  localId: number,
  known: Map<number, number>,
): Promise<number> {
  const seen = known.get(localId);
  if (seen !== undefined) return seen;
  const content = await local.selectFrom("iocContents").selectAll().where("id", "=", localId)
    .executeTakeFirstOrThrow();
  await fleet.insertInto("iocContents")
    .values({
      sha256: content.sha256,
      content: content.content,
      sizeBytes: content.sizeBytes,
      firstSeenAt: content.firstSeenAt,
    })
    .onConflict((conflict) => conflict.column("sha256").doNothing())
    .execute();
  const { id } = await fleet.selectFrom("iocContents").select("id")
    .where("sha256", "=", content.sha256).executeTakeFirstOrThrow();
  const fleetId = Number(id);
  const iocs = await local.selectFrom("iocContentIocs").select(["iocId", "name"])
    .where("contentId", "=", localId).execute();
  if (iocs.length > 0) {
    await fleet.insertInto("iocContentIocs")
      .values(iocs.map((ioc) => ({ contentId: fleetId, ...ioc })))
      .onConflict((conflict) => conflict.columns(["contentId", "iocId"]).doNothing())
      .execute();
  }
  known.set(localId, fleetId);
  return fleetId;
}
