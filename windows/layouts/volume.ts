/**
 * The Windows volume APIs' outputs as bytes, with their pure decoders:
 * the `MULTI_SZ` lists of `GetLogicalDriveStringsW` and
 * `GetVolumePathNamesForVolumeNameW` (UTF-16LE strings, each ending in a
 * NUL, the list in a second NUL), the NUL-ended strings of
 * `GetVolumeInformationW` and `QueryDosDeviceW`, and the file system flags
 * of `GetVolumeInformationW` as names (docs/volume.md).
 *
 * @module
 */

/**
 * `MAX_PATH + 1`: the buffer of a volume label or file system name, in UTF-16
 * units, the maximum `GetVolumeInformationW` documents for both
 * (https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-getvolumeinformationw).
 */
export const volumeNameChars = 261;
/** The buffer of `GetLogicalDriveStringsW`, `QueryDosDeviceW` and volume path lists, in units. */
export const volumeListChars = 32_768;
/** `FindFirstVolumeW`'s `\\?\Volume{GUID}\` name buffer, in units. */
export const volumeGuidChars = 64;
/**
 * `GetDiskFreeSpaceExW`'s three `ULARGE_INTEGER`s (8 bytes each, on x64 as on
 * x86), in the order of its out parameters: free bytes available to the
 * caller, total bytes (to the caller: less under a quota), total free bytes
 * (https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-getdiskfreespaceexw).
 */
export const freeSpaceBytes = 24;

/** `GetVolumeInformationW`'s file system flags, by bit, in Windows' names. */
export const fileSystemFlagNames: readonly (readonly [number, string])[] = [
  [0x00000001, "FILE_CASE_SENSITIVE_SEARCH"],
  [0x00000002, "FILE_CASE_PRESERVED_NAMES"],
  [0x00000004, "FILE_UNICODE_ON_DISK"],
  [0x00000008, "FILE_PERSISTENT_ACLS"],
  [0x00000010, "FILE_FILE_COMPRESSION"],
  [0x00000020, "FILE_VOLUME_QUOTAS"],
  [0x00000040, "FILE_SUPPORTS_SPARSE_FILES"],
  [0x00000080, "FILE_SUPPORTS_REPARSE_POINTS"],
  [0x00000100, "FILE_SUPPORTS_REMOTE_STORAGE"],
  [0x00000200, "FILE_RETURNS_CLEANUP_RESULT_INFO"],
  [0x00000400, "FILE_SUPPORTS_POSIX_UNLINK_RENAME"],
  [0x00008000, "FILE_VOLUME_IS_COMPRESSED"],
  [0x00010000, "FILE_SUPPORTS_OBJECT_IDS"],
  [0x00020000, "FILE_SUPPORTS_ENCRYPTION"],
  [0x00040000, "FILE_NAMED_STREAMS"],
  [0x00080000, "FILE_READ_ONLY_VOLUME"],
  [0x00100000, "FILE_SEQUENTIAL_WRITE_ONCE"],
  [0x00200000, "FILE_SUPPORTS_TRANSACTIONS"],
  [0x00400000, "FILE_SUPPORTS_HARD_LINKS"],
  [0x00800000, "FILE_SUPPORTS_EXTENDED_ATTRIBUTES"],
  [0x01000000, "FILE_SUPPORTS_OPEN_BY_FILE_ID"],
  [0x02000000, "FILE_SUPPORTS_USN_JOURNAL"],
  [0x04000000, "FILE_SUPPORTS_INTEGRITY_STREAMS"],
  [0x08000000, "FILE_SUPPORTS_BLOCK_REFCOUNTING"],
  [0x10000000, "FILE_SUPPORTS_SPARSE_VDL"],
  [0x20000000, "FILE_DAX_VOLUME"],
  [0x40000000, "FILE_SUPPORTS_GHOSTING"],
];

/** The flags as names joined by `|` (unknown bits as `0x…`). */
export function fileSystemFlagsText(flags: number): string {
  const names: string[] = [];
  let known = 0;
  for (const [bit, name] of fileSystemFlagNames) {
    known |= bit;
    if ((flags & bit) !== 0) names.push(name);
  }
  const rest = (flags & ~known) >>> 0;
  if (rest !== 0) names.push(`0x${rest.toString(16).padStart(8, "0")}`);
  return names.join("|");
}

/** The UTF-16LE string of `units` code units at the start of `bytes`, up to its first NUL. */
export function decodeUtf16z(bytes: Uint8Array, units = bytes.length >> 1): string {
  const view = new Uint16Array(bytes.buffer, bytes.byteOffset, Math.min(units, bytes.length >> 1));
  const end = view.indexOf(0);
  return String.fromCharCode(...view.subarray(0, end < 0 ? view.length : end));
}

/** The strings of a `MULTI_SZ` list of `units` code units (the count the API returned). */
export function decodeMultiSz(bytes: Uint8Array, units: number): string[] {
  const view = new Uint16Array(bytes.buffer, bytes.byteOffset, Math.min(units, bytes.length >> 1));
  const strings: string[] = [];
  let start = 0;
  for (let at = 0; at < view.length; at++) {
    if (view[at] !== 0) continue;
    if (at === start) break;
    strings.push(String.fromCharCode(...view.subarray(start, at)));
    start = at + 1;
  }
  return strings;
}

/** `GetDiskFreeSpaceExW`'s three counts, in bytes. */
export function decodeFreeSpace(bytes: Uint8Array): {
  readonly availableToCaller: number;
  readonly total: number;
  readonly free: number;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    availableToCaller: Number(view.getBigUint64(0, true)),
    total: Number(view.getBigUint64(8, true)),
    free: Number(view.getBigUint64(16, true)),
  };
}

/** A string as the `W` APIs take it: UTF-16LE with a final NUL. */
export function encodeUtf16z(text: string): Uint8Array {
  const units = new Uint16Array(text.length + 1);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return new Uint8Array(units.buffer);
}
