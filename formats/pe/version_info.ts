/**
 * The RT_VERSION resource (VS_VERSIONINFO): the StringFileInfo string tables.
 *
 * Every block is `wLength, wValueLength, wType, key (UTF-16LE, NUL), padding to
 * 4 bytes, value, padding, children`. Lengths are checked against the parent
 * block so that damaged resources end the walk instead of overrunning it.
 *
 * @module
 */
import type { PeGap, PeVersionInfoItem } from "./pe_info.ts";

type Block = {
  key: string;
  valueStart: number;
  end: number;
  childrenStart: number;
};

/** Most string tables read from one resource. */
export const maxTables = 16;
/** Most strings read from one string table. */
export const maxStringsPerTable = 256;
/** Longest value read, in UTF-16 units; a longer one is left out, unknown. */
export const maxValueChars = 4096;

/**
 * A version resource's string tables, and what its limits cut: `gaps` name
 * the `PEInfo` fields left unknown (`pe-capped`). A value past
 * {@linkcode maxValueChars} is not reported at all: its key is left out of
 * the item and named in a gap.
 */
export type VersionInfo = { items: PeVersionInfoItem[]; gaps: PeGap[] };

/**
 * Parses a VS_VERSIONINFO resource into one item per StringTable, or throws
 * a plain `Error` describing the first structural problem found when nothing
 * could be read.
 *
 * @example
 * ```ts ignore
 * parseVersionInfo(bytes).items; // [{ Language: "040904B0", CompanyName: "Contoso", … }]
 * ```
 */
export function parseVersionInfo(bytes: Uint8Array): VersionInfo {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = readBlock(bytes, data, 0, bytes.length);
  if (!root) throw new Error("version resource: root block is damaged");
  if (root.key !== "VS_VERSION_INFO") {
    throw new Error(`version resource: unexpected root key "${root.key}"`);
  }
  const items: PeVersionInfoItem[] = [];
  const gaps: PeGap[] = [];
  const cut = (message: string, fields: readonly string[]) =>
    gaps.push({ code: "pe-capped", message: `version resource: ${message}`, fields });
  for (const fileInfo of children(bytes, data, root)) {
    if (fileInfo.key !== "StringFileInfo") continue;
    for (const table of children(bytes, data, fileInfo)) {
      if (items.length >= maxTables) {
        cut(`more than ${maxTables} string tables; the rest were ignored`, ["VersionInfoList"]);
        return { items, gaps };
      }
      const language = table.key.toUpperCase();
      const item: PeVersionInfoItem = { Language: language };
      let count = 0;
      for (const entry of children(bytes, data, table)) {
        if (++count > maxStringsPerTable) {
          cut(
            `string table ${language} holds more than ${maxStringsPerTable} strings; the rest were ignored`,
            ["VersionInfoList/VersionInfoItem"],
          );
          break;
        }
        if (entry.key === "" || entry.key === "Language") continue;
        const text = readText(
          bytes,
          entry.valueStart,
          Math.min(entry.end, entry.valueStart + (maxValueChars + 1) * 2),
        );
        if (text.length > maxValueChars) {
          cut(
            `string table ${language}: value of ${entry.key} is longer than ${maxValueChars} characters; left out`,
            [`VersionInfoList/VersionInfoItem/${entry.key}`],
          );
          continue;
        }
        item[entry.key] = text;
      }
      items.push(item);
    }
  }
  return { items, gaps };
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
