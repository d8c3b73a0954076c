/**
 * In-memory recovery of a dirty hive from its transaction logs: old-format
 * (`DIRT` bitmap) `.LOG`/`.LOG1`/`.LOG2` and new-format (`HvLE` entries)
 * `.LOG1`/`.LOG2`, following the rules in msuhanov's specification. The
 * primary's bytes are copied, never modified.
 *
 * @module
 */
import {
  BASE_BLOCK_SIZE,
  baseBlockChecksum,
  FileType,
  hasRegfSignature,
  LOG_BASE_BLOCK_SIZE,
  parseBaseBlock,
  readFiletime,
} from "./base_block.ts";
import type { BaseBlock } from "./base_block.ts";
import { marvin32 } from "./marvin32.ts";

/** One transaction log file next to a hive. */
export interface TransactionLog {
  /** The file name (used to tell `.LOG`, `.LOG1` and `.LOG2` apart, and in messages). */
  name: string;
  /** The log file content. */
  bytes: Uint8Array;
  /** Why the file could not be read, when it could not (its `bytes` are then empty). */
  unreadable?: string;
}

/** What was replayed from one log. */
export interface LogReplay {
  /** The log file name. */
  log: string;
  /** `new` (HvLE entries) or `old` (DIRT bitmap and dirty pages). */
  format: "old" | "new";
  /** HvLE entries applied (new format; 0 for old). */
  entries: number;
  /** Dirty pages written: 4 KiB pages of the entries applied (new), 512-byte pages (old). */
  pages: number;
  /** The sequence numbers of the first and last entries applied (new format, when any). */
  firstSequence?: number;
  lastSequence?: number;
}

/** A log that was rejected, or whose replay stopped before its end on damage. */
export interface LogProblem {
  /** The log file name. */
  log: string;
  /**
   * `rejected`: not used at all; `stopped`: used up to `offset`, not past it;
   * `gap`: used, but it starts past the hive's last complete write, so
   * entries between the two are missing.
   */
  kind: "rejected" | "stopped" | "gap";
  /** What was wrong, naming the entry or page. */
  message: string;
  /** The offset in the log file where the damage is, when known. */
  offset?: number;
}

/** What recovery did. */
export interface RecoveryResult {
  /** True when at least one log entry or dirty page was applied. */
  recovered: boolean;
  /** The names of the logs applied (at least one unit each), in the order applied. */
  applied: string[];
  /** The number of HvLE entries (new format) or dirty pages (old format) applied. */
  units: number;
  /** Per log applied: what it contributed. */
  replays: LogReplay[];
  /** Logs rejected, or whose replay stopped on damage: each one a warning. */
  problems: LogProblem[];
  /** Why recovery failed, when it did. */
  failure?: string;
  /** The recovered hive bytes (a copy) when `recovered`. */
  bytes?: Uint8Array;
}

type LogRole = "log" | "log1" | "log2";

/** Windows caps a hive at 2 GiB; a log claiming more is damaged (or hostile). */
const MAX_HIVE_BINS = 0x7fff0000;

interface ParsedLog {
  log: TransactionLog;
  role: LogRole;
  base: BaseBlock;
  format: "old" | "new";
}

function roleOf(name: string): LogRole | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith(".log1")) return "log1";
  if (lower.endsWith(".log2")) return "log2";
  if (lower.endsWith(".log")) return "log";
  return undefined;
}

/** Validates a log's base block; returns the parsed log or the reason it is unusable. */
function parseLog(log: TransactionLog): ParsedLog | string {
  const role = roleOf(log.name) ?? "log";
  const bytes = log.bytes;
  if (bytes.length < LOG_BASE_BLOCK_SIZE + 40) return `${log.name}: too short for a log`;
  if (!hasRegfSignature(bytes)) return `${log.name}: no regf signature`;
  const base = parseBaseBlock(bytes, 0);
  if (!base.checksumValid) return `${log.name}: bad base block checksum`;
  if (base.primarySequence !== base.secondarySequence) {
    return `${log.name}: base block sequence numbers differ`;
  }
  if (base.fileType === FileType.LogNew) return { log, role, base, format: "new" };
  if (base.hiveBinsSize > MAX_HIVE_BINS) {
    return `${log.name}: hive bins size ${base.hiveBinsSize} is too large`;
  }
  if (base.fileType === FileType.LogOld || base.fileType === FileType.LogVeryOld) {
    if (
      bytes[512] !== 0x44 || bytes[513] !== 0x49 || bytes[514] !== 0x52 || bytes[515] !== 0x54
    ) return `${log.name}: old-format log without its DIRT signature`;
    if (bytes.length < oldPagesStart(base.hiveBinsSize) + 512) {
      return `${log.name}: no dirty page`;
    }
    return { log, role, base, format: "old" };
  }
  return `${log.name}: file type ${base.fileType} is not a transaction log`;
}

function oldPagesStart(hiveBinsSize: number): number {
  const unaligned = LOG_BASE_BLOCK_SIZE + 4 + Math.floor(hiveBinsSize / 4096);
  return Math.ceil(unaligned / 512) * 512;
}

/** A growable copy of the primary that logs are applied to. */
class HiveImage {
  bytes: Uint8Array;
  length: number;
  constructor(primary: Uint8Array) {
    this.bytes = new Uint8Array(Math.max(primary.length, BASE_BLOCK_SIZE));
    this.bytes.set(primary);
    this.length = this.bytes.length;
  }
  ensure(size: number): void {
    if (size <= this.bytes.length) {
      this.length = Math.max(this.length, size);
      return;
    }
    const grown = new Uint8Array(Math.max(size, this.bytes.length * 1.5) | 0);
    grown.set(this.bytes);
    this.bytes = grown;
    this.length = size;
  }
  write(offset: number, data: Uint8Array): void {
    this.ensure(offset + data.length);
    this.bytes.set(data, offset);
  }
}

interface RecoveryState {
  image: HiveImage;
  base: BaseBlock;
  /** Base block fields to write back: from the last log applied. */
  logBase?: BaseBlock;
  logBaseBytes?: Uint8Array;
  hiveBinsSize: number;
  flags: number;
  lastSequence?: number;
  units: number;
  problems: LogProblem[];
  /**
   * The largest image recovery may build: the primary plus every byte its logs
   * hold. A hive grows only by pages its logs carry, so a log claiming more
   * (a 1 KiB log asking for 2 GiB) is refused instead of allocated.
   */
  maxImage: number;
}

/** The marvin32 checksum of an HvLE entry header as if its signature were intact. */
function headerChecksumMatches(bytes: Uint8Array, view: DataView, pos: number): boolean {
  const header = bytes.slice(pos, pos + 32);
  header.set([0x48, 0x76, 0x4c, 0x45]);
  const [lo, hi] = marvin32(header, 0, 32);
  return lo === view.getUint32(pos + 32, true) && hi === view.getUint32(pos + 36, true);
}

/**
 * Applies the valid HvLE entries of one new-format log, in sequence from its
 * base block's. The replay ends quietly where the log's entries end (no entry
 * header, or an intact entry of an earlier pass, with an older sequence
 * number); it ends with a `stopped` problem where an entry is damaged: a
 * signature, size, checksum or page list that does not hold, or a sequence
 * gap. Nothing of a damaged entry is applied.
 */
function applyNewLog(state: RecoveryState, parsed: ParsedLog): LogReplay {
  const bytes = parsed.log.bytes;
  const name = parsed.log.name;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let expected = parsed.base.primarySequence;
  let pos = LOG_BASE_BLOCK_SIZE;
  const replay: LogReplay = { log: name, format: "new", entries: 0, pages: 0 };
  let stopped = false;
  const stop = (why: string) => {
    stopped = true;
    state.problems.push({
      log: name,
      kind: "stopped",
      message: `${name}: entry ${replay.entries + 1} at offset 0x${pos.toString(16)}: ${why}; ` +
        `replay stopped there after ${replay.entries} entr${replay.entries === 1 ? "y" : "ies"}`,
      offset: pos,
    });
  };
  // Each entry is at least 512 bytes, so this loop is bounded by the file size.
  while (pos + 40 <= bytes.length) {
    const signed = bytes[pos] === 0x48 && bytes[pos + 1] === 0x76 && bytes[pos + 2] === 0x4c &&
      bytes[pos + 3] === 0x45;
    if (!signed) {
      // The end of the entries, unless this is an entry with a damaged signature.
      if (headerChecksumMatches(bytes, view, pos)) stop("damaged HvLE signature");
      break;
    }
    const size = view.getUint32(pos + 4, true);
    const flags = view.getUint32(pos + 8, true);
    const sequence = view.getUint32(pos + 12, true);
    const hiveBinsSize = view.getUint32(pos + 16, true);
    const pageCount = view.getUint32(pos + 20, true);
    const [lo2, hi2] = marvin32(bytes, pos, pos + 32);
    const headerIntact = lo2 === view.getUint32(pos + 32, true) &&
      hi2 === view.getUint32(pos + 36, true);
    if (!headerIntact) {
      stop("header checksum does not match");
      break;
    }
    if (sequence !== expected) {
      // An intact entry of an earlier pass ends the log; a later one means entries are missing.
      if (!sequenceBefore(sequence, expected)) {
        stop(`sequence number ${sequence} where ${expected} was expected (entries missing)`);
      }
      break;
    }
    if (size < 512 || size % 512 !== 0 || pos + size > bytes.length) {
      stop(`size ${size} is not a multiple of 512 within the file (${bytes.length} bytes)`);
      break;
    }
    if (hiveBinsSize < 4096 || hiveBinsSize % 4096 !== 0 || hiveBinsSize > MAX_HIVE_BINS) {
      stop(`hive bins size ${hiveBinsSize} is not valid`);
      break;
    }
    if (BASE_BLOCK_SIZE + hiveBinsSize > state.maxImage) {
      stop(
        `hive bins size ${hiveBinsSize} is more than the primary and its logs hold (${state.maxImage} bytes)`,
      );
      break;
    }
    if (pageCount === 0 || 40 + pageCount * 8 > size) {
      stop(`dirty page count ${pageCount} does not fit the entry`);
      break;
    }
    const [lo1, hi1] = marvin32(bytes, pos + 40, pos + size);
    if (lo1 !== view.getUint32(pos + 24, true) || hi1 !== view.getUint32(pos + 28, true)) {
      stop("data checksum does not match");
      break;
    }
    // Check the whole page list before writing any of it.
    let dataPos = pos + 40 + pageCount * 8;
    let pageProblem: string | undefined;
    for (let i = 0; i < pageCount && pageProblem === undefined; i++) {
      const target = view.getUint32(pos + 40 + i * 8, true);
      const pageSize = view.getUint32(pos + 44 + i * 8, true);
      if (pageSize === 0 || dataPos + pageSize > pos + size) {
        pageProblem = `dirty page ${i + 1} of ${pageCount} (${pageSize} bytes) runs past the entry`;
      } else if (target + pageSize > hiveBinsSize) {
        pageProblem = `dirty page ${i + 1} of ${pageCount} at 0x${
          target.toString(16)
        } lies past the hive bins size ${hiveBinsSize}`;
      }
      dataPos += pageSize;
    }
    if (pageProblem !== undefined) {
      stop(pageProblem);
      break;
    }
    dataPos = pos + 40 + pageCount * 8;
    state.image.ensure(BASE_BLOCK_SIZE + hiveBinsSize);
    for (let i = 0; i < pageCount; i++) {
      const target = view.getUint32(pos + 40 + i * 8, true);
      const pageSize = view.getUint32(pos + 44 + i * 8, true);
      state.image.write(BASE_BLOCK_SIZE + target, bytes.subarray(dataPos, dataPos + pageSize));
      dataPos += pageSize;
      replay.pages++;
    }
    state.lastSequence = sequence;
    state.hiveBinsSize = hiveBinsSize;
    state.flags = (state.flags & ~1) | (flags & 1);
    replay.firstSequence ??= sequence;
    replay.lastSequence = sequence;
    expected = (expected + 1) >>> 0;
    replay.entries++;
    pos += size;
  }
  // A log cut inside an entry's header (fewer than 40 bytes left, starting like "HvLE").
  const left = bytes.length - pos;
  if (!stopped && left > 0 && left < 40 && pos >= LOG_BASE_BLOCK_SIZE) {
    const signature = [0x48, 0x76, 0x4c, 0x45];
    if (signature.slice(0, Math.min(4, left)).every((byte, at) => bytes[pos + at] === byte)) {
      stop(`the log ends ${left} bytes into this entry's header`);
    }
  }
  if (replay.entries > 0) {
    state.logBase = parsed.base;
    state.logBaseBytes = bytes.subarray(0, LOG_BASE_BLOCK_SIZE);
  }
  state.units += replay.entries;
  return replay;
}

/** Applies an old-format log's dirty pages. */
function applyOldLog(state: RecoveryState, parsed: ParsedLog): LogReplay {
  const bytes = parsed.log.bytes;
  const name = parsed.log.name;
  const hiveBinsSize = parsed.base.hiveBinsSize;
  const bitmapBytes = Math.floor(hiveBinsSize / 4096);
  let logPos = oldPagesStart(hiveBinsSize);
  const replay: LogReplay = { log: name, format: "old", entries: 0, pages: 0 };
  if (BASE_BLOCK_SIZE + hiveBinsSize > state.maxImage) {
    state.problems.push({
      log: name,
      kind: "rejected",
      message: `${name}: hive bins size ${hiveBinsSize} is more than the primary and its logs ` +
        `hold (${state.maxImage} bytes): not applied`,
    });
    return replay;
  }
  let dirty = 0;
  for (let bit = 0; bit < bitmapBytes * 8; bit++) {
    const byte = bytes[LOG_BASE_BLOCK_SIZE + 4 + (bit >> 3)] ?? 0;
    if (((byte >> (bit & 7)) & 1) !== 0) dirty++;
  }
  state.image.ensure(BASE_BLOCK_SIZE + hiveBinsSize);
  for (let bit = 0; bit < bitmapBytes * 8; bit++) {
    const byte = bytes[LOG_BASE_BLOCK_SIZE + 4 + (bit >> 3)] ?? 0;
    if (((byte >> (bit & 7)) & 1) === 0) continue;
    if (logPos + 512 > bytes.length) {
      state.problems.push({
        log: name,
        kind: "stopped",
        message: `${name}: the DIRT bitmap marks ${dirty} dirty pages but the log ends at ` +
          `offset 0x${bytes.length.toString(16)} after ${replay.pages}; replay stopped there`,
        offset: bytes.length,
      });
      break;
    }
    state.image.write(BASE_BLOCK_SIZE + bit * 512, bytes.subarray(logPos, logPos + 512));
    logPos += 512;
    replay.pages++;
  }
  state.units += replay.pages;
  if (replay.pages > 0) {
    state.hiveBinsSize = hiveBinsSize;
    state.flags = parsed.base.flags;
    state.logBase = parsed.base;
    state.logBaseBytes = bytes.subarray(0, LOG_BASE_BLOCK_SIZE);
  }
  return replay;
}

/** Whether sequence number `a` comes before `b`, allowing for u32 wrap-around. */
function sequenceBefore(a: number, b: number): boolean {
  const delta = (b - a) >>> 0;
  return delta !== 0 && delta <= 0x7fffffff;
}

/**
 * Recovers a dirty primary hive in memory. `primaryBase` is the primary's base
 * block as read (its checksum may be bad). Returns `recovered: false` with a
 * `failure` when no usable log or scheme is found.
 *
 * @example
 * ```ts ignore
 * import { recoverHive } from "./transaction_log.ts";
 * import { parseBaseBlock } from "./base_block.ts";
 * const primary = await Deno.readFile("NTUSER.DAT");
 * const log1 = await Deno.readFile("NTUSER.DAT.LOG1");
 * const log2 = await Deno.readFile("NTUSER.DAT.LOG2");
 * const result = recoverHive(primary, parseBaseBlock(primary), [
 *   { name: "NTUSER.DAT.LOG1", bytes: log1 },
 *   { name: "NTUSER.DAT.LOG2", bytes: log2 },
 * ]);
 * ```
 */
export function recoverHive(
  primary: Uint8Array,
  primaryBase: BaseBlock,
  logs: readonly TransactionLog[],
): RecoveryResult {
  const problems: LogProblem[] = [];
  const parsed: ParsedLog[] = [];
  for (const log of logs) {
    if (log.unreadable !== undefined) {
      problems.push({
        log: log.name,
        kind: "rejected",
        message: `${log.name}: not read (${log.unreadable})`,
      });
      continue;
    }
    if (log.bytes.length === 0) continue; // An empty .LOG2 is normal.
    const result = parseLog(log);
    if (typeof result === "string") {
      problems.push({ log: log.name, kind: "rejected", message: result });
    } else parsed.push(result);
  }
  const fail = (why: string): RecoveryResult => ({
    recovered: false,
    applied: [],
    units: 0,
    replays: [],
    problems,
    failure: [why, ...problems.map((p) => p.message)].join("; "),
  });
  if (logs.length === 0) return fail("dirty hive and no transaction logs next to it");
  // Dual logging writes .LOG1 and .LOG2 together (an unused .LOG2 stays as an empty
  // file); one without the other is no valid scheme, as in yarp's recover_auto.
  const hasLog1 = logs.some((l) => roleOf(l.name) === "log1");
  const hasLog2 = logs.some((l) => roleOf(l.name) === "log2");
  if (hasLog1 !== hasLog2) {
    return fail(
      `a .LOG${hasLog1 ? "1" : "2"} without its .LOG${
        hasLog1 ? "2" : "1"
      }: no valid recovery scheme`,
    );
  }

  const baseValid = primaryBase.checksumValid;
  const state: RecoveryState = {
    image: new HiveImage(primary),
    base: primaryBase,
    hiveBinsSize: primaryBase.hiveBinsSize,
    flags: primaryBase.flags,
    units: 0,
    problems,
    maxImage: Math.max(primary.length, BASE_BLOCK_SIZE) +
      logs.reduce((sum, log) => sum + log.bytes.length, 0),
  };
  const replays: LogReplay[] = [];
  const pick = (format: "old" | "new", role: LogRole) =>
    parsed.find((p) => p.format === format && p.role === role);

  const new1 = pick("new", "log1");
  const new2 = pick("new", "log2");
  const newSingle = pick("new", "log");
  const eligible = (p: ParsedLog) =>
    !baseValid || p.base.primarySequence >= primaryBase.secondarySequence;

  if (new1 && new2) {
    const [first, second] = sequenceBefore(new2.base.primarySequence, new1.base.primarySequence)
      ? [new2, new1]
      : [new1, new2];
    if (!baseValid) {
      // Without a valid base block only the log with the latest entries counts.
      replays.push(applyNewLog(state, second));
    } else if (!eligible(first)) {
      if (!eligible(second)) return fail("logs are older than the hive");
      replays.push(applyNewLog(state, second));
    } else {
      replays.push(applyNewLog(state, first));
      const next = state.lastSequence === undefined
        ? first.base.primarySequence
        : (state.lastSequence + 1) >>> 0;
      const starts = second.base.primarySequence;
      if (state.lastSequence !== undefined && starts === next) {
        replays.push(applyNewLog(state, second));
      } else if (sequenceBefore(next, starts)) {
        // The second log goes on from entries the first did not give: it cannot be applied.
        problems.push({
          log: second.log.name,
          kind: "rejected",
          message: `${second.log.name}: starts at sequence ${starts} but the replay of ` +
            `${first.log.name} reached ${next}: not applied`,
        });
      }
    }
  } else if (new1 || new2 || newSingle) {
    const only = (new1 ?? new2 ?? newSingle)!;
    if (!eligible(only)) return fail(`${only.log.name} is older than the hive`);
    const starts = only.base.primarySequence;
    if (baseValid && sequenceBefore(primaryBase.secondarySequence, starts)) {
      problems.push({
        log: only.log.name,
        kind: "gap",
        message: `${only.log.name}: starts at sequence ${starts} but the hive's last complete ` +
          `write is ${primaryBase.secondarySequence}: the entries between are missing`,
      });
    }
    replays.push(applyNewLog(state, only));
  } else {
    const olds = parsed.filter((p) => p.format === "old");
    const old1 = olds.find((p) => p.role === "log1");
    const old2 = olds.find((p) => p.role === "log2");
    let chosen: ParsedLog | undefined;
    if (old1 && old2) chosen = old1.base.lastWritten >= old2.base.lastWritten ? old1 : old2;
    else chosen = old1 ?? old2 ?? olds.find((p) => p.role === "log");
    if (!chosen) return fail("no usable transaction log");
    const primaryTime = baseValid ? primaryBase.lastWritten : firstBinTimestamp(primary);
    if (chosen.base.lastWritten < primaryTime) {
      return fail(`${chosen.log.name} is older than the hive`);
    }
    replays.push(applyOldLog(state, chosen));
  }

  const used = replays.filter((replay) => replay.entries > 0 || replay.pages > 0);
  if (state.units === 0) {
    return fail(
      `nothing applied: no valid log entry or dirty page in ${
        replays.map((r) => r.log).join(", ")
      }`,
    );
  }
  return {
    recovered: true,
    applied: used.map((replay) => replay.log),
    units: state.units,
    replays: used,
    problems,
    bytes: finish(state, baseValid),
  };
}

/**
 * One line saying what a recovery replayed: each log with its entries (and
 * sequence numbers) or dirty pages.
 *
 * @example
 * ```ts
 * import { describeReplays } from "./transaction_log.ts";
 * describeReplays([{ log: "NTUSER.DAT.LOG1", format: "new", entries: 2, pages: 3, firstSequence: 7, lastSequence: 8 }]);
 * // "NTUSER.DAT.LOG1: 2 entries (3 dirty pages), sequence 7 to 8"
 * ```
 */
export function describeReplays(replays: readonly LogReplay[]): string {
  return replays.map((replay) =>
    replay.format === "new"
      ? `${replay.log}: ${replay.entries} entr${
        replay.entries === 1 ? "y" : "ies"
      } (${replay.pages} dirty page${
        replay.pages === 1 ? "" : "s"
      }), sequence ${replay.firstSequence} to ${replay.lastSequence}`
      : `${replay.log}: ${replay.pages} dirty page${replay.pages === 1 ? "" : "s"} (old format)`
  ).join("; ");
}

function firstBinTimestamp(primary: Uint8Array): number {
  if (primary.length < BASE_BLOCK_SIZE + 32) return 0;
  const view = new DataView(primary.buffer, primary.byteOffset, primary.byteLength);
  return readFiletime(view, BASE_BLOCK_SIZE + 20);
}

/** Writes a consistent base block into the recovered image and returns its bytes. */
function finish(state: RecoveryState, baseValid: boolean): Uint8Array {
  const image = state.image;
  const bytes = image.bytes.subarray(
    0,
    Math.max(image.length, BASE_BLOCK_SIZE + state.hiveBinsSize),
  );
  if (!baseValid && state.logBaseBytes) {
    bytes.fill(0, 0, LOG_BASE_BLOCK_SIZE);
    bytes.set(state.logBaseBytes, 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const source = state.logBase ?? state.base;
  const sequence = state.lastSequence ?? source.primarySequence;
  view.setUint32(4, sequence, true);
  view.setUint32(8, sequence, true);
  view.setUint32(24, source.minorVersion, true);
  view.setUint32(28, FileType.Primary, true);
  view.setUint32(36, source.rootCellOffset, true);
  view.setUint32(40, state.hiveBinsSize, true);
  view.setUint32(144, state.flags, true);
  view.setUint32(508, baseBlockChecksum(bytes, 0), true);
  return bytes;
}
