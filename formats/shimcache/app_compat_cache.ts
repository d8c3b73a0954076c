/**
 * The AppCompatCache (ShimCache) value of the SYSTEM hive: one entry per
 * executable the Application Compatibility cache holds, most recent first.
 *
 * Formats (signature → layout), after Mandiant's ShimCacheParser and Eric
 * Zimmerman's AppCompatCacheParser:
 *
 * | format   | signature                     | header | entries                                                         |
 * | -------- | ----------------------------- | -----: | --------------------------------------------------------------- |
 * | `xp`     | u32 0xDEADBEEF                |  0x190 | 552-byte records: path (MAX_PATH UTF-16), FILETIME, file size    |
 * | `vista`  | u32 0xBADC0FFE                |      8 | 24 (x86) / 32 (x64) byte records; path by offset                |
 * | `win7`   | u32 0xBADC0FEE                |   0x80 | 32 (x86) / 48 (x64) byte records; path by offset; data size     |
 * | `win8`   | `00ts` / `10ts` at 0x80       |   0x80 | tagged records: path, package, insert flags, FILETIME, data      |
 * | `win10`  | u32 0x30 / 0x34, `10ts` after |  value | tagged records: path, FILETIME, data                            |
 *
 * `Executed` is the insert flag 0x2 (set by CSRSS when the process ran) on
 * Vista, 7 and 8; the other formats do not record it.
 *
 * Pure, bounded and linear: every offset and length is checked against the
 * value before it is read, the entry count never drives a loop past the
 * value's end, and damage ends the walk with a problem instead of throwing.
 *
 * @module
 */
import { filetimeToDate, readFiletime } from "../regf/base_block.ts";

/** The layout a cache value was written in. */
export type ShimCacheFormat = "xp" | "vista" | "win7" | "win8" | "win10";

/** One cache entry. */
export interface ShimCacheEntry {
  /** 1-based place in the cache (1 is the most recently inserted). */
  position: number;
  /** The executable's path as stored (`C:\…`, `\??\C:\…`, `SYSVOL\…`). */
  path: string;
  /** The file's last-modified time the cache recorded; absent when zero. */
  lastModified?: Date;
  /** Whether CSRSS marked the entry as executed (Vista, 7, 8 only). */
  executed?: boolean;
  /** The insert flags (Vista, 7, 8). */
  insertFlags?: number;
  /** The size of the entry's opaque data (7, 8, 10). */
  dataSize?: number;
  /** The file's size (XP only). */
  fileSize?: number;
}

/** Something wrong with the value, with the byte offset where it was found. */
export interface ShimCacheProblem {
  /** A stable code: `shimcache-unknown-format`, `shimcache-truncated`, `shimcache-bad-entry`. */
  code: string;
  /** What happened, for people. */
  message: string;
  /** The offset in the value. */
  offset: number;
}

/** What {@linkcode parseAppCompatCache} read. */
export interface ShimCache {
  /** The layout, or undefined when the signature is unknown. */
  format?: ShimCacheFormat;
  /** 64-bit layout (Vista and 7 only). */
  x64?: boolean;
  /** The entry count the header states, when it states one. */
  declaredCount?: number;
  /** The entries read, in cache order. */
  entries: ShimCacheEntry[];
  /** Damage; empty when the whole value was read. */
  problems: ShimCacheProblem[];
}

const XP_MAGIC = 0xdeadbeef;
const VISTA_MAGIC = 0xbadc0ffe;
const WIN7_MAGIC = 0xbadc0fee;
const WIN8_HEADER_SIZE = 0x80;
const WIN10_HEADER_SIZES: readonly number[] = [0x30, 0x34];
const WIN7_HEADER_SIZE = 0x80;
const VISTA_HEADER_SIZE = 8;
const XP_HEADER_SIZE = 0x190;
const XP_ENTRY_SIZE = 552;
const XP_PATH_BYTES = 520;
/** The insert flag CSRSS sets when the process was executed. */
const EXECUTED_FLAG = 0x2;
/** `10ts` and `00ts` as little-endian u32s. */
const TAG_10TS = 0x73743031;
const TAG_00TS = 0x73743030;

/** Fixed-size record layouts of Vista and 7: offsets within a record. */
interface FixedLayout {
  readonly size: number;
  readonly pathOffset: number;
  readonly pathOffsetWidth: 4 | 8;
  readonly filetime: number;
  readonly insertFlags: number;
  readonly dataSize?: number;
  readonly dataSizeWidth?: 4 | 8;
}

/** The record layouts, as data: format → x86, x64. */
const FIXED_LAYOUTS: Readonly<Record<"vista" | "win7", { x86: FixedLayout; x64: FixedLayout }>> = {
  vista: {
    x86: { size: 24, pathOffset: 4, pathOffsetWidth: 4, filetime: 8, insertFlags: 16 },
    x64: { size: 32, pathOffset: 8, pathOffsetWidth: 8, filetime: 16, insertFlags: 24 },
  },
  win7: {
    x86: {
      size: 32,
      pathOffset: 4,
      pathOffsetWidth: 4,
      filetime: 8,
      insertFlags: 16,
      dataSize: 24,
      dataSizeWidth: 4,
    },
    x64: {
      size: 48,
      pathOffset: 8,
      pathOffsetWidth: 8,
      filetime: 16,
      insertFlags: 24,
      dataSize: 32,
      dataSizeWidth: 8,
    },
  },
};

const utf16 = new TextDecoder("utf-16le");

/**
 * Parses an AppCompatCache value. Never throws: an unknown signature gives no
 * format and a `shimcache-unknown-format` problem; damage ends the walk with
 * a problem, keeping the entries read before it.
 *
 * @example
 * ```ts
 * import { parseAppCompatCache } from "./app_compat_cache.ts";
 * const cache = parseAppCompatCache(new Uint8Array(4));
 * // cache.format === undefined, cache.problems[0].code === "shimcache-unknown-format"
 * ```
 */
export function parseAppCompatCache(bytes: Uint8Array): ShimCache {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number) => offset + 4 <= bytes.length ? view.getUint32(offset, true) : -1;
  const first = u32(0);
  if (first === XP_MAGIC) return parseXp(bytes, view);
  if (first === VISTA_MAGIC) return parseFixed(bytes, view, "vista", VISTA_HEADER_SIZE);
  if (first === WIN7_MAGIC) return parseFixed(bytes, view, "win7", WIN7_HEADER_SIZE);
  if (WIN10_HEADER_SIZES.includes(first) && u32(first) === TAG_10TS) {
    return parseTagged(bytes, view, "win10", first, TAG_10TS);
  }
  const tag8 = u32(WIN8_HEADER_SIZE);
  if (tag8 === TAG_10TS || tag8 === TAG_00TS) {
    return parseTagged(bytes, view, "win8", WIN8_HEADER_SIZE, tag8);
  }
  return {
    entries: [],
    problems: [{
      code: "shimcache-unknown-format",
      message: bytes.length < 4
        ? `the value holds ${bytes.length} bytes, too few for a signature`
        : `unknown signature 0x${(first >>> 0).toString(16).padStart(8, "0")}`,
      offset: 0,
    }],
  };
}

function truncated(what: string, offset: number): ShimCacheProblem {
  return { code: "shimcache-truncated", message: `the value ends inside ${what}`, offset };
}

/** A UTF-16LE string of `length` bytes at `offset`, up to its first NUL. */
function readPath(bytes: Uint8Array, offset: number, length: number): string {
  const text = utf16.decode(bytes.subarray(offset, offset + (length & ~1)));
  const nul = text.indexOf("\0");
  return nul < 0 ? text : text.slice(0, nul);
}

function dateAt(view: DataView, offset: number): Date | undefined {
  return filetimeToDate(readFiletime(view, offset));
}

function parseXp(bytes: Uint8Array, view: DataView): ShimCache {
  const cache: ShimCache = { format: "xp", entries: [], problems: [] };
  if (bytes.length < 8) {
    cache.problems.push(truncated("the header", 0));
    return cache;
  }
  const declared = view.getUint32(4, true);
  cache.declaredCount = declared;
  // The count is the attacker's: the value's length bounds the loop.
  const room = Math.max(0, Math.floor((bytes.length - XP_HEADER_SIZE) / XP_ENTRY_SIZE));
  const count = Math.min(declared, room);
  for (let i = 0; i < count; i++) {
    const at = XP_HEADER_SIZE + i * XP_ENTRY_SIZE;
    const entry: ShimCacheEntry = {
      position: i + 1,
      path: readPath(bytes, at, XP_PATH_BYTES),
      fileSize: view.getUint32(at + 528, true) + view.getUint32(at + 532, true) * 4294967296,
    };
    const modified = dateAt(view, at + XP_PATH_BYTES);
    if (modified) entry.lastModified = modified;
    cache.entries.push(entry);
  }
  if (count < declared) {
    cache.problems.push(truncated(`entry ${count + 1}`, XP_HEADER_SIZE + count * XP_ENTRY_SIZE));
  }
  return cache;
}

function parseFixed(
  bytes: Uint8Array,
  view: DataView,
  format: "vista" | "win7",
  headerSize: number,
): ShimCache {
  const cache: ShimCache = { format, entries: [], problems: [] };
  if (bytes.length < headerSize) {
    cache.problems.push(truncated("the header", 0));
    return cache;
  }
  const declared = view.getUint32(4, true);
  cache.declaredCount = declared;
  if (declared === 0) return cache;
  // x86 records hold a 32-bit path offset where x64 records hold padding (zero).
  const x64 = bytes.length >= headerSize + 8 && view.getUint32(headerSize + 4, true) === 0;
  cache.x64 = x64;
  const layout = FIXED_LAYOUTS[format][x64 ? "x64" : "x86"];
  const room = Math.max(0, Math.floor((bytes.length - headerSize) / layout.size));
  const count = Math.min(declared, room);
  for (let i = 0; i < count; i++) {
    const at = headerSize + i * layout.size;
    const length = view.getUint16(at, true);
    const pathOffset = layout.pathOffsetWidth === 8
      ? view.getUint32(at + layout.pathOffset, true) +
        view.getUint32(at + layout.pathOffset + 4, true) * 4294967296
      : view.getUint32(at + layout.pathOffset, true);
    if (pathOffset + length > bytes.length || length % 2 !== 0) {
      cache.problems.push({
        code: "shimcache-bad-entry",
        message: `entry ${i + 1}: its path (${length} bytes at ${pathOffset}) does not fit ` +
          `in the value's ${bytes.length} bytes`,
        offset: at,
      });
      return cache;
    }
    const flags = view.getUint32(at + layout.insertFlags, true);
    const entry: ShimCacheEntry = {
      position: i + 1,
      path: readPath(bytes, pathOffset, length),
      executed: (flags & EXECUTED_FLAG) !== 0,
      insertFlags: flags,
    };
    const modified = dateAt(view, at + layout.filetime);
    if (modified) entry.lastModified = modified;
    if (layout.dataSize !== undefined) {
      entry.dataSize = layout.dataSizeWidth === 8
        ? view.getUint32(at + layout.dataSize, true) +
          view.getUint32(at + layout.dataSize + 4, true) * 4294967296
        : view.getUint32(at + layout.dataSize, true);
    }
    cache.entries.push(entry);
  }
  if (count < declared) {
    cache.problems.push(truncated(`entry ${count + 1}`, headerSize + count * layout.size));
  }
  return cache;
}

/** Tagged records (8, 8.1, 10): tag, checksum, entry size, then the entry's own fields. */
function parseTagged(
  bytes: Uint8Array,
  view: DataView,
  format: "win8" | "win10",
  start: number,
  tag: number,
): ShimCache {
  const cache: ShimCache = { format, entries: [], problems: [] };
  // Neither states a count the tools agree on: the records run to the value's end.
  let at = start;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) {
      cache.problems.push(truncated(`the header of entry ${cache.entries.length + 1}`, at));
      break;
    }
    if (view.getUint32(at, true) !== tag) {
      cache.problems.push({
        code: "shimcache-bad-entry",
        message: `entry ${cache.entries.length + 1} does not start with the ` +
          `${tag === TAG_10TS ? "10ts" : "00ts"} tag`,
        offset: at,
      });
      break;
    }
    const size = view.getUint32(at + 8, true);
    const body = at + 12;
    if (body + size > bytes.length) {
      cache.problems.push(truncated(`entry ${cache.entries.length + 1} (${size} bytes)`, at));
      break;
    }
    const entry = taggedEntry(bytes, view, format, body, body + size, cache.entries.length + 1);
    if (typeof entry === "string") {
      cache.problems.push({ code: "shimcache-bad-entry", message: entry, offset: at });
      break;
    }
    cache.entries.push(entry);
    at = body + size;
  }
  return cache;
}

/** One tagged entry's fields between `at` and `end`, or what is wrong with them. */
function taggedEntry(
  bytes: Uint8Array,
  view: DataView,
  format: "win8" | "win10",
  at: number,
  end: number,
  position: number,
): ShimCacheEntry | string {
  const fits = (offset: number, size: number) => offset + size <= end;
  if (!fits(at, 2)) return `entry ${position} is too short for its path length`;
  const pathLength = view.getUint16(at, true);
  let cursor = at + 2;
  if (!fits(cursor, pathLength) || pathLength % 2 !== 0) {
    return `entry ${position}: its path (${pathLength} bytes) does not fit in the entry`;
  }
  const entry: ShimCacheEntry = { position, path: readPath(bytes, cursor, pathLength) };
  cursor += pathLength;
  if (format === "win8") {
    if (!fits(cursor, 2)) return `entry ${position} ends before its package length`;
    const packageLength = view.getUint16(cursor, true);
    cursor += 2 + packageLength;
    if (!fits(cursor, 8)) return `entry ${position} ends before its flags`;
    const flags = view.getUint32(cursor, true);
    entry.insertFlags = flags;
    entry.executed = (flags & EXECUTED_FLAG) !== 0;
    cursor += 8; // insert flags, shim flags
  }
  if (!fits(cursor, 12)) return `entry ${position} ends before its time and data size`;
  const modified = dateAt(view, cursor);
  if (modified) entry.lastModified = modified;
  const dataSize = view.getUint32(cursor + 8, true);
  if (!fits(cursor + 12, dataSize)) {
    return `entry ${position}: its data (${dataSize} bytes) does not fit in the entry`;
  }
  entry.dataSize = dataSize;
  return entry;
}
