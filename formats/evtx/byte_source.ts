/**
 * Random-access byte sources: the parser reads a file one 64 KiB chunk at a
 * time through this interface, so it never needs the whole file in memory and
 * never touches the OS itself.
 *
 * @module
 */

/** Something the EVTX reader can read ranges from: an open file, a buffer… */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Reads up to `length` bytes at `offset`. Returns fewer bytes only at the end
   * of the source.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Wraps bytes already in memory as a {@linkcode ByteSource}.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * const source = bytesSource(new Uint8Array(8));
 * // source.size === 8
 * ```
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) =>
      Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length))),
  };
}
