/**
 * SQLite write-ahead logs replayed onto their database's bytes, without
 * SQLite: a browser keeps its newest history in `places.sqlite-wal` (Firefox)
 * until a checkpoint, so a database read without its WAL misses the latest
 * visits. The replay follows the file format (sqlite.org/fileformat2.html,
 * "The Write-Ahead Log"): a 32-byte header (magic, version, page size,
 * checkpoint sequence, two salts, a checksum), then frames of a 24-byte
 * header (page number, database size in pages on a commit frame, the salts,
 * a cumulative checksum) and one page. Frames count up to the last commit
 * frame whose salts and checksum chain hold; a frame that breaks the chain
 * ends the log, as it does for SQLite.
 *
 * @module
 */

/** The WAL header's magic numbers: checksums of big-endian words (odd) or little-endian ones. */
const walMagicLittle = 0x377f0682;
const walMagicBig = 0x377f0683;
/** The only WAL format version SQLite writes. */
const walFormatVersion = 3007000;
const walHeaderSize = 32;
const frameHeaderSize = 24;
/** The database header's read and write format versions (offsets 18 and 19): 2 is WAL. */
const readVersionOffset = 18;
const writeVersionOffset = 19;
const legacyFormatVersion = 1;

/** What a replay gives: the database's bytes with the committed frames applied. */
export interface WalReplay {
  /** The database as SQLite would read it, in rollback-journal form (bytes 18 and 19 set to 1). */
  readonly database: Uint8Array;
  /** Committed frames applied. */
  readonly frames: number;
  /** Why the log was ignored, or ended early, when it was; for a warning. */
  readonly note?: string;
}

/**
 * Applies the committed frames of `wal` to `database` (neither is changed)
 * and marks the result as a rollback-journal database, which an in-memory
 * SQLite (`deserialize`) reads. A log whose header does not hold (another
 * page size, a bad checksum) is ignored with a note, as SQLite ignores it.
 * The result is never larger than `maxBytes`: a commit frame claiming a
 * larger database ends the replay with a note.
 */
export function replayWal(
  database: Uint8Array,
  wal: Uint8Array | undefined,
  maxBytes: number,
): WalReplay {
  const plain = (note?: string): WalReplay => ({
    database: legacyForm(database.slice()),
    frames: 0,
    ...(note === undefined ? {} : { note }),
  });
  if (wal === undefined || wal.length < walHeaderSize) return plain();
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== walMagicLittle && magic !== walMagicBig) return plain("not a write-ahead log");
  const bigEndian = magic === walMagicBig;
  if (view.getUint32(4) !== walFormatVersion) return plain("an unknown write-ahead log version");
  const pageSize = view.getUint32(8) === 1 ? 65536 : view.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return plain("a write-ahead log with an impossible page size");
  }
  const dbPageSize = databasePageSize(database);
  if (dbPageSize !== undefined && dbPageSize !== pageSize) {
    return plain("a write-ahead log of another page size than its database");
  }
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  let sum = checksum(wal, 0, 24, [0, 0], bigEndian);
  if (sum[0] !== view.getUint32(24) || sum[1] !== view.getUint32(28)) {
    return plain("a write-ahead log whose header checksum does not hold");
  }
  // Pages of the frames up to the last commit seen so far, applied when the commit comes.
  const pending = new Map<number, number>();
  const committed = new Map<number, number>();
  let committedSize = 0;
  let frames = 0;
  let note: string | undefined;
  const frameSize = frameHeaderSize + pageSize;
  for (let at = walHeaderSize; at + frameSize <= wal.length; at += frameSize) {
    const page = view.getUint32(at);
    const sizeAfterCommit = view.getUint32(at + 4);
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2 || page === 0) break;
    sum = checksum(wal, at, 8, sum, bigEndian);
    sum = checksum(wal, at + frameHeaderSize, pageSize, sum, bigEndian);
    if (sum[0] !== view.getUint32(at + 16) || sum[1] !== view.getUint32(at + 20)) break;
    pending.set(page, at + frameHeaderSize);
    if (sizeAfterCommit === 0) continue;
    if (sizeAfterCommit * pageSize > maxBytes) {
      note = `a commit of ${sizeAfterCommit} pages, larger than the cap of ${maxBytes} bytes`;
      break;
    }
    for (const [number, offset] of pending) committed.set(number, offset);
    frames += pending.size;
    pending.clear();
    committedSize = sizeAfterCommit;
  }
  if (committedSize === 0) return plain(note);
  const result = new Uint8Array(committedSize * pageSize);
  result.set(database.subarray(0, Math.min(database.length, result.length)));
  for (const [number, offset] of committed) {
    if (number > committedSize) continue;
    result.set(wal.subarray(offset, offset + pageSize), (number - 1) * pageSize);
  }
  return { database: legacyForm(result), frames, ...(note === undefined ? {} : { note }) };
}

/** The page size a database header states (offset 16, big-endian; 1 means 65536). */
function databasePageSize(database: Uint8Array): number | undefined {
  if (database.length < 100) return undefined;
  const raw = (database[16]! << 8) | database[17]!;
  return raw === 1 ? 65536 : raw;
}

/** Marks a database as rollback-journal (an in-memory SQLite cannot read one in WAL form). */
function legacyForm(database: Uint8Array): Uint8Array {
  if (database.length >= 100) {
    database[readVersionOffset] = legacyFormatVersion;
    database[writeVersionOffset] = legacyFormatVersion;
  }
  return database;
}

/** SQLite's WAL checksum over `length` bytes (a multiple of 8) at `start`, continuing `from`. */
function checksum(
  bytes: Uint8Array,
  start: number,
  length: number,
  from: readonly [number, number] | number[],
  bigEndian: boolean,
): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let s0 = from[0]!;
  let s1 = from[1]!;
  for (let at = start; at < start + length; at += 8) {
    const x0 = view.getUint32(at, !bigEndian);
    const x1 = view.getUint32(at + 4, !bigEndian);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
