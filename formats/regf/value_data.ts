/**
 * Registry value types and the decoding of value data by type.
 *
 * @module
 */
import { decodeUtf16, decodeUtf16z } from "./strings.ts";

/** The value type numbers. */
export const ValueType = {
  REG_NONE: 0,
  REG_SZ: 1,
  REG_EXPAND_SZ: 2,
  REG_BINARY: 3,
  REG_DWORD: 4,
  REG_DWORD_BIG_ENDIAN: 5,
  REG_LINK: 6,
  REG_MULTI_SZ: 7,
  REG_RESOURCE_LIST: 8,
  REG_FULL_RESOURCE_DESCRIPTOR: 9,
  REG_RESOURCE_REQUIREMENTS_LIST: 10,
  REG_QWORD: 11,
} as const;

const typeNames: readonly string[] = [
  "REG_NONE",
  "REG_SZ",
  "REG_EXPAND_SZ",
  "REG_BINARY",
  "REG_DWORD",
  "REG_DWORD_BIG_ENDIAN",
  "REG_LINK",
  "REG_MULTI_SZ",
  "REG_RESOURCE_LIST",
  "REG_FULL_RESOURCE_DESCRIPTOR",
  "REG_RESOURCE_REQUIREMENTS_LIST",
  "REG_QWORD",
];

/**
 * The name of a value type (`REG_SZ`…); unknown numbers give
 * `REG_UNKNOWN_0x…` so they stay visible and searchable.
 */
export function valueTypeName(type: number): string {
  // Range first: indexing with a number above 2^31 (0xffff0012…) takes a slow path.
  const known = type >= 0 && type < typeNames.length ? typeNames[type] : undefined;
  return known ?? `REG_UNKNOWN_0x${type.toString(16)}`;
}

/** The number of a value type name (`REG_SZ` → 1), or undefined. */
export function valueTypeNumber(name: string): number | undefined {
  const index = typeNames.indexOf(name.toUpperCase());
  if (index >= 0) return index;
  const unknown = /^REG_UNKNOWN_0x([0-9a-f]+)$/i.exec(name);
  return unknown ? parseInt(unknown[1]!, 16) : undefined;
}

/** Decoded value data: text, a list of texts, an integer, or raw bytes. */
export type DecodedValue = string | string[] | number | bigint | Uint8Array;

/**
 * Splits REG_MULTI_SZ data on NUL. The list ends at the first empty string
 * (the double NUL), so junk after it is dropped.
 */
export function decodeMultiString(data: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  const end = data.length & ~1;
  for (let i = 0; i < end; i += 2) {
    if (data[i] === 0 && data[i + 1] === 0) {
      if (i === start) return out;
      out.push(decodeUtf16(data, start, i));
      start = i + 2;
    }
  }
  if (start < end) out.push(decodeUtf16(data, start, end));
  return out;
}

/**
 * Decodes value data by type:
 * - REG_SZ, REG_EXPAND_SZ (unexpanded), REG_LINK: text up to the first NUL;
 * - REG_MULTI_SZ: the list of strings;
 * - REG_DWORD (LE), REG_DWORD_BIG_ENDIAN: a number, when exactly 4 bytes;
 * - REG_QWORD: a bigint, when exactly 8 bytes;
 * - everything else, and integers of the wrong size: the raw bytes.
 *
 * @example
 * ```ts
 * import { decodeValue, ValueType } from "./value_data.ts";
 * decodeValue(ValueType.REG_DWORD, new Uint8Array([1, 0, 0, 0])); // 1
 * ```
 */
export function decodeValue(type: number, data: Uint8Array): DecodedValue {
  switch (type) {
    case 1:
    case 2:
    case 6:
      return decodeUtf16z(data, 0, data.length);
    case 7:
      return decodeMultiString(data);
    case 4:
      if (data.length !== 4) return data;
      return (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
    case 5:
      if (data.length !== 4) return data;
      return ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
    case 11: {
      if (data.length !== 8) return data;
      const view = new DataView(data.buffer, data.byteOffset, 8);
      return view.getBigUint64(0, true);
    }
    default:
      return data;
  }
}

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

const hexCodes = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  // Two ASCII digits as one little-endian u16: low byte first.
  hexCodes[i] = hexDigits[i]!.charCodeAt(0) | (hexDigits[i]!.charCodeAt(1) << 8);
}
const asciiDecoder = new TextDecoder("latin1");

/** Lower-case hex of bytes, without separators. */
export function toHex(data: Uint8Array): string {
  if (data.length <= 24) {
    let out = "";
    for (let i = 0; i < data.length; i++) out += hexDigits[data[i]!];
    return out;
  }
  const codes = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) codes[i] = hexCodes[data[i]!]!;
  const bytes = new Uint8Array(codes.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    // Big-endian host: swap each pair so that the first digit comes first.
    for (let i = 0; i < bytes.length; i += 2) {
      const first = bytes[i]!;
      bytes[i] = bytes[i + 1]!;
      bytes[i + 1] = first;
    }
  }
  return asciiDecoder.decode(bytes);
}
