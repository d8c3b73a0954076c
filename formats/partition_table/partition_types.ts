/**
 * The names of common partition types: MBR type bytes and GPT type GUIDs.
 * Types missing here are shown by their code (`0x93`, or the GUID).
 *
 * @module
 */

/** MBR partition type bytes → names (the common ones). */
export const mbrTypeNames: ReadonlyMap<number, string> = new Map([
  [0x01, "FAT12"],
  [0x04, "FAT16 <32M"],
  [0x05, "Extended"],
  [0x06, "FAT16"],
  [0x07, "HPFS/NTFS/exFAT"],
  [0x0b, "W95 FAT32"],
  [0x0c, "W95 FAT32 (LBA)"],
  [0x0e, "W95 FAT16 (LBA)"],
  [0x0f, "W95 Extended (LBA)"],
  [0x11, "Hidden FAT12"],
  [0x12, "Compaq diagnostics"],
  [0x17, "Hidden HPFS/NTFS"],
  [0x1b, "Hidden W95 FAT32"],
  [0x1c, "Hidden W95 FAT32 (LBA)"],
  [0x27, "Hidden NTFS WinRE"],
  [0x42, "SFS (Windows dynamic disk)"],
  [0x82, "Linux swap"],
  [0x83, "Linux"],
  [0x85, "Linux extended"],
  [0x8e, "Linux LVM"],
  [0xa5, "FreeBSD"],
  [0xa6, "OpenBSD"],
  [0xaf, "HFS / HFS+"],
  [0xee, "GPT protective"],
  [0xef, "EFI (FAT-12/16/32)"],
  [0xfb, "VMware VMFS"],
  [0xfd, "Linux raid autodetect"],
]);

/** GPT partition type GUIDs (lower case) → names. */
export const gptTypeNames: ReadonlyMap<string, string> = new Map([
  ["c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI System"],
  ["024dee41-33e7-11d3-9d69-0008c781f39f", "MBR partition scheme"],
  ["21686148-6449-6e6f-744e-656564454649", "BIOS boot"],
  ["e3c9e316-0b5c-4db8-817d-f92df00215ae", "Microsoft reserved"],
  ["ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft basic data"],
  ["5808c8aa-7e8f-42e0-85d2-e1e90434cfb3", "Microsoft LDM metadata"],
  ["af9b60a0-1431-4f62-bc68-3311714a69ad", "Microsoft LDM data"],
  ["de94bba4-06d1-4d40-a16a-bfd50179d6ac", "Windows recovery environment"],
  ["e75caf8f-f680-4cee-afa3-b001e56efc2d", "Microsoft Storage Spaces"],
  ["0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux filesystem"],
  ["0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap"],
  ["e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM"],
  ["a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID"],
  ["933ac7e1-2eb4-4f13-b844-0e14e2aef915", "Linux home"],
  ["bc13c2ff-59e6-4262-a352-b275fd6f7172", "Linux extended boot"],
  ["4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "Linux root (x86-64)"],
  ["44479540-f297-41b2-9af7-d131d5f0458a", "Linux root (x86)"],
  ["b921b045-1df0-41c3-af44-4c6f280d3fae", "Linux root (ARM64)"],
  ["ca7d7ccb-63ed-4c53-861c-1742536059cc", "LUKS"],
  ["48465300-0000-11aa-aa11-00306543ecac", "Apple HFS/HFS+"],
  ["7c3457ef-0000-11aa-aa11-00306543ecac", "Apple APFS"],
  ["516e7cb4-6ecf-11d6-8ff8-00022d09712b", "FreeBSD data"],
  ["83bd6b9d-7f41-11dc-be0b-001560b84f0f", "FreeBSD boot"],
]);

/**
 * Types whose first sector is a boot sector of its own (FAT, NTFS, exFAT, the
 * EFI System partition): a volume boot record without the 0x55AA signature is
 * a problem there; other file systems (ext4, swap, LVM) have none to miss.
 */
export const bootSectorMbrTypes: ReadonlySet<number> = new Set([
  0x01,
  0x04,
  0x06,
  0x07,
  0x0b,
  0x0c,
  0x0e,
  0x11,
  0x17,
  0x1b,
  0x1c,
  0x27,
  0xef,
]);

/** GPT types whose first sector is a boot sector (see {@linkcode bootSectorMbrTypes}). */
export const bootSectorGptTypes: ReadonlySet<string> = new Set([
  "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
  "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7",
  "de94bba4-06d1-4d40-a16a-bfd50179d6ac",
]);

/** The text form of an MBR type byte: `0x07`. */
export function mbrTypeId(type: number): string {
  return `0x${type.toString(16).padStart(2, "0")}`;
}
