/**
 * The disk collector: `DiskItem` objects for the fixed disks of the live host
 * (Linux `/sys/block` and `/dev`; Windows `\\.\PhysicalDriveN`) or for raw
 * disk images, with partition tables and hashed, checked boot records
 * (docs/disk.md). Every source sits behind one interface, so the collector is
 * tested on images built by code.
 *
 * @module
 */
export {
  createDiskCollector,
  diskCollectorName,
  type DiskCollectorOptions,
  diskDocuments,
  type DiskStats,
  maxDisks,
} from "./collector.ts";
export type {
  DiskEntry,
  DiskList,
  DiskRefusal,
  DiskSource,
  OpenedDisk,
  OsPartition,
} from "./disk_source.ts";
export { bootRecordFields, diskDocument, type DiskReading, toDiskItem } from "./disk_record.ts";
export { diskImageSource, imageSourceName } from "./image_source.ts";
export {
  connectionOfSysPath,
  type LinuxDiskHost,
  linuxDiskSource,
  type LinuxDiskSourceOptions,
  liveLinuxDiskHost,
} from "./linux_source.ts";
export { liveDiskSource } from "./live_source.ts";
export { alignedReadAt, boundedByteSource, type ReadAt } from "./byte_source_of.ts";
export {
  maxMissingDrives,
  maxPhysicalDrives,
  physicalDrivePath,
  type WindowsAnswer,
  type WindowsDiskApi,
  windowsDiskList,
} from "./windows_records.ts";
export { windowsDiskSource, windowsDiskSourceName } from "./windows_source.ts";
export { layoutMismatch } from "./layout_check.ts";
