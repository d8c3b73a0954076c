/**
 * BinXML value types and their text rendering (the substitution values of a
 * template instance and the typed value tokens).
 *
 * @module
 */
import { filetimeToIso, systemtimeToIso } from "./time.ts";

/** BinXML value type codes. Arrays are `ValueType.ArrayFlag | type`. */
export const ValueType = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

const utf16 = new TextDecoder("utf-16le");
const latin1 = new TextDecoder("windows-1252");

/**
 * Decodes `charCount` UTF-16LE code units at `offset`. Short strings (most
 * values) are built from a reused code-unit array, which is several times
 * faster than a TextDecoder call or string concatenation.
 */
export function readUtf16(bytes: Uint8Array, offset: number, charCount: number): string {
  if (charCount > 256) return utf16.decode(bytes.subarray(offset, offset + charCount * 2));
  const codes = codeBuffer;
  codes.length = charCount;
  for (let i = 0, p = offset; i < charCount; i++, p += 2) {
    codes[i] = bytes[p]! | (bytes[p + 1]! << 8);
  }
  return String.fromCharCode.apply(null, codes);
}

/** Reused scratch space for {@linkcode readUtf16} (single-threaded, never escapes). */
const codeBuffer: number[] = [];

/** Strips the trailing NULs Windows leaves at the end of string values. */
function stripNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

/** `0x` and 16 lower-case hex digits of the little-endian 64-bit value at `offset`. */
function hex64(bytes: Uint8Array, offset: number): string {
  const h = byteHexLower;
  return "0x" + h[bytes[offset + 7]!]! + h[bytes[offset + 6]!]! + h[bytes[offset + 5]!]! +
    h[bytes[offset + 4]!]! + h[bytes[offset + 3]!]! + h[bytes[offset + 2]!]! +
    h[bytes[offset + 1]!]! +
    h[bytes[offset]!]!;
}

/** `0x` and 8 lower-case hex digits of the little-endian 32-bit value at `offset`. */
function hex32(bytes: Uint8Array, offset: number): string {
  const h = byteHexLower;
  return "0x" + h[bytes[offset + 3]!]! + h[bytes[offset + 2]!]! + h[bytes[offset + 1]!]! +
    h[bytes[offset]!]!;
}

/** Lower-case two-digit hex of every byte value. */
const byteHexLower = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function uint64(view: DataView, offset: number): string {
  const hi = view.getUint32(offset + 4, true);
  const lo = view.getUint32(offset, true);
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return view.getBigUint64(offset, true).toString();
}

/** Formats 16 bytes as `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` (first three fields little-endian). */
export function formatGuid(bytes: Uint8Array, offset: number): string {
  const b = (i: number) => byteHex[bytes[offset + i]!]!;
  return `{${b(3)}${b(2)}${b(1)}${b(0)}-${b(5)}${b(4)}-${b(7)}${b(6)}-${b(8)}${b(9)}-${b(10)}${
    b(11)
  }${b(12)}${b(13)}${b(14)}${b(15)}}`;
}

/** Upper-case two-digit hex of every byte value. */
const byteHex = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).toUpperCase().padStart(2, "0"),
);

/** Formats a SID at `offset` (`S-1-5-21-…`); returns it with the number of bytes it used. */
export function formatSid(bytes: Uint8Array, offset: number, limit: number): [string, number] {
  if (offset + 8 > limit) throw new RangeError(`SID truncated at ${offset}`);
  const revision = bytes[offset]!;
  const count = bytes[offset + 1]!;
  const size = 8 + 4 * count;
  if (offset + size > limit) throw new RangeError(`SID truncated at ${offset}`);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[offset + i]!;
  let s = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) {
    const p = offset + 8 + 4 * i;
    s += `-${
      (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0
    }`;
  }
  return [s, size];
}

function formatBinary(bytes: Uint8Array, offset: number, size: number): string {
  let s = "";
  for (let i = 0; i < size; i++) s += byteHex[bytes[offset + i]!]!;
  return s;
}

function formatReal(value: number): string {
  if (Number.isNaN(value)) return "1.#QNAN";
  if (value === Infinity) return "1.#INF";
  if (value === -Infinity) return "-1.#INF";
  return String(value);
}

/** The fixed width of a scalar type, or 0 when its size comes from the data. */
export function fixedSize(type: number): number {
  switch (type) {
    case ValueType.Int8:
    case ValueType.UInt8:
      return 1;
    case ValueType.Int16:
    case ValueType.UInt16:
      return 2;
    case ValueType.Int32:
    case ValueType.UInt32:
    case ValueType.Real32:
    case ValueType.Bool:
    case ValueType.HexInt32:
      return 4;
    case ValueType.Int64:
    case ValueType.UInt64:
    case ValueType.Real64:
    case ValueType.FileTime:
    case ValueType.HexInt64:
      return 8;
    case ValueType.Guid:
    case ValueType.SysTime:
      return 16;
    default:
      return 0;
  }
}

/**
 * Renders one scalar value of `type` stored in `bytes[offset, offset+size)` as
 * text. Throws a RangeError when the data is too short for the type.
 */
export function formatScalar(
  bytes: Uint8Array,
  view: DataView,
  type: number,
  offset: number,
  size: number,
): string {
  const need = fixedSize(type);
  if (need > size) {
    throw new RangeError(`value of type 0x${hex(type, 2)} needs ${need} bytes, has ${size}`);
  }
  switch (type) {
    case ValueType.Null:
      return "";
    case ValueType.String:
      return stripNuls(readUtf16(bytes, offset, size >> 1));
    case ValueType.AnsiString:
      return stripNuls(latin1.decode(bytes.subarray(offset, offset + size)));
    case ValueType.Int8:
      return String(view.getInt8(offset));
    case ValueType.UInt8:
      return String(bytes[offset]);
    case ValueType.Int16:
      return String(view.getInt16(offset, true));
    case ValueType.UInt16:
      return String(view.getUint16(offset, true));
    case ValueType.Int32:
      return String(view.getInt32(offset, true));
    case ValueType.UInt32:
      return String(view.getUint32(offset, true));
    case ValueType.Int64:
      return view.getBigInt64(offset, true).toString();
    case ValueType.UInt64:
      return uint64(view, offset);
    case ValueType.Real32:
      return formatReal(view.getFloat32(offset, true));
    case ValueType.Real64:
      return formatReal(view.getFloat64(offset, true));
    case ValueType.Bool:
      return view.getUint32(offset, true) === 0 ? "false" : "true";
    case ValueType.Binary:
      return formatBinary(bytes, offset, size);
    case ValueType.Guid:
      return formatGuid(bytes, offset);
    case ValueType.SizeT:
      if (size === 4) return hex32(bytes, offset);
      if (size >= 8) return hex64(bytes, offset);
      throw new RangeError(`size_t value of ${size} bytes`);
    case ValueType.FileTime:
      return filetimeToIso(view.getUint32(offset, true), view.getUint32(offset + 4, true));
    case ValueType.SysTime:
      return systemtimeToIso(view, offset);
    case ValueType.Sid:
      return formatSid(bytes, offset, offset + size)[0];
    case ValueType.HexInt32:
      return hex32(bytes, offset);
    case ValueType.HexInt64:
      return hex64(bytes, offset);
    case ValueType.EvtHandle:
    case ValueType.EvtXml:
      return formatBinary(bytes, offset, size);
    default:
      throw new RangeError(`unknown value type 0x${hex(type, 2)}`);
  }
}

/**
 * Reads an integer value directly as a number (for fields kept as numbers,
 * such as EventID or EventRecordID), or undefined for non-integer types.
 */
export function readInteger(
  view: DataView,
  type: number,
  offset: number,
  size: number,
): number | undefined {
  if (fixedSize(type) > size) return undefined;
  switch (type) {
    case ValueType.Int8:
      return view.getInt8(offset);
    case ValueType.UInt8:
      return view.getUint8(offset);
    case ValueType.Int16:
      return view.getInt16(offset, true);
    case ValueType.UInt16:
      return view.getUint16(offset, true);
    case ValueType.Int32:
      return view.getInt32(offset, true);
    case ValueType.UInt32:
    case ValueType.HexInt32:
      return view.getUint32(offset, true);
    case ValueType.UInt64:
    case ValueType.HexInt64:
      return view.getUint32(offset + 4, true) * 4294967296 + view.getUint32(offset, true);
    case ValueType.Int64:
      return Number(view.getBigInt64(offset, true));
    default:
      return undefined;
  }
}

/** Renders an array value (`0x80 | type`) as its items. */
export function formatArray(
  bytes: Uint8Array,
  view: DataView,
  type: number,
  offset: number,
  size: number,
): string[] {
  const itemType = type & 0x7f;
  const end = offset + size;
  const items: string[] = [];
  if (itemType === ValueType.String) {
    // NUL-separated UTF-16 strings.
    let start = offset;
    for (let p = offset; p + 1 < end; p += 2) {
      if (bytes[p] === 0 && bytes[p + 1] === 0) {
        items.push(readUtf16(bytes, start, (p - start) >> 1));
        start = p + 2;
      }
    }
    if (start + 1 < end) items.push(stripNuls(readUtf16(bytes, start, (end - start) >> 1)));
    return items;
  }
  if (itemType === ValueType.AnsiString) {
    return latin1.decode(bytes.subarray(offset, end)).split("\0").filter((s, i, all) =>
      s !== "" || i < all.length - 1
    );
  }
  if (itemType === ValueType.Sid) {
    let p = offset;
    while (p + 8 <= end) {
      const [sid, used] = formatSid(bytes, p, end);
      items.push(sid);
      p += used;
    }
    return items;
  }
  const width = itemType === ValueType.SizeT ? 8 : fixedSize(itemType);
  if (width === 0) throw new RangeError(`array of unsupported type 0x${hex(itemType, 2)}`);
  for (let p = offset; p + width <= end; p += width) {
    items.push(formatScalar(bytes, view, itemType, p, width));
  }
  return items;
}
