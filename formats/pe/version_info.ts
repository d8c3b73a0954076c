/**
 * The RT_VERSION resource (VS_VERSIONINFO): the StringFileInfo string tables.
 *
 * Every block is `wLength, wValueLength, wType, key (UTF-16LE, NUL), padding to
 * 4 bytes, value, padding, children`. Lengths are checked against the parent
 * block so that damaged resources end the walk instead of overrunning it.
 *
 * @module
 */
import type { PeVersionInfoItem } from "./pe_info.ts";

type Block = {
  key: string;
  valueStart: number;
  end: number;
  childrenStart: number;
};

const maxTables = 16;
const maxStringsPerTable = 256;
const maxValueChars = 4096;

/**
 * Parses a VS_VERSIONINFO resource into one item per StringTable, or throws
 * a plain `Error` describing the first structural problem found when nothing
 * could be read.
 *
 * @example
 * ```ts ignore
 * parseVersionInfo(bytes); // [{ Language: "040904B0", CompanyName: "Contoso", … }]
 * ```
 */
export function parseVersionInfo(bytes: Uint8Array): PeVersionInfoItem[] {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = readBlock(bytes, data, 0, bytes.length);
  if (!root) throw new Error("version resource: root block is damaged");
  if (root.key !== "VS_VERSION_INFO") {
    throw new Error(`version resource: unexpected root key "${root.key}"`);
  }
  const items: PeVersionInfoItem[] = [];
  for (const fileInfo of children(bytes, data, root)) {
    if (fileInfo.key !== "StringFileInfo") continue;
    for (const table of children(bytes, data, fileInfo)) {
      if (items.length >= maxTables) return items;
      const item: PeVersionInfoItem = { Language: table.key.toUpperCase() };
      let count = 0;
      for (const entry of children(bytes, data, table)) {
        if (++count > maxStringsPerTable) break;
        if (entry.key === "" || entry.key === "Language") continue;
        item[entry.key] = readText(
          bytes,
          entry.valueStart,
          Math.min(entry.end, entry.valueStart + maxValueChars * 2),
        );
      }
      items.push(item);
    }
  }
  return items;
}

function* children(bytes: Uint8Array, data: DataView, parent: Block): Generator<Block> {
  let offset = parent.childrenStart;
  while (offset + 6 <= parent.end) {
    const child = readBlock(bytes, data, offset, parent.end);
    if (!child) return;
    yield child;
    offset = align4(child.end);
  }
}

function readBlock(
  bytes: Uint8Array,
  data: DataView,
  offset: number,
  limit: number,
): Block | undefined {
  if (offset + 6 > limit) return undefined;
  const length = data.getUint16(offset, true);
  const valueLength = data.getUint16(offset + 2, true);
  const type = data.getUint16(offset + 4, true);
  // A block shorter than its own header would never advance: treat it as the end.
  if (length < 6) return undefined;
  const end = Math.min(offset + length, limit);
  const keyStart = offset + 6;
  let keyEnd = keyStart;
  while (keyEnd + 1 < end && (bytes[keyEnd]! | bytes[keyEnd + 1]!) !== 0) keyEnd += 2;
  const key = new TextDecoder("utf-16le").decode(bytes.subarray(keyStart, keyEnd));
  const valueStart = Math.min(align4(keyEnd + 2), end);
  // Text values count UTF-16 units, binary ones bytes; some writers get this
  // wrong, so the value is only used to find where children start.
  const valueBytes = type === 1 ? valueLength * 2 : valueLength;
  const childrenStart = Math.min(align4(valueStart + valueBytes), end);
  return { key, valueStart, end, childrenStart };
}

function readText(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop + 1 < end && (bytes[stop]! | bytes[stop + 1]!) !== 0) stop += 2;
  return new TextDecoder("utf-16le").decode(bytes.subarray(start, stop));
}

function align4(value: number): number {
  return (value + 3) & ~3;
}
