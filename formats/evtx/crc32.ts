/**
 * CRC-32 (IEEE 802.3, the zlib/gzip polynomial) as EVTX uses it for its file
 * header, chunk headers and record data.
 *
 * @module
 */

const table = /* @__PURE__ */ (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
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
  let c = ~crc;
  for (let i = start; i < end; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
