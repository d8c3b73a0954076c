/**
 * The byte layouts of the file structures the quarantine's Windows platform
 * reads and writes: `BY_HANDLE_FILE_INFORMATION` (`GetFileInformationByHandle`:
 * attributes, the three times, the volume serial number and file index that
 * name the file), `FILE_BASIC_INFO` (`GetFileInformationByHandleEx(FileBasicInfo)`,
 * read back after a restore), `FILETIME` (`SetFileTime`), the
 * `FILE_ATTRIBUTE_*` bits and the constants of `CreateFileW`, `MoveFileExW`
 * and `GetDriveTypeW`. Pure decoders and encoders beside them, tested on
 * bytes built by code. Offsets follow the Windows SDK (minwinbase.h,
 * fileapi.h, winbase.h); not yet checked against a live Windows.
 *
 * @module
 */

/** `FILETIME`: `dwLowDateTime`, `dwHighDateTime` (100 ns since 1601-01-01 UTC), 4-aligned. */
export const fileTime = { size: 8, low: 0x00, high: 0x04 } as const;

/** `BY_HANDLE_FILE_INFORMATION` (52 bytes, no padding: every member is 4-aligned). */
export const byHandleFileInformation = {
  size: 52,
  fileAttributes: 0x00,
  creationTime: 0x04,
  lastAccessTime: 0x0c,
  lastWriteTime: 0x14,
  volumeSerialNumber: 0x1c,
  fileSizeHigh: 0x20,
  fileSizeLow: 0x24,
  numberOfLinks: 0x28,
  fileIndexHigh: 0x2c,
  fileIndexLow: 0x30,
} as const;

/** `FILE_BASIC_INFO` (40 bytes: four `LARGE_INTEGER` times, a `DWORD`, padding to 8). */
export const fileBasicInfo = {
  size: 40,
  creationTime: 0x00,
  lastAccessTime: 0x08,
  lastWriteTime: 0x10,
  changeTime: 0x18,
  fileAttributes: 0x20,
} as const;

/** `FILE_INFO_BY_HANDLE_CLASS` FileBasicInfo. */
export const fileBasicInfoClass = 0;

/** The `FILE_ATTRIBUTE_*` bits, by name. */
export const fileAttribute = {
  READONLY: 0x1,
  HIDDEN: 0x2,
  SYSTEM: 0x4,
  DIRECTORY: 0x10,
  ARCHIVE: 0x20,
  DEVICE: 0x40,
  NORMAL: 0x80,
  TEMPORARY: 0x100,
  SPARSE_FILE: 0x200,
  REPARSE_POINT: 0x400,
  COMPRESSED: 0x800,
  OFFLINE: 0x1000,
  NOT_CONTENT_INDEXED: 0x2000,
  ENCRYPTED: 0x4000,
  INTEGRITY_STREAM: 0x8000,
  NO_SCRUB_DATA: 0x20000,
  PINNED: 0x80000,
  UNPINNED: 0x100000,
  RECALL_ON_OPEN: 0x40000,
  RECALL_ON_DATA_ACCESS: 0x400000,
} as const;

/** The bits `SetFileAttributesW` sets; the others need other calls (or cannot be set). */
export const settableFileAttributes: number = fileAttribute.READONLY | fileAttribute.HIDDEN |
  fileAttribute.SYSTEM | fileAttribute.ARCHIVE | fileAttribute.NORMAL | fileAttribute.TEMPORARY |
  fileAttribute.OFFLINE | fileAttribute.NOT_CONTENT_INDEXED | fileAttribute.NO_SCRUB_DATA |
  fileAttribute.PINNED | fileAttribute.UNPINNED;

/** The constants of the file calls. */
export const fileApi = {
  GENERIC_READ: 0x8000_0000,
  GENERIC_WRITE: 0x4000_0000,
  DELETE: 0x0001_0000,
  READ_CONTROL: 0x0002_0000,
  WRITE_DAC: 0x0004_0000,
  WRITE_OWNER: 0x0008_0000,
  /** Needed to read or write a SACL (with SeSecurityPrivilege enabled). */
  ACCESS_SYSTEM_SECURITY: 0x0100_0000,
  FILE_READ_ATTRIBUTES: 0x0080,
  FILE_WRITE_ATTRIBUTES: 0x0100,
  FILE_SHARE_READ: 0x1,
  FILE_SHARE_WRITE: 0x2,
  FILE_SHARE_DELETE: 0x4,
  CREATE_ALWAYS: 2,
  OPEN_EXISTING: 3,
  /** Open the link or reparse point itself, never what it points to. */
  FILE_FLAG_OPEN_REPARSE_POINT: 0x0020_0000,
  /** Lets SeBackupPrivilege / SeRestorePrivilege pass the DACL (and opens folders). */
  FILE_FLAG_BACKUP_SEMANTICS: 0x0200_0000,
  /** `GetFileAttributesW`'s failure value. */
  INVALID_FILE_ATTRIBUTES: 0xffff_ffff,
  /** `MoveFileExW` with a NULL target: delete at the next boot (Session Manager, as SYSTEM). */
  MOVEFILE_DELAY_UNTIL_REBOOT: 0x4,
  /** `GetDriveTypeW`: a network drive. */
  DRIVE_REMOTE: 4,
} as const;

/** The three times of a file as FILETIME counts (100 ns since 1601-01-01 UTC). */
export interface FileTimes {
  readonly created: bigint;
  readonly accessed: bigint;
  readonly written: bigint;
}

/** What `BY_HANDLE_FILE_INFORMATION` says of a file. */
export interface ByHandleFileInformation extends FileTimes {
  readonly attributes: number;
  readonly volumeSerialNumber: number;
  readonly size: bigint;
  readonly links: number;
  /** The file's index on its volume (`nFileIndexHigh << 32 | nFileIndexLow`). */
  readonly fileIndex: bigint;
}

/** What `FILE_BASIC_INFO` says of a file. */
export interface FileBasicInformation extends FileTimes {
  readonly changed: bigint;
  readonly attributes: number;
}

function viewOf(bytes: Uint8Array, need: number, what: string): DataView {
  if (bytes.byteLength < need) {
    throw new RangeError(`${what} needs ${need} bytes, ${bytes.byteLength} given`);
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A `FILETIME` at `offset`: `dwHighDateTime << 32 | dwLowDateTime`. */
export function readFileTime(view: DataView, offset: number): bigint {
  const low = BigInt(view.getUint32(offset + fileTime.low, true));
  const high = BigInt(view.getUint32(offset + fileTime.high, true));
  return (high << 32n) | low;
}

/**
 * A FILETIME count as the 8 bytes `SetFileTime` reads. Throws `RangeError`
 * outside 0 … 2^63-1 (a FILETIME is a signed 64-bit count to the kernel).
 */
export function encodeFileTime(value: bigint): Uint8Array {
  if (value < 0n || value > 0x7fff_ffff_ffff_ffffn) {
    throw new RangeError(`FILETIME ${value} is out of range`);
  }
  const bytes = new Uint8Array(fileTime.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(fileTime.low, Number(value & 0xffff_ffffn), true);
  view.setUint32(fileTime.high, Number(value >> 32n), true);
  return bytes;
}

/** Decodes `BY_HANDLE_FILE_INFORMATION`; throws `RangeError` on a short buffer. */
export function decodeByHandleFileInformation(bytes: Uint8Array): ByHandleFileInformation {
  const layout = byHandleFileInformation;
  const view = viewOf(bytes, layout.size, "BY_HANDLE_FILE_INFORMATION");
  const u32 = (offset: number) => view.getUint32(offset, true);
  return {
    attributes: u32(layout.fileAttributes),
    created: readFileTime(view, layout.creationTime),
    accessed: readFileTime(view, layout.lastAccessTime),
    written: readFileTime(view, layout.lastWriteTime),
    volumeSerialNumber: u32(layout.volumeSerialNumber),
    size: (BigInt(u32(layout.fileSizeHigh)) << 32n) | BigInt(u32(layout.fileSizeLow)),
    links: u32(layout.numberOfLinks),
    fileIndex: (BigInt(u32(layout.fileIndexHigh)) << 32n) | BigInt(u32(layout.fileIndexLow)),
  };
}

/** Decodes `FILE_BASIC_INFO`; throws `RangeError` on a short buffer. */
export function decodeFileBasicInfo(bytes: Uint8Array): FileBasicInformation {
  const layout = fileBasicInfo;
  const view = viewOf(bytes, layout.size, "FILE_BASIC_INFO");
  const time = (offset: number) => BigInt.asUintN(64, view.getBigInt64(offset, true));
  return {
    created: time(layout.creationTime),
    accessed: time(layout.lastAccessTime),
    written: time(layout.lastWriteTime),
    changed: time(layout.changeTime),
    attributes: view.getUint32(layout.fileAttributes, true),
  };
}

/** The largest FILETIME count kept (`0x7fff_ffff_ffff_ffff`, as the kernel's signed count). */
const maxFileTime = 0x7fff_ffff_ffff_ffffn;

/**
 * Reads a FILETIME kept as a decimal string (`WindowsFileMetadata`), exactly.
 * Undefined for anything but 1 to 20 digits within 0 … 2^63-1.
 *
 * @example
 * ```ts
 * import { parseFileTimeText } from "./file_info.ts";
 * parseFileTimeText("133771234567890123"); // 133771234567890123n
 * parseFileTimeText("-1"); // undefined
 * ```
 */
export function parseFileTimeText(text: string): bigint | undefined {
  if (!/^[0-9]{1,20}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= maxFileTime ? value : undefined;
}

/** The names of the attribute bits set in `attributes` (unknown bits as `0x…`), joined by `|`. */
export function fileAttributesText(attributes: number): string {
  const names: string[] = [];
  let known = 0;
  for (const [name, bit] of Object.entries(fileAttribute)) {
    known |= bit;
    if ((attributes & bit) !== 0) names.push(name);
  }
  const rest = (attributes & ~known) >>> 0;
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.length > 0 ? names.join("|") : "0";
}
