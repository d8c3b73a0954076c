/**
 * Random-access input for the pure parsers (PE, EVTX), so that a large file is
 * never read whole: a parser asks only for the ranges it needs, and never
 * touches the operating system itself.
 *
 * @module
 */

/**
 * A random-access view of a file's bytes.
 *
 * `read` may return fewer bytes than asked for at the end of the source; the
 * parser treats a short read as "the file ends here". It must not return more.
 */
export interface ByteSource {
  /** The total size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes starting at `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Wraps bytes already in memory as a {@linkcode ByteSource}. Reads return
 * views, not copies.
 *
 * @example Parse a PE image held in memory
 * ```ts
 * import { byteSourceFromBytes } from "./byte_source.ts";
 * import { parsePeInfo } from "./pe/mod.ts";
 * const result = await parsePeInfo(byteSourceFromBytes(new Uint8Array([0x4d, 0x5a])));
 * console.log(result.ok); // false: too small to be a PE file
 * ```
 */
export function byteSourceFromBytes(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(bytes.length, Math.floor(offset)));
      const end = Math.max(start, Math.min(bytes.length, start + Math.max(0, Math.floor(length))));
      return Promise.resolve(bytes.subarray(start, end));
    },
  };
}

/**
 * The part of an open file handle that {@linkcode byteSourceFromSeekable}
 * needs; `Deno.FsFile` fits it.
 */
export interface SeekableReader {
  /** Moves the file position; `whence` 0 means from the start. */
  seek(offset: number, whence: 0): Promise<number>;
  /** Reads into `buffer`, returning the count read or `null` at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/**
 * Wraps an open file handle (anything with `seek` and `read`, such as
 * `Deno.FsFile`) as a {@linkcode ByteSource}. Reads are serialised because
 * seek-then-read is stateful. The caller keeps ownership of the handle and
 * closes it after parsing.
 *
 * @example Parse a file on disk without reading it whole
 * ```ts ignore
 * import { byteSourceFromSeekable } from "./byte_source.ts";
 * import { parsePeInfo } from "./pe/mod.ts";
 * using file = await Deno.open("C:/Windows/notepad.exe");
 * const { size } = await file.stat();
 * const result = await parsePeInfo(byteSourceFromSeekable(file, size));
 * ```
 */
export function byteSourceFromSeekable(handle: SeekableReader, size: number): ByteSource {
  let queue: Promise<unknown> = Promise.resolve();
  const readAt = async (offset: number, length: number): Promise<Uint8Array> => {
    const start = Math.max(0, Math.min(size, Math.floor(offset)));
    const wanted = Math.max(0, Math.min(size - start, Math.floor(length)));
    const buffer = new Uint8Array(wanted);
    if (wanted === 0) return buffer;
    await handle.seek(start, 0);
    let filled = 0;
    while (filled < wanted) {
      const count = await handle.read(buffer.subarray(filled));
      if (count === null || count === 0) break;
      filled += count;
    }
    return buffer.subarray(0, filled);
  };
  return {
    size,
    read(offset: number, length: number): Promise<Uint8Array> {
      const next = queue.then(() => readAt(offset, length));
      // Keep the chain alive after a failed read; the failure still reaches this caller.
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
