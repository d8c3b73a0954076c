/**
 * A positioned reader as the parser's byte source: every read bounded by the
 * size the disk or image had when it was opened.
 *
 * @module
 */
import type { ByteSource } from "../../formats/byte_source.ts";

/** Reads up to `buffer.length` bytes at `position`; returns the count read. */
export type ReadAt = (buffer: Uint8Array, position: number) => number;

/** A byte source over `readAt` that never reads past `size`. */
export function boundedByteSource(size: number, readAt: ReadAt): ByteSource {
  return {
    size,
    read(offset: number, length: number): Promise<Uint8Array> {
      try {
        const start = Math.max(0, Math.min(size, Math.floor(offset)));
        const wanted = Math.max(0, Math.min(size - start, Math.floor(length)));
        const buffer = new Uint8Array(wanted);
        return Promise.resolve(buffer.subarray(0, wanted === 0 ? 0 : readAt(buffer, start)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/**
 * Reads whole sectors only (a raw Windows disk handle refuses reads that do
 * not start and end on a sector boundary): `readSectors` is asked for the
 * aligned range around each read, and the part asked for is copied out.
 *
 * @param readSectors Reads `buffer.length` bytes (a whole number of sectors)
 * at the sector-aligned `offset`; returns the count read.
 */
export function alignedReadAt(
  sectorSize: number,
  readSectors: (offset: number, buffer: Uint8Array) => number,
): ReadAt {
  return (buffer, position) => {
    if (buffer.length === 0) return 0;
    const start = Math.floor(position / sectorSize) * sectorSize;
    const end = Math.ceil((position + buffer.length) / sectorSize) * sectorSize;
    const scratch = new Uint8Array(end - start);
    const got = readSectors(start, scratch);
    const skip = position - start;
    const available = Math.max(0, Math.min(buffer.length, got - skip));
    buffer.set(scratch.subarray(skip, skip + available));
    return available;
  };
}
