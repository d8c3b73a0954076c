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

/** What recovery did. */
export interface RecoveryResult {
  /** True when at least one log was applied. */
  recovered: boolean;
  /** The names of the logs applied, in the order applied. */
  applied: string[];
  /** The number of HvLE entries (new format) or dirty pages (old format) applied. */
  units: number;
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
}

/** Applies the valid HvLE entries of one new-format log; returns the number applied. */
function applyNewLog(state: RecoveryState, parsed: ParsedLog): number {
  const bytes = parsed.log.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let expected = parsed.base.primarySequence;
  let pos = LOG_BASE_BLOCK_SIZE;
  let applied = 0;
  // Each entry is at least 512 bytes, so this loop is bounded by the file size.
  while (pos + 40 <= bytes.length) {
    if (
      bytes[pos] !== 0x48 || bytes[pos + 1] !== 0x76 || bytes[pos + 2] !== 0x4c ||
      bytes[pos + 3] !== 0x45
    ) break;
    const size = view.getUint32(pos + 4, true);
    const flags = view.getUint32(pos + 8, true);
    const sequence = view.getUint32(pos + 12, true);
    const hiveBinsSize = view.getUint32(pos + 16, true);
    const pageCount = view.getUint32(pos + 20, true);
    if (size < 512 || size % 512 !== 0 || pos + size > bytes.length) break;
    if (hiveBinsSize < 4096 || hiveBinsSize % 4096 !== 0 || hiveBinsSize > MAX_HIVE_BINS) break;
    if (pageCount === 0 || 40 + pageCount * 8 > size) break;
    if (sequence !== expected) break;
    const [lo1, hi1] = marvin32(bytes, pos + 40, pos + size);
    const [lo2, hi2] = marvin32(bytes, pos, pos + 32);
    if (
      lo1 !== view.getUint32(pos + 24, true) || hi1 !== view.getUint32(pos + 28, true) ||
      lo2 !== view.getUint32(pos + 32, true) || hi2 !== view.getUint32(pos + 36, true)
    ) break;
    let dataPos = pos + 40 + pageCount * 8;
    state.image.ensure(BASE_BLOCK_SIZE + hiveBinsSize);
    for (let i = 0; i < pageCount; i++) {
      const target = view.getUint32(pos + 40 + i * 8, true);
      const pageSize = view.getUint32(pos + 44 + i * 8, true);
      if (dataPos + pageSize > pos + size) break;
      state.image.write(BASE_BLOCK_SIZE + target, bytes.subarray(dataPos, dataPos + pageSize));
      dataPos += pageSize;
    }
    state.lastSequence = sequence;
    state.hiveBinsSize = hiveBinsSize;
    state.flags = (state.flags & ~1) | (flags & 1);
    expected = (expected + 1) >>> 0;
    applied++;
    pos += size;
  }
  state.logBase = parsed.base;
  state.logBaseBytes = bytes.subarray(0, LOG_BASE_BLOCK_SIZE);
  state.units += applied;
  return applied;
}

/** Applies an old-format log's dirty pages. */
function applyOldLog(state: RecoveryState, parsed: ParsedLog): void {
  const bytes = parsed.log.bytes;
  const hiveBinsSize = parsed.base.hiveBinsSize;
  const bitmapBytes = Math.floor(hiveBinsSize / 4096);
  let logPos = oldPagesStart(hiveBinsSize);
  state.image.ensure(BASE_BLOCK_SIZE + hiveBinsSize);
  for (let bit = 0; bit < bitmapBytes * 8; bit++) {
    const byte = bytes[LOG_BASE_BLOCK_SIZE + 4 + (bit >> 3)] ?? 0;
    if (((byte >> (bit & 7)) & 1) === 0) continue;
    if (logPos + 512 > bytes.length) break;
    state.image.write(BASE_BLOCK_SIZE + bit * 512, bytes.subarray(logPos, logPos + 512));
    logPos += 512;
    state.units++;
  }
  state.hiveBinsSize = hiveBinsSize;
  state.flags = parsed.base.flags;
  state.logBase = parsed.base;
  state.logBaseBytes = bytes.subarray(0, LOG_BASE_BLOCK_SIZE);
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
  const problems: string[] = [];
  const parsed: ParsedLog[] = [];
  for (const log of logs) {
    if (log.unreadable !== undefined) {
      problems.push(`${log.name}: not read (${log.unreadable})`);
      continue;
    }
    if (log.bytes.length === 0) continue; // An empty .LOG2 is normal.
    const result = parseLog(log);
    if (typeof result === "string") problems.push(result);
    else parsed.push(result);
  }
  const fail = (why: string): RecoveryResult => ({
    recovered: false,
    applied: [],
    units: 0,
    failure: [why, ...problems].join("; "),
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
  };
  const applied: string[] = [];
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
      applyNewLog(state, second);
      applied.push(second.log.name);
    } else if (!eligible(first)) {
      if (!eligible(second)) return fail("logs are older than the hive");
      applyNewLog(state, second);
      applied.push(second.log.name);
    } else {
      applyNewLog(state, first);
      applied.push(first.log.name);
      if (
        state.lastSequence !== undefined &&
        second.base.primarySequence === ((state.lastSequence + 1) >>> 0)
      ) {
        applyNewLog(state, second);
        applied.push(second.log.name);
      }
    }
  } else if (new1 || new2 || newSingle) {
    const only = (new1 ?? new2 ?? newSingle)!;
    if (!eligible(only)) return fail(`${only.log.name} is older than the hive`);
    applyNewLog(state, only);
    applied.push(only.log.name);
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
    applyOldLog(state, chosen);
    applied.push(chosen.log.name);
  }

  return { recovered: true, applied, units: state.units, bytes: finish(state, baseValid) };
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
