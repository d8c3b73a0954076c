/**
 * One entry's record in the store (`entries/<id>.json`): the {@linkcode QuarantineEntry} users
 * see, plus what the store needs to finish, verify and restore it (the original's identity when
 * it was opened, the copies' file names and the streams' hashes). Written whole and durably
 * (temporary name, sync, rename, folder sync) at every state change.
 *
 * @module
 */
import { join } from "node:path";
import type { QuarantineEntry, QuarantineEntryState } from "./contract.ts";
import { writeFileDurably } from "./durable_file.ts";
import { ENTRIES_FOLDER, OBJECTS_FOLDER } from "./store_folder.ts";

/** The record format's version. */
export const RECORD_FORMAT = 1;

/** What identifies the original file: device, inode, size, modification time. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  /** Modification time, milliseconds since the epoch (as `Deno.FileInfo` gives it). */
  readonly mtimeMs: number;
}

/** One stored copy: its file in `objects/`, and for streams their name and hash. */
export interface StoredStream {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly file: string;
}

/** The record as stored. */
export interface EntryRecord {
  readonly format: typeof RECORD_FORMAT;
  readonly entry: QuarantineEntry;
  readonly identity: FileIdentity;
  /** The copy of the file's content, in `objects/`. */
  readonly object: string;
  readonly streams: readonly StoredStream[];
}

/** An entry id: UTC time of the quarantine, then 8 random hex digits (`20261207T054211Z-1a2b3c4d`). */
export const ENTRY_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/** A new entry id for `now`. */
export function newEntryId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const random = Array.from(crypto.getRandomValues(new Uint8Array(4)))
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${stamp}-${random}`;
}

/** The record's path. */
export function recordPath(dir: string, id: string): string {
  return join(dir, ENTRIES_FOLDER, `${id}.json`);
}

/** The path of a copy (`objects/<file>`). */
export function objectPath(dir: string, file: string): string {
  return join(dir, OBJECTS_FOLDER, file);
}

/** The copy file names of an entry: its content, then its streams. */
export function objectFileName(id: string, stream?: number): string {
  return stream === undefined ? `${id}.bin` : `${id}.s${stream}.bin`;
}

/**
 * A record's largest size: far above any real one (its metadata holds extended attributes of at
 * most 64 KiB each), far below what would exhaust memory.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Reads a record; undefined when there is none (or the id is not an id). A record is trusted no
 * further than the store's own names: it must be a regular file (not a link) of at most
 * {@linkcode MAX_RECORD_BYTES}, about its own id, and name its copies by that id
 * (`objects/<id>.bin`, `objects/<id>.s<n>.bin`), so that a crafted record never makes a restore
 * or a recovery read a file outside the store.
 *
 * @throws Error when the record is not such a record.
 */
export async function readRecord(dir: string, id: string): Promise<EntryRecord | undefined> {
  if (!ENTRY_ID.test(id)) return undefined;
  const path = recordPath(dir, id);
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile) throw new Error(`the record ${path} is not a regular file`);
    if (info.size > MAX_RECORD_BYTES) {
      throw new Error(`the record ${path} is ${info.size} bytes, over ${MAX_RECORD_BYTES}`);
    }
    const record = JSON.parse(await readBounded(path, info)) as EntryRecord;
    if (record.format !== RECORD_FORMAT || record.entry?.id !== id) {
      throw new Error(`the record of ${id} is not a format ${RECORD_FORMAT} record`);
    }
    const streams = Array.isArray(record.streams) ? record.streams : undefined;
    if (
      record.object !== objectFileName(id) || streams === undefined ||
      streams.some((stream, index) => stream?.file !== objectFileName(id, index))
    ) {
      throw new Error(`the record of ${id} names copies that are not its own`);
    }
    return record;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** The text of the file `lstat` found (`info`): the same inode, at most its size. */
async function readBounded(path: string, info: Deno.FileInfo): Promise<string> {
  const file = await Deno.open(path, { read: true });
  try {
    const opened = await file.stat();
    if (!opened.isFile || opened.dev !== info.dev || opened.ino !== info.ino) {
      throw new Error(`the record ${path} changed while it was opened`);
    }
    const bytes = new Uint8Array(Math.min(opened.size, MAX_RECORD_BYTES));
    let filled = 0;
    while (filled < bytes.length) {
      const count = await file.read(bytes.subarray(filled));
      if (count === null) break;
      filled += count;
    }
    return new TextDecoder().decode(bytes.subarray(0, filled));
  } finally {
    file.close();
  }
}

/** Writes a record durably. */
export async function writeRecord(dir: string, record: EntryRecord): Promise<void> {
  await writeFileDurably(
    recordPath(dir, record.entry.id),
    new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"),
  );
}

/** The record with its entry moved to `state` (history appended). */
export function withState(
  record: EntryRecord,
  state: QuarantineEntryState,
  at: string,
  detail?: string,
): EntryRecord {
  return {
    ...record,
    entry: {
      ...record.entry,
      state,
      history: [...record.entry.history, {
        state,
        at,
        ...(detail === undefined ? {} : { detail }),
      }],
    },
  };
}

/** Every record in the store, oldest first. */
export async function readAllRecords(dir: string): Promise<EntryRecord[]> {
  const records: EntryRecord[] = [];
  for await (const item of Deno.readDir(join(dir, ENTRIES_FOLDER))) {
    if (!item.isFile || !item.name.endsWith(".json")) continue;
    const record = await readRecord(dir, item.name.slice(0, -".json".length));
    if (record !== undefined) records.push(record);
  }
  return records.sort((a, b) =>
    a.entry.quarantinedAt.localeCompare(b.entry.quarantinedAt) ||
    a.entry.id.localeCompare(b.entry.id)
  );
}
