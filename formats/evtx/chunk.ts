/**
 * EVTX chunks: the 512-byte chunk header with its checksums, and the walk over
 * the records between offset 512 and the free-space offset.
 *
 * @module
 */
import { BinXmlChunk } from "./binxml.ts";
import { crc32 } from "./crc32.ts";
import { EvtxRecord } from "./record.ts";
import type { EvtxWarning } from "./warning.ts";

/** Size of a chunk. */
export const chunkSize = 65536;
const chunkHeaderSize = 512;
const recordHeaderSize = 24;
const noCrcFlag = 0x4;
/** The record signature, `**\0\0`, as a little-endian 32-bit number. */
const recordSignature = 0x00002a2a;
const magic = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

/** A window on the record header's written time, as FILETIME-scale numbers. */
export interface TimeWindow {
  since: number;
  until: number;
}

/** What one chunk yielded. */
export interface ChunkResult {
  records: EvtxRecord[];
  /** Sound-looking records found in the slack after the free-space offset (stale copies). */
  recovered: EvtxRecord[];
  /** Records inside the chunk that the time window left out (not decoded). */
  outsideWindow: number;
}

/** Whether the block starts with the chunk signature. */
export function hasChunkSignature(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

/** Whether every byte of the block is zero. */
export function isZeroBlock(bytes: Uint8Array): boolean {
  const words = bytes.length >> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) if (view.getUint32(i * 4, true) !== 0) return false;
  for (let i = words * 4; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Reads the records of one chunk (which must carry the chunk signature).
 * Checksums are verified unless the file or chunk says "no CRC32" (flag 0x4);
 * a mismatch is reported and the records are still read. Damaged records are
 * reported and skipped by scanning forward for the next sound record header.
 * Records after the free-space offset (stale copies in slack) are not read.
 */
export function readChunk(
  bytes: Uint8Array,
  fileOffset: number,
  fileFlags: number,
  window: TimeWindow | undefined,
  warn: (warning: EvtxWarning) => void,
  recover = false,
): ChunkResult {
  const records: EvtxRecord[] = [];
  const result: ChunkResult = { records, recovered: [], outsideWindow: 0 };
  if (bytes.length < chunkHeaderSize) {
    warn({
      code: "evtx-truncated",
      message: `chunk header cut short (${bytes.length} bytes)`,
      offset: fileOffset,
    });
    return result;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkFlags = view.getUint32(120, true);
  const checkCrc = ((fileFlags | chunkFlags) & noCrcFlag) === 0;
  if (checkCrc) {
    const headerCrc = crc32(bytes, 128, 512, crc32(bytes, 0, 120));
    if (headerCrc !== view.getUint32(124, true)) {
      warn({
        code: "evtx-chunk-header-crc",
        message: "chunk header checksum mismatch; reading its records anyway",
        offset: fileOffset,
      });
    }
  }
  let freeSpace = view.getUint32(48, true);
  if (freeSpace < chunkHeaderSize || freeSpace > chunkSize) {
    warn({
      code: "evtx-chunk-header-crc",
      message: `implausible free-space offset ${freeSpace}; reading up to the chunk end`,
      offset: fileOffset,
    });
    freeSpace = chunkSize;
  }
  if (bytes.length < chunkSize) {
    // A chunk cut short by the end of the file cannot be trusted (its checksum
    // cannot be verified either); libevtx and python-evtx skip it too.
    warn({
      code: "evtx-truncated",
      message: `chunk cut short (${bytes.length} of ${chunkSize} bytes); skipped`,
      offset: fileOffset,
    });
    return result;
  }
  const end = freeSpace;
  // The data checksum is only worth computing when some record is used.
  let dataCrcChecked = !checkCrc;
  const binxml = new BinXmlChunk(bytes);
  // The header's last record id ends the chunk too (as in evtx-rs): anything
  // after it inside the free-space offset is left over from an earlier write.
  const lastId = view.getUint32(36, true) * 4294967296 + view.getUint32(32, true);
  let pos = chunkHeaderSize;
  while (pos + recordHeaderSize <= end) {
    const size = view.getUint32(pos + 4, true);
    if (view.getUint32(pos, true) !== recordSignature || size < 28 || pos + size > bytes.length) {
      // Past a damaged header the record boundaries are unknown: what follows in
      // the chunk is not trusted (evtx-rs and libevtx stop here too). A record
      // may end past a stale free-space offset (dirty chunk), not past the chunk.
      warn({
        code: "evtx-record-corrupt",
        message: `damaged record header (size ${size}); rest of chunk skipped`,
        offset: fileOffset + pos,
      });
      break;
    }
    if (view.getUint32(pos + size - 4, true) !== size) {
      warn({
        code: "evtx-record-corrupt",
        message: `record size copy mismatch (size ${size}); decoding it anyway`,
        offset: fileOffset + pos,
      });
    }
    const id = view.getUint32(pos + 12, true) * 4294967296 + view.getUint32(pos + 8, true);
    const timeLow = view.getUint32(pos + 16, true);
    const timeHigh = view.getUint32(pos + 20, true);
    if (window) {
      const ticks = timeHigh * 4294967296 + timeLow;
      if (ticks < window.since || ticks > window.until) {
        result.outsideWindow++;
        pos += size;
        if (id === lastId) break;
        continue;
      }
    }
    if (!dataCrcChecked) {
      dataCrcChecked = true;
      if (crc32(bytes, chunkHeaderSize, freeSpace) !== view.getUint32(52, true)) {
        warn({
          code: "evtx-chunk-data-crc",
          message: "chunk record data checksum mismatch; reading its records anyway",
          offset: fileOffset,
        });
      }
    }
    records.push(
      new EvtxRecord(
        binxml,
        fileOffset,
        pos + recordHeaderSize,
        pos + size - 4,
        id,
        timeLow,
        timeHigh,
      ),
    );
    pos += size;
    if (id === lastId) break;
  }
  if (recover) {
    recoverSlack(bytes, view, Math.max(pos, freeSpace), binxml, fileOffset, window, result);
  }
  return result;
}

/**
 * Carves records out of the slack after the free-space offset: stale copies
 * left when a log was saved, filtered or wrapped. They are not part of the log.
 */
function recoverSlack(
  bytes: Uint8Array,
  view: DataView,
  from: number,
  binxml: BinXmlChunk,
  fileOffset: number,
  window: TimeWindow | undefined,
  result: ChunkResult,
): void {
  for (let p = from; p + 28 <= bytes.length; p++) {
    if (bytes[p] !== 0x2a || view.getUint32(p, true) !== recordSignature) continue;
    const size = view.getUint32(p + 4, true);
    if (size < 28 || p + size > bytes.length || view.getUint32(p + size - 4, true) !== size) {
      continue;
    }
    const timeLow = view.getUint32(p + 16, true);
    const timeHigh = view.getUint32(p + 20, true);
    const ticks = timeHigh * 4294967296 + timeLow;
    if (!window || (ticks >= window.since && ticks <= window.until)) {
      const id = view.getUint32(p + 12, true) * 4294967296 + view.getUint32(p + 8, true);
      result.recovered.push(
        new EvtxRecord(
          binxml,
          fileOffset,
          p + recordHeaderSize,
          p + size - 4,
          id,
          timeLow,
          timeHigh,
          true,
        ),
      );
    }
    p += size - 1;
  }
}
