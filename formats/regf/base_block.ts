/**
 * The REGF base block: the first 4096 bytes of a primary hive file (and the
 * first 512 bytes of a transaction log), per msuhanov's specification.
 *
 * @module
 */

/** Size of the base block in a primary file; hive bins start here. */
export const BASE_BLOCK_SIZE = 4096;
/** Size of the base block copy at the start of a transaction log. */
export const LOG_BASE_BLOCK_SIZE = 512;

/** `file type` values of the base block. */
export const FileType = {
  Primary: 0,
  LogOld: 1,
  LogVeryOld: 2,
  LogNew: 6,
} as const;

/** The decoded fields of a base block. */
export interface BaseBlock {
  /** Primary sequence number: bumped when a write starts. */
  primarySequence: number;
  /** Secondary sequence number: bumped when it ends (equal means consistent). */
  secondarySequence: number;
  /** Last written time as FILETIME ticks (100 ns since 1601), lossy above 2^53. */
  lastWritten: number;
  /** Major format version (1). */
  majorVersion: number;
  /** Minor format version (1–6). */
  minorVersion: number;
  /** File type: 0 primary, 1 or 2 old-format log, 6 new-format log. */
  fileType: number;
  /** File format (1: direct memory load). */
  fileFormat: number;
  /** Root cell offset, relative to the start of hive bins data. */
  rootCellOffset: number;
  /** Hive bins data size in bytes. */
  hiveBinsSize: number;
  /** Clustering factor (sector size / 512). */
  clusteringFactor: number;
  /** Flags. */
  flags: number;
  /** The stored XOR-32 checksum. */
  checksum: number;
  /** Whether the stored checksum matches the computed one. */
  checksumValid: boolean;
}

/**
 * The XOR-32 checksum of bytes 0–507 at `offset`, with msuhanov's special
 * cases (0 → 1, 0xFFFFFFFF → 0xFFFFFFFE).
 */
export function baseBlockChecksum(bytes: Uint8Array, offset = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sum = 0;
  for (let i = 0; i < 508; i += 4) sum ^= view.getUint32(offset + i, true);
  sum >>>= 0;
  if (sum === 0) return 1;
  if (sum === 0xffffffff) return 0xfffffffe;
  return sum;
}

/** Reads a FILETIME (two u32 halves) as a number of ticks. */
export function readFiletime(view: DataView, offset: number): number {
  return view.getUint32(offset + 4, true) * 4294967296 + view.getUint32(offset, true);
}

/** Converts FILETIME ticks to a Date (undefined for 0 and out-of-range values). */
export function filetimeToDate(ticks: number): Date | undefined {
  if (ticks <= 0) return undefined;
  const ms = ticks / 10000 - 11644473600000;
  if (!Number.isFinite(ms) || ms < -8.64e15 || ms > 8.64e15) return undefined;
  return new Date(Math.floor(ms));
}

/**
 * Decodes the base block at `offset` (0 for a primary file). The caller has
 * checked that 512 bytes are present and that the signature is `regf`.
 */
export function parseBaseBlock(bytes: Uint8Array, offset = 0): BaseBlock {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checksum = view.getUint32(offset + 508, true);
  return {
    primarySequence: view.getUint32(offset + 4, true),
    secondarySequence: view.getUint32(offset + 8, true),
    lastWritten: readFiletime(view, offset + 12),
    majorVersion: view.getUint32(offset + 20, true),
    minorVersion: view.getUint32(offset + 24, true),
    fileType: view.getUint32(offset + 28, true),
    fileFormat: view.getUint32(offset + 32, true),
    rootCellOffset: view.getUint32(offset + 36, true),
    hiveBinsSize: view.getUint32(offset + 40, true),
    clusteringFactor: view.getUint32(offset + 44, true),
    flags: view.getUint32(offset + 144, true),
    checksum,
    checksumValid: checksum === baseBlockChecksum(bytes, offset),
  };
}

/** Whether `bytes` start with the `regf` signature at `offset`. */
export function hasRegfSignature(bytes: Uint8Array, offset = 0): boolean {
  return bytes.length >= offset + 4 && bytes[offset] === 0x72 && bytes[offset + 1] === 0x65 &&
    bytes[offset + 2] === 0x67 && bytes[offset + 3] === 0x66;
}
