/**
 * Shell links built with code for tests (MS-SHLLINK): a header, an optional
 * ID list, a LinkInfo with a local base path, and Unicode StringData.
 *
 * @module
 */

/** What to put in a built link. */
export interface BuildLink {
  basePath?: string;
  relativePath?: string;
  arguments?: string;
  workingDir?: string;
  /** Bytes of an ID list to skip over. */
  idList?: number;
}

const clsid = [
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

/** The bytes of a shell link. */
export function buildShellLink(link: BuildLink): Uint8Array {
  const parts: number[] = [];
  const u16 = (n: number) => parts.push(n & 0xff, (n >> 8) & 0xff);
  const u32 = (n: number) =>
    parts.push(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
  let linkFlags = 1 << 7; // IsUnicode
  if (link.idList !== undefined) linkFlags |= 1;
  if (link.basePath !== undefined) linkFlags |= 2;
  if (link.relativePath !== undefined) linkFlags |= 1 << 3;
  if (link.workingDir !== undefined) linkFlags |= 1 << 4;
  if (link.arguments !== undefined) linkFlags |= 1 << 5;
  u32(0x4c);
  parts.push(...clsid);
  u32(linkFlags);
  while (parts.length < 0x4c) parts.push(0);
  if (link.idList !== undefined) {
    u16(link.idList);
    for (let i = 0; i < link.idList; i++) parts.push(0xaa);
  }
  if (link.basePath !== undefined) {
    const base = [...new TextEncoder().encode(link.basePath), 0];
    const headerLength = 0x1c;
    const volumeId = [0x10, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0]; // size 16, fixed, no label
    const volumeOffset = headerLength;
    const baseOffset = volumeOffset + volumeId.length;
    const suffixOffset = baseOffset + base.length;
    const size = suffixOffset + 1;
    u32(size);
    u32(headerLength);
    u32(1); // VolumeIDAndLocalBasePath
    u32(volumeOffset);
    u32(baseOffset);
    u32(0);
    u32(suffixOffset);
    parts.push(...volumeId, ...base, 0);
  }
  for (const text of [link.relativePath, link.workingDir, link.arguments]) {
    if (text === undefined) continue;
    u16(text.length);
    for (const char of text) u16(char.charCodeAt(0));
  }
  return Uint8Array.from(parts);
}
