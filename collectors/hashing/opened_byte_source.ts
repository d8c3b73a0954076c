/**
 * An {@linkcode OpenedFile} as the parsers' {@linkcode ByteSource}: each
 * range read in full (positional reads may return less than asked) up to
 * the size the file had when opened, so a parser never sees bytes past it.
 *
 * @example
 * ```ts ignore
 * import { openedByteSource } from "./mod.ts";
 * const file = await opener.open(path, { followSymlinks: false });
 * const source = openedByteSource(file);
 * const header = await source.read(0, 64);
 * ```
 *
 * @module
 */
import type { ByteSource } from "../../formats/byte_source.ts";
import type { OpenedFile } from "./types.ts";

/** `file`'s bytes by range; `counted` hears how many bytes each read gave. */
export function openedByteSource(
  file: OpenedFile,
  counted: (bytes: number) => void = () => {},
): ByteSource {
  return {
    size: file.size,
    async read(offset, length) {
      const wanted = Math.max(0, Math.min(length, file.size - offset));
      const buffer = new Uint8Array(wanted);
      let filled = 0;
      while (filled < wanted) {
        const count = await file.read(buffer.subarray(filled), offset + filled);
        if (count === 0) break;
        filled += count;
      }
      counted(filled);
      return buffer.subarray(0, filled);
    },
  };
}
