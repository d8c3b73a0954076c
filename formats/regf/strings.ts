/**
 * Fast decoders for the two string encodings of hive records: 8-bit
 * ("compressed", Latin-1) names and UTF-16LE names and data.
 *
 * @module
 */

const utf16Decoder = new TextDecoder("utf-16le");

/**
 * Reused arrays of code units, one per length up to 64: filled and passed
 * to one `String.fromCharCode.apply`, they build a short string at once,
 * where `+=` per character makes a new string each time (names are decoded
 * hundreds of thousands of times). A fixed length per array avoids resizing.
 */
const unitsByLength: number[][] = Array.from(
  { length: 65 },
  (_, n) => new Array<number>(n).fill(0),
);

/** Decodes `bytes[start, end)` as Latin-1 (each byte is one code point). */
export function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    const units = unitsByLength[end - start]!;
    for (let i = start; i < end; i++) units[i - start] = bytes[i]!;
    return String.fromCharCode.apply(null, units);
  }
  let text = "";
  for (let i = start; i < end; i += 4096) {
    const chunk = bytes.subarray(i, Math.min(end, i + 4096));
    text += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return text;
}

/**
 * Decodes `bytes[start, end)` as UTF-16LE; an odd trailing byte is dropped.
 * Short strings keep unpaired surrogates as they are (names may hold them).
 */
export function decodeUtf16(bytes: Uint8Array, start: number, end: number): string {
  if ((end - start) & 1) end--;
  if (end - start <= 128) {
    const units = unitsByLength[(end - start) >> 1]!;
    for (let i = start, j = 0; i < end; i += 2, j++) units[j] = bytes[i]! | (bytes[i + 1]! << 8);
    return String.fromCharCode.apply(null, units);
  }
  return utf16Decoder.decode(bytes.subarray(start, end));
}

/** The position of the first UTF-16 NUL code unit in `[start, end)`, or `end`. */
export function utf16NulPosition(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i + 1 < end; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) return i;
  }
  return end;
}

/** Decodes UTF-16LE up to the first NUL (real hives carry junk after it). */
export function decodeUtf16z(bytes: Uint8Array, start: number, end: number): string {
  return decodeUtf16(bytes, start, utf16NulPosition(bytes, start, end));
}
