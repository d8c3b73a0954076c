/**
 * Reading a whole EVTX file through a {@linkcode ByteSource}, one chunk at a
 * time: file header checks, every 64 KiB block to the end of the file (the
 * header's chunk count is not trusted), damaged blocks reported and skipped.
 *
 * @module
 */
import type { ByteSource } from "../byte_source.ts";
import { chunkSize, hasChunkSignature, isZeroBlock, readChunk, type TimeWindow } from "./chunk.ts";
import { crc32 } from "./crc32.ts";
import type { EvtxRecord } from "./record.ts";
import { unixMsToFiletime } from "./time.ts";
import type { EvtxWarning } from "./warning.ts";

const headerBlockSize = 4096;
const fileMagic = "ElfFile\0";

/** The file header's fields. */
export interface EvtxFileHeader {
  /** Format major version (3). */
  majorVersion: number;
  /** Format minor version (1, or 2 since Windows 10 2004). */
  minorVersion: number;
  /** 0x1 dirty, 0x2 full, 0x4 no CRC32. */
  flags: number;
  /** Flag 0x1: the log was not closed cleanly; header counts may be stale. */
  dirty: boolean;
  /** Chunk count as the header states it (stale when dirty). */
  chunkCount: number;
  /** Next record identifier as the header states it. */
  nextRecordId: number;
}

/** Options of {@linkcode readEvtx}. */
export interface EvtxReadOptions {
  /** Only records written at or after this time (record header timestamp). */
  since?: Date;
  /** Only records written at or before this time. */
  until?: Date;
  /** Receives every problem worked around. */
  onWarning?: (warning: EvtxWarning) => void;
  /** Stop early. */
  signal?: AbortSignal;
  /**
   * Also yield stale records carved from chunk slack, flagged `recovered`
   * (never counted in `records`). Default false.
   */
  recovered?: boolean;
}

/** Figures about one read, filled in as the reader goes. */
export interface EvtxReadStats {
  /** The file header, when it was readable. */
  header?: EvtxFileHeader;
  /** Blocks that held a chunk signature. */
  chunks: number;
  /** Records yielded. */
  records: number;
  /** Records left out by the time window without being decoded. */
  outsideWindow: number;
  /** Stale records carved from slack (with the `recovered` option). */
  recovered?: number;
  /** Bytes read from the source. */
  bytesRead: number;
}

/** Parses the file header block; returns undefined when the signature is wrong. */
export function readFileHeader(bytes: Uint8Array): EvtxFileHeader | undefined {
  if (bytes.length < 128) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== fileMagic.charCodeAt(i)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint32(120, true);
  return {
    minorVersion: view.getUint16(36, true),
    majorVersion: view.getUint16(38, true),
    flags,
    dirty: (flags & 1) !== 0,
    chunkCount: view.getUint16(42, true),
    nextRecordId: view.getUint32(28, true) * 4294967296 + view.getUint32(24, true),
  };
}

/**
 * Reads the records of an EVTX file in file order. Never throws for damaged
 * data: problems go to `onWarning` and reading goes on. Record bodies are
 * decoded lazily (see {@linkcode EvtxRecord.content}); with `since`/`until`,
 * records outside the window are skipped from their header timestamp alone.
 *
 * @example
 * ```ts ignore
 * import { byteSourceFromBytes, readEvtx } from "./mod.ts";
 * const bytes = await Deno.readFile("Security.evtx");
 * for await (const record of readEvtx(byteSourceFromBytes(bytes))) {
 *   console.log(record.recordId, record.system().eventId);
 * }
 * ```
 */
export async function* readEvtx(
  source: ByteSource,
  options: EvtxReadOptions = {},
  stats: EvtxReadStats = { chunks: 0, records: 0, outsideWindow: 0, bytesRead: 0 },
): AsyncGenerator<EvtxRecord> {
  for await (const records of readEvtxChunks(source, options, stats)) yield* records;
}

/**
 * Like {@linkcode readEvtx}, but yields the records of one chunk at a time
 * (fewer asynchronous steps for callers that process records in bulk).
 */
export async function* readEvtxChunks(
  source: ByteSource,
  options: EvtxReadOptions = {},
  stats: EvtxReadStats = { chunks: 0, records: 0, outsideWindow: 0, bytesRead: 0 },
): AsyncGenerator<EvtxRecord[]> {
  const warn = options.onWarning ?? (() => {});
  const window: TimeWindow | undefined = options.since || options.until
    ? {
      since: options.since ? unixMsToFiletime(options.since.getTime()) : -Infinity,
      until: options.until ? unixMsToFiletime(options.until.getTime()) : Infinity,
    }
    : undefined;
  const headerBytes = await source.read(0, headerBlockSize);
  stats.bytesRead += headerBytes.length;
  const header = readFileHeader(headerBytes);
  let fileFlags = 0;
  if (!header) {
    const probe = source.size > headerBlockSize ? await source.read(headerBlockSize, 8) : undefined;
    if (!probe || !hasChunkSignature(probe)) {
      warn({
        code: "evtx-not-evtx",
        message: "not an EVTX file (no ElfFile signature)",
        offset: 0,
      });
      return;
    }
    warn({
      code: "evtx-header-crc",
      message: "file header signature damaged; reading chunks anyway",
      offset: 0,
    });
  } else {
    stats.header = header;
    fileFlags = header.flags;
    if ((header.flags & 0x4) === 0) {
      const view = new DataView(headerBytes.buffer, headerBytes.byteOffset, 128);
      if (crc32(headerBytes, 0, 120) !== view.getUint32(124, true)) {
        warn({ code: "evtx-header-crc", message: "file header checksum mismatch", offset: 0 });
      }
    }
    if (header.majorVersion !== 3) {
      warn({
        code: "evtx-header-crc",
        message: `unexpected format version ${header.majorVersion}.${header.minorVersion}`,
        offset: 36,
      });
    }
  }
  if (source.size < headerBlockSize) {
    warn({ code: "evtx-truncated", message: "file ends inside the header block", offset: 0 });
    return;
  }
  const pendingZero: number[] = [];
  // Chunks are read in batches of up to 1 MiB: few reads, memory still bounded.
  const batchSize = 16 * chunkSize;
  for (let batchOffset = headerBlockSize; batchOffset < source.size; batchOffset += batchSize) {
    if (options.signal?.aborted) return;
    const batch = await source.read(batchOffset, Math.min(batchSize, source.size - batchOffset));
    stats.bytesRead += batch.length;
    for (let at = 0; at < batch.length; at += chunkSize) {
      const offset = batchOffset + at;
      const block = batch.subarray(at, Math.min(batch.length, at + chunkSize));
      if (block.length < chunkSize && block.length < 512) {
        if (!isZeroBlock(block)) {
          warn({
            code: "evtx-truncated",
            message: `file ends ${block.length} bytes into a chunk`,
            offset,
          });
        }
        break;
      }
      if (!hasChunkSignature(block)) {
        if (isZeroBlock(block)) {
          pendingZero.push(offset);
          continue;
        }
        warn({
          code: "evtx-chunk-signature",
          message: "block without the ElfChnk signature skipped",
          offset,
        });
        continue;
      }
      // Zero-filled blocks followed by a real chunk are damage, not pre-allocation.
      for (const zero of pendingZero) {
        warn({ code: "evtx-chunk-zero", message: "zero-filled chunk skipped", offset: zero });
      }
      pendingZero.length = 0;
      stats.chunks++;
      const result = readChunk(block, offset, fileFlags, window, warn, options.recovered === true);
      stats.outsideWindow += result.outsideWindow;
      stats.records += result.records.length;
      if (result.recovered.length > 0) {
        stats.recovered = (stats.recovered ?? 0) + result.recovered.length;
        yield [...result.records, ...result.recovered];
      } else if (result.records.length > 0) {
        yield result.records;
      }
    }
    if (batch.length < Math.min(batchSize, source.size - batchOffset)) break;
  }
  // Trailing zero blocks are normal pre-allocation unless the header counted them as used.
  if (header) {
    for (const zero of pendingZero) {
      if ((zero - headerBlockSize) / chunkSize < header.chunkCount && !header.dirty) {
        warn({
          code: "evtx-chunk-zero",
          message: "zero-filled chunk the header counts as used",
          offset: zero,
        });
      }
    }
  }
}
