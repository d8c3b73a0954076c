/**
 * The x64 layouts of the disk IOCTLs the disk collector calls on
 * `\\.\PhysicalDriveN` (kernel32 `DeviceIoControl`), with their pure
 * decoders: `DISK_GEOMETRY_EX` (`IOCTL_DISK_GET_DRIVE_GEOMETRY_EX`: the
 * sector size, media type and disk size) and `DRIVE_LAYOUT_INFORMATION_EX`
 * (`IOCTL_DISK_GET_DRIVE_LAYOUT_EX`: the partitions as Windows sees them),
 * as declared in winioctl.h
 * (https://learn.microsoft.com/windows/win32/api/winioctl/ns-winioctl-disk_geometry_ex,
 * https://learn.microsoft.com/windows/win32/api/winioctl/ns-winioctl-drive_layout_information_ex,
 * https://learn.microsoft.com/windows/win32/api/winioctl/ns-winioctl-partition_information_ex).
 * Not yet run on Windows: tested on bytes built by code (disk_test.ts).
 *
 * @module
 */
import { decodeGuid } from "../guid.ts";

/** The IOCTL codes and constants of the calls. */
export const diskIoctl = {
  IOCTL_DISK_GET_DRIVE_GEOMETRY_EX: 0x000700a0,
  IOCTL_DISK_GET_DRIVE_LAYOUT_EX: 0x00070050,
  GENERIC_READ: 0x80000000,
  FILE_SHARE_READ: 0x1,
  FILE_SHARE_WRITE: 0x2,
  OPEN_EXISTING: 3,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_PATH_NOT_FOUND: 3,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_MORE_DATA: 234,
} as const;

/** `MEDIA_TYPE` values the collector tells apart. */
export const mediaTypes = { RemovableMedia: 11, FixedMedia: 12 } as const;

/** `PARTITION_STYLE`. */
export const partitionStyles = { MBR: 0, GPT: 1, RAW: 2 } as const;

/** `DISK_GEOMETRY_EX`: `DISK_GEOMETRY` (24 bytes), then `DiskSize`. */
export const diskGeometryEx = {
  /** What the collector asks for: the struct and its trailing partition and detection data. */
  bufferSize: 256,
  /** The bytes that must be there to decode it. */
  size: 32,
  cylinders: 0,
  mediaType: 8,
  tracksPerCylinder: 12,
  sectorsPerTrack: 16,
  bytesPerSector: 20,
  diskSize: 24,
} as const;

/**
 * `DRIVE_LAYOUT_INFORMATION_EX`: style and count, then a union of the MBR
 * (`Signature`, `CheckSum`) and GPT (`DiskId`, `StartingUsableOffset`,
 * `UsableLength`, `MaxPartitionCount`: 36 bytes, 40 with alignment) layouts,
 * then the `PARTITION_INFORMATION_EX` array at 48.
 */
export const driveLayoutInformationEx = {
  partitionStyle: 0,
  partitionCount: 4,
  mbrSignature: 8,
  gptDiskId: 8,
  entries: 48,
  /** The most entries the collector asks for (buffer = entries + max × entry size). */
  maxEntries: 256,
} as const;

/** `PARTITION_INFORMATION_EX` (144 bytes). */
export const partitionInformationEx = {
  size: 144,
  partitionStyle: 0,
  startingOffset: 8,
  partitionLength: 16,
  partitionNumber: 24,
  /** MBR: the type byte, the boot flag. */
  mbrPartitionType: 32,
  mbrBootIndicator: 33,
  /** GPT: type and partition GUIDs, attributes, 36-character name. */
  gptPartitionType: 32,
  gptPartitionId: 48,
  gptAttributes: 64,
  gptName: 72,
  gptNameChars: 36,
} as const;

/** The buffer `IOCTL_DISK_GET_DRIVE_LAYOUT_EX` is given. */
export const driveLayoutBufferSize = driveLayoutInformationEx.entries +
  driveLayoutInformationEx.maxEntries * partitionInformationEx.size;

/** A decoded `DISK_GEOMETRY_EX`. */
export interface DiskGeometry {
  readonly mediaType: number;
  readonly bytesPerSector: number;
  readonly diskSize: number;
}

/** One partition as Windows reports it. */
export interface LayoutPartition {
  readonly number: number;
  readonly offset: number;
  readonly length: number;
  /** `0x07` (MBR) or the type GUID (GPT). */
  readonly typeId: string;
}

/** A decoded `DRIVE_LAYOUT_INFORMATION_EX`. */
export interface DriveLayout {
  readonly style: "mbr" | "gpt" | "raw" | "unknown";
  /** MBR: the disk signature `0x…`; GPT: the disk GUID. */
  readonly diskId?: string;
  /** The partitions in use (MBR slots of type 0 left out). */
  readonly partitions: readonly LayoutPartition[];
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Reads a LARGE_INTEGER as a number (beyond 2^53: Infinity). */
function i64(data: DataView, offset: number): number {
  const value = data.getBigInt64(offset, true);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
}

/** Decodes `DISK_GEOMETRY_EX`, or undefined when `bytes` is too short. */
export function decodeDiskGeometry(bytes: Uint8Array): DiskGeometry | undefined {
  if (bytes.length < diskGeometryEx.size) return undefined;
  const data = view(bytes);
  return {
    mediaType: data.getUint32(diskGeometryEx.mediaType, true),
    bytesPerSector: data.getUint32(diskGeometryEx.bytesPerSector, true),
    diskSize: i64(data, diskGeometryEx.diskSize),
  };
}

/** Decodes `DRIVE_LAYOUT_INFORMATION_EX`; entries past the bytes given are not read. */
export function decodeDriveLayout(bytes: Uint8Array): DriveLayout | undefined {
  if (bytes.length < driveLayoutInformationEx.entries) return undefined;
  const data = view(bytes);
  const styleCode = data.getUint32(driveLayoutInformationEx.partitionStyle, true);
  const style = styleCode === partitionStyles.MBR
    ? "mbr"
    : styleCode === partitionStyles.GPT
    ? "gpt"
    : styleCode === partitionStyles.RAW
    ? "raw"
    : "unknown";
  const count = Math.min(
    data.getUint32(driveLayoutInformationEx.partitionCount, true),
    driveLayoutInformationEx.maxEntries,
    Math.floor((bytes.length - driveLayoutInformationEx.entries) / partitionInformationEx.size),
  );
  const partitions: LayoutPartition[] = [];
  for (let index = 0; index < count; index++) {
    const at = driveLayoutInformationEx.entries + index * partitionInformationEx.size;
    const entryStyle = data.getUint32(at + partitionInformationEx.partitionStyle, true);
    const typeId = entryStyle === partitionStyles.GPT
      ? decodeGuid(bytes, at + partitionInformationEx.gptPartitionType)
      : `0x${bytes[at + partitionInformationEx.mbrPartitionType]!.toString(16).padStart(2, "0")}`;
    if (typeId === "0x00" || typeId === "00000000-0000-0000-0000-000000000000") continue;
    partitions.push({
      number: data.getUint32(at + partitionInformationEx.partitionNumber, true),
      offset: i64(data, at + partitionInformationEx.startingOffset),
      length: i64(data, at + partitionInformationEx.partitionLength),
      typeId,
    });
  }
  const diskId = style === "mbr"
    ? `0x${
      data.getUint32(driveLayoutInformationEx.mbrSignature, true).toString(16).padStart(8, "0")
    }`
    : style === "gpt"
    ? decodeGuid(bytes, driveLayoutInformationEx.gptDiskId)
    : undefined;
  return { style, ...(diskId === undefined ? {} : { diskId }), partitions };
}
