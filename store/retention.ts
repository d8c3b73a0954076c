/**
 * Retention: deleting runs older than a number of days, and the IOC file
 * contents no run refers to any more.
 *
 * @module
 */
import type { Kysely, Transaction } from "kysely";
import type { StoreDatabase } from "./schema.ts";

/** How long results are kept unless configured otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;

/** What to purge. */
export interface PurgeOptions {
  /** Runs that started more than this many days before `now` go (default 30). */
  olderThanDays?: number;
  /** The reference time (default: the current time). */
  now?: Date;
}

/** What a purge deleted. */
export interface PurgeResult {
  /** Runs deleted, with their detections, skipped objects and warnings. */
  runs: number;
  /** IOC file contents deleted because no remaining run used them. */
  iocContents: number;
}

/**
 * Deletes, in one transaction, every run that started before
 * `now - olderThanDays` and is not `running` (its rows go with it through
 * ON DELETE CASCADE), then every IOC file content no remaining run or
 * detection refers to. A run still marked `running` is never purged: it may
 * belong to a scan that is writing right now, in this process or another one.
 * Opening the store first marks `abandoned` the running runs whose process is
 * gone (store/abandoned_runs.ts), and those are purged like any other.
 *
 * @throws RangeError when `olderThanDays` is negative or not a number.
 */
export async function purgeRuns(
  db: Kysely<StoreDatabase>,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  const olderThanDays = options.olderThanDays ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isFinite(olderThanDays) || olderThanDays < 0) {
    throw new RangeError(`olderThanDays must be a number of days ≥ 0, not ${olderThanDays}`);
  }
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - olderThanDays * 86_400_000).toISOString();
  return await db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom("runs")
      .where("startedAt", "<", cutoff)
      .where("status", "!=", "running")
      .executeTakeFirst();
    const iocContents = await deleteUnreferencedIocContents(trx);
    return { runs: Number(deleted.numDeletedRows), iocContents };
  });
}

/** Deletes the IOC file contents that no run links to and no detection cites. */
export async function deleteUnreferencedIocContents(
  trx: Transaction<StoreDatabase>,
): Promise<number> {
  const result = await trx.deleteFrom("iocContents")
    .where((eb) =>
      eb.and([
        eb.not(eb.exists(
          eb.selectFrom("runIocFiles").select("runIocFiles.runId")
            .whereRef("runIocFiles.contentId", "=", "iocContents.id"),
        )),
        eb.not(eb.exists(
          eb.selectFrom("detections").select("detections.id")
            .whereRef("detections.contentId", "=", "iocContents.id"),
        )),
      ])
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
