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
