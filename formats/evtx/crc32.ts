/**
 * CRC-32 (IEEE 802.3, the zlib/gzip polynomial) as EVTX uses it for its file
 * header, chunk headers and record data. The data checksum of every used
 * 64 KiB chunk is computed, so this is on the hot path: the runtime's native
 * `zlib.crc32` is used when present (about 70× faster), else slicing-by-4
 * tables in TypeScript.
 *
 * @module
 */
import * as zlib from "node:zlib";

type NativeCrc32 = (data: Uint8Array, value?: number) => number;
const native: NativeCrc32 | undefined = typeof (zlib as { crc32?: unknown }).crc32 === "function"
  ? (zlib as unknown as { crc32: NativeCrc32 }).crc32
  : undefined;

const tables = /* @__PURE__ */ (() => {
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = t[prev & 0xff]! ^ (prev >>> 8);
    }
  }
  return t;
})();

/**
 * Continues a CRC-32 over `bytes[start, end)`. Pass the result of a previous
 * call as `crc` to checksum several ranges as one stream.
 *
 * @example
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  if (native !== undefined && end > start) return native(bytes.subarray(start, end), crc) >>> 0;
  return crc32Portable(bytes, start, end, crc);
}

/** The table-driven implementation (used when the runtime has no native CRC-32). */
export function crc32Portable(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  const t = tables;
  let c = ~crc;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^
      t[c >>> 24]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
