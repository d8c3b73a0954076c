/**
 * The target of a Windows shortcut (`.lnk`, MS-SHLLINK): the local base path
 * of its LinkInfo (with the common path suffix), else its relative path, and
 * its command-line arguments. Pure and bounded: it takes bytes and returns
 * undefined for anything that is not a shell link or is damaged, never
 * throwing and never reading past the buffer.
 *
 * @module
 */

/** What a shortcut starts. */
export interface ShellLinkTarget {
  /** The target path (`C:\Program Files\x\x.exe`), when the link names one. */
  targetPath?: string;
  /** The command-line arguments (StringData COMMAND_LINE_ARGUMENTS), "" when none. */
  arguments: string;
  /** The working directory, when set. */
  workingDirectory?: string;
}

/** ShellLinkHeader size, and the class id it must carry. */
const headerSize = 0x4c;
const linkClsid = [
  0x01,
  0x14,
  0x02,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0xc0,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x46,
];

/** LinkFlags bits (MS-SHLLINK 2.1.1). */
const flags = {
  hasTargetIdList: 1 << 0,
  hasLinkInfo: 1 << 1,
  hasName: 1 << 2,
  hasRelativePath: 1 << 3,
  hasWorkingDir: 1 << 4,
  hasArguments: 1 << 5,
  hasIconLocation: 1 << 6,
  isUnicode: 1 << 7,
} as const;
/** The StringData entries in their order, by the flag that says each is present. */
const stringOrder = [
  ["name", flags.hasName],
  ["relativePath", flags.hasRelativePath],
  ["workingDir", flags.hasWorkingDir],
  ["arguments", flags.hasArguments],
  ["iconLocation", flags.hasIconLocation],
] as const;
/** LinkInfoFlags: VolumeIDAndLocalBasePath. */
const volumeIdAndLocalBasePath = 1;

/**
 * Parses a shortcut's target.
 *
 * @example
 * ```ts
 * import { parseShellLink } from "./shell_link.ts";
 * parseShellLink(new Uint8Array(8)); // undefined: not a shell link
 * ```
 */
export function parseShellLink(bytes: Uint8Array): ShellLinkTarget | undefined {
  if (bytes.length < headerSize) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== headerSize) return undefined;
  if (!linkClsid.every((byte, index) => bytes[4 + index] === byte)) return undefined;
  const linkFlags = view.getUint32(0x14, true);
  let offset = headerSize;
  if (linkFlags & flags.hasTargetIdList) {
    if (offset + 2 > bytes.length) return undefined;
    offset += 2 + view.getUint16(offset, true);
  }
  let basePath: string | undefined;
  if (linkFlags & flags.hasLinkInfo) {
    if (offset + 0x1c > bytes.length) return undefined;
    const size = view.getUint32(offset, true);
    if (size < 0x1c || offset + size > bytes.length) return undefined;
    basePath = localBasePath(bytes, view, offset, size);
    offset += size;
  }
  const strings: Partial<Record<typeof stringOrder[number][0], string>> = {};
  const unicode = (linkFlags & flags.isUnicode) !== 0;
  for (const [name, bit] of stringOrder) {
    if (!(linkFlags & bit)) continue;
    if (offset + 2 > bytes.length) return undefined;
    const count = view.getUint16(offset, true);
    const length = unicode ? count * 2 : count;
    offset += 2;
    if (offset + length > bytes.length) return undefined;
    const slice = bytes.subarray(offset, offset + length);
    strings[name] = unicode ? new TextDecoder("utf-16le").decode(slice) : latin1(slice);
    offset += length;
  }
  const targetPath = basePath ?? strings.relativePath;
  const target: ShellLinkTarget = { arguments: strings.arguments ?? "" };
  if (targetPath !== undefined && targetPath !== "") target.targetPath = targetPath;
  if (strings.workingDir !== undefined && strings.workingDir !== "") {
    target.workingDirectory = strings.workingDir;
  }
  return target;
}

/** LinkInfo's local base path and common path suffix (Unicode forms when present). */
function localBasePath(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  size: number,
): string | undefined {
  const headerLength = view.getUint32(start + 4, true);
  const infoFlags = view.getUint32(start + 8, true);
  if (!(infoFlags & volumeIdAndLocalBasePath)) return undefined;
  const end = start + size;
  const at = (relative: number) => start + relative;
  let base: string | undefined;
  let suffix: string | undefined;
  if (headerLength >= 0x24 && start + 0x24 <= end) {
    const baseUnicode = view.getUint32(start + 0x1c, true);
    const suffixUnicode = view.getUint32(start + 0x20, true);
    if (baseUnicode !== 0) base = utf16z(bytes, at(baseUnicode), end);
    if (suffixUnicode !== 0) suffix = utf16z(bytes, at(suffixUnicode), end);
  }
  base ??= ansiz(bytes, at(view.getUint32(start + 0x10, true)), end);
  suffix ??= ansiz(bytes, at(view.getUint32(start + 0x18, true)), end);
  if (base === undefined) return undefined;
  if (suffix === undefined || suffix === "") return base;
  return base.endsWith("\\") ? base + suffix : `${base}\\${suffix}`;
}

function ansiz(bytes: Uint8Array, from: number, end: number): string | undefined {
  if (from <= 0 || from >= end) return undefined;
  const stop = bytes.subarray(from, end).indexOf(0);
  return stop < 0 ? undefined : latin1(bytes.subarray(from, from + stop));
}

function utf16z(bytes: Uint8Array, from: number, end: number): string | undefined {
  if (from <= 0 || from >= end) return undefined;
  for (let index = from; index + 1 < end; index += 2) {
    if (bytes[index] === 0 && bytes[index + 1] === 0) {
      return new TextDecoder("utf-16le").decode(bytes.subarray(from, index));
    }
  }
  return undefined;
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}
