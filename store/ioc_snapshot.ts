/**
 * The IOC set snapshot of a run: the content of every IOC file the run loaded,
 * stored once per distinct content (keyed by SHA-256) and linked to each run
 * with the path it was loaded from. A run keeps showing the IOC names it was
 * scanned with after the files are edited, because edited files are new
 * contents and the old ones stay as long as a run refers to them.
 *
 * @module
 */
import type { Kysely, Transaction } from "kysely";
import type { StoreDatabase } from "./schema.ts";
import { sha256Hex } from "./sha256_hex.ts";
import { storableText } from "./storable_text.ts";

/** An IOC that a file defines. */
export interface SnapshotIoc {
  /** The IOC's id (`ioc/@id`). */
  id: string;
  /** Its name (short description), as it read when the run loaded it. */
  name: string;
}

/** One IOC file as a run loaded it. */
export interface IocFileSnapshot {
  /** The path the run loaded it from. */
  file: string;
  /** The exact bytes loaded. */
  content: Uint8Array;
  /**
   * SHA-256 (hex) the caller computed, checked against the bytes; the store
   * always keys the content by the hash it computes itself.
   */
  sha256?: string;
  /** The IOCs the file defines (usually one). */
  iocs: readonly SnapshotIoc[];
}

/** An IOC file of a stored run's snapshot. */
export interface StoredIocFile {
  /** The path the run loaded the file from. */
  file: string;
  /** SHA-256 (lower-case hex) of the stored content. */
  sha256: string;
  /** Size of the content in bytes. */
  sizeBytes: number;
  /** The IOCs the content defines. */
  iocs: SnapshotIoc[];
}

/** A file whose supplied hash did not match its bytes. */
export interface HashMismatch {
  file: string;
  supplied: string;
  computed: string;
}

/**
 * Stores the snapshot of `runId` inside the caller's transaction: inserts the
 * contents not stored yet, records their IOCs and links each path to its
 * content. A path given twice is linked once (first wins).
 *
 * @returns The files whose supplied SHA-256 did not match their bytes.
 */
export async function saveIocSnapshot(
  trx: Transaction<StoreDatabase>,
  runId: number,
  files: readonly IocFileSnapshot[],
  now: string,
): Promise<HashMismatch[]> {
  const mismatches: HashMismatch[] = [];
  const linked = new Set<string>();
  const contentIds = new Map<string, number>();
  for (const snapshot of files) {
    const file = storableText(snapshot.file);
    if (linked.has(file)) continue;
    linked.add(file);
    const sha256 = await sha256Hex(snapshot.content);
    if (snapshot.sha256 !== undefined && snapshot.sha256.toLowerCase() !== sha256) {
      mismatches.push({ file: snapshot.file, supplied: snapshot.sha256, computed: sha256 });
    }
    let contentId = contentIds.get(sha256);
    if (contentId === undefined) {
      contentId = await storeContent(trx, sha256, snapshot, now);
      contentIds.set(sha256, contentId);
    }
    await trx.insertInto("runIocFiles")
      .values({ runId, file, contentId })
      .execute();
  }
  return mismatches;
}

async function storeContent(
  trx: Transaction<StoreDatabase>,
  sha256: string,
  snapshot: IocFileSnapshot,
  now: string,
): Promise<number> {
  // Insert-or-ignore then read back: another process may store the same
  // content at the same moment, and the unique sha256 makes one of them win.
  await trx.insertInto("iocContents")
    .values({
      sha256,
      content: snapshot.content,
      sizeBytes: snapshot.content.length,
      firstSeenAt: now,
    })
    .onConflict((conflict) => conflict.column("sha256").doNothing())
    .execute();
  const { id } = await trx.selectFrom("iocContents").select("id").where("sha256", "=", sha256)
    .executeTakeFirstOrThrow();
  const iocs = [...new Map(snapshot.iocs.map((ioc) => [ioc.id, ioc])).values()];
  if (iocs.length > 0) {
    await trx.insertInto("iocContentIocs")
      .values(
        iocs.map((ioc) => ({
          contentId: id,
          iocId: storableText(ioc.id),
          name: storableText(ioc.name),
        })),
      )
      .onConflict((conflict) => conflict.columns(["contentId", "iocId"]).doNothing())
      .execute();
  }
  return id;
}

/** The snapshot of one run, in path order. */
export async function readIocSnapshot(
  db: Kysely<StoreDatabase>,
  runId: number,
): Promise<StoredIocFile[]> {
  const files = await db.selectFrom("runIocFiles")
    .innerJoin("iocContents", "iocContents.id", "runIocFiles.contentId")
    .select([
      "runIocFiles.file",
      "runIocFiles.contentId",
      "iocContents.sha256",
      "iocContents.sizeBytes",
    ])
    .where("runIocFiles.runId", "=", runId)
    .orderBy("runIocFiles.file")
    .execute();
  const iocs = files.length === 0 ? [] : await db.selectFrom("iocContentIocs")
    .select(["contentId", "iocId", "name"])
    .where("contentId", "in", [...new Set(files.map((file) => file.contentId))])
    .orderBy("iocId")
    .execute();
  return files.map((file) => ({
    file: file.file,
    sha256: file.sha256,
    sizeBytes: Number(file.sizeBytes),
    iocs: iocs.filter((ioc) => ioc.contentId === file.contentId)
      .map((ioc) => ({ id: ioc.iocId, name: ioc.name })),
  }));
}
