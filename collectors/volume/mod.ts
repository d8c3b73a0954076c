/**
 * The volume collector: `VolumeItem` objects for the mounted volumes of the
 * live host (Linux `/proc/self/mountinfo` with `statfs` sizes; Windows
 * volumes and drive letters over kernel32), each source behind one
 * interface so its logic is tested on recorded data.
 *
 * @module
 */
export {
  createVolumeCollector,
  liveVolumeSource,
  maxVolumes,
  volumeCollectorName,
  type VolumeCollectorOptions,
  volumeDocuments,
} from "./collector.ts";
export { decodeMountField, type MountEntry, type MountInfo, parseMountInfo } from "./mount_info.ts";
export { type DriveType, driveTypeName, isRemote, linuxDriveType } from "./drive_types.ts";
export {
  linuxVolumeSource,
  type LinuxVolumeSystem,
  liveLinuxVolumeSystem,
  serialOfUuid,
} from "./linux_source.ts";
export { decodeStatfs, type FileSystemSizes, libcStatfs, type StatfsCall } from "./linux_statfs.ts";
export {
  type ApiAnswer,
  type VolumeInformation,
  type VolumeSpace,
  type WindowsVolumeApi,
  windowsVolumeRecords,
} from "./windows_records.ts";
export { windowsVolumeSource } from "./windows_source.ts";
export { toVolumeItem, volumeDocument, type VolumeRecord } from "./volume_record.ts";
