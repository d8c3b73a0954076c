/**
 * Encoders of the disk IOCTL outputs (the inverse of disk.ts's decoders), for
 * tests: bytes laid out as Windows fills them.
 *
 * @module
 */
import { encodeGuid } from "../guid.ts";
import {
  diskGeometryEx,
  driveLayoutInformationEx,
  partitionInformationEx,
  partitionStyles,
} from "./disk.ts";

/** `DISK_GEOMETRY_EX` bytes. */
export function encodeDiskGeometry(mediaType: number, bytesPerSector: number, diskSize: number) {
  const bytes = new Uint8Array(diskGeometryEx.bufferSize);
  const data = new DataView(bytes.buffer);
  data.setBigInt64(diskGeometryEx.cylinders, BigInt(Math.floor(diskSize / (255 * 63 * 512))), true);
  data.setUint32(diskGeometryEx.mediaType, mediaType, true);
  data.setUint32(diskGeometryEx.tracksPerCylinder, 255, true);
  data.setUint32(diskGeometryEx.sectorsPerTrack, 63, true);
  data.setUint32(diskGeometryEx.bytesPerSector, bytesPerSector, true);
  data.setBigInt64(diskGeometryEx.diskSize, BigInt(diskSize), true);
  return bytes;
}

/** One partition to encode: an MBR type byte or a GPT type GUID. */
export interface EncodedPartition {
  readonly number: number;
  readonly offset: number;
  readonly length: number;
  readonly type: number | string;
}

/** `DRIVE_LAYOUT_INFORMATION_EX` bytes. */
export function encodeDriveLayout(
  style: "mbr" | "gpt",
  diskId: number | string,
  partitions: readonly EncodedPartition[],
): Uint8Array {
  const bytes = new Uint8Array(
    driveLayoutInformationEx.entries + partitions.length * partitionInformationEx.size,
  );
  const data = new DataView(bytes.buffer);
  const styleCode = style === "mbr" ? partitionStyles.MBR : partitionStyles.GPT;
  data.setUint32(driveLayoutInformationEx.partitionStyle, styleCode, true);
  data.setUint32(driveLayoutInformationEx.partitionCount, partitions.length, true);
  if (typeof diskId === "number") {
    data.setUint32(driveLayoutInformationEx.mbrSignature, diskId, true);
  } else bytes.set(encodeGuid(diskId), driveLayoutInformationEx.gptDiskId);
  partitions.forEach((partition, index) => {
    const at = driveLayoutInformationEx.entries + index * partitionInformationEx.size;
    data.setUint32(at + partitionInformationEx.partitionStyle, styleCode, true);
    data.setBigInt64(at + partitionInformationEx.startingOffset, BigInt(partition.offset), true);
    data.setBigInt64(at + partitionInformationEx.partitionLength, BigInt(partition.length), true);
    data.setUint32(at + partitionInformationEx.partitionNumber, partition.number, true);
    if (typeof partition.type === "number") {
      bytes[at + partitionInformationEx.mbrPartitionType] = partition.type;
    } else bytes.set(encodeGuid(partition.type), at + partitionInformationEx.gptPartitionType);
  });
  return bytes;
}
