/**
 * The ServiceItem collector and what the driver collector and the autoruns
 * view share with it: service entries from the SYSTEM hive (offline), from
 * systemd unit files and SysV init scripts (Linux), the image path splitter,
 * and the lazy image fields.
 *
 * @example
 * ```ts ignore
 * import { createServiceCollector, linuxServiceSource } from "./mod.ts";
 * const collector = createServiceCollector({ source: linuxServiceSource() });
 * ```
 *
 * @module
 */
export {
  createServiceCollector,
  maxServiceObjects,
  readingOf,
  type ServiceCollector,
  serviceCollectorName,
  type ServiceCollectorOptions,
  type ServiceCollectorStats,
  serviceDocuments,
  serviceImageFields,
} from "./service_collector.ts";
export type { ServiceEntry, ServiceKind } from "./service_entry.ts";
export type { ServiceSource, ServiceSourceResult, SourceSkip } from "./service_source.ts";
export { earlierImages, type SplitImagePath, splitImagePath } from "./image_path.ts";
export { type HiveServices, maxHiveServices, readHiveServices } from "./hive_services.ts";
export {
  hiveServiceSource,
  type HiveSourceOptions,
  type OfflineRoot,
  offlineStatus,
  openPathOnRoot,
} from "./hive_source.ts";
export { linuxServiceSource, unitFilesOnly } from "./linux_source.ts";
export {
  entryOfUnit,
  parseUnitFile,
  readUnitFiles,
  splitExecLine,
  unitFolders,
} from "./unit_files.ts";
export { parseLsbHeader, readInitScripts } from "./init_scripts.ts";
export {
  type ImageField,
  imageFieldsWithPrefix,
  ImageFiles,
  type ImageReading,
} from "./image_files.ts";
export { entryFiles, serviceDocument, serviceItemOf } from "./service_item.ts";
export { listServiceEntries, type ServiceListEvidence } from "./list_entries.ts";
export {
  cimDriverCommand,
  cimSystemDriverEntries,
  parseCimDrivers,
  windowsDriverEntries,
} from "./windows_drivers.ts";
export { openScmApi, type ScmApi } from "./scm_api.ts";
export { scmEntries } from "./scm_entries.ts";
export {
  kindOfType,
  liveServicesKey,
  serviceStates,
  startModes,
  typeName,
} from "./windows_codes.ts";
export { cimServiceCommand, parseCimServices, windowsServiceSource } from "./windows_source.ts";
export {
  parseListUnits,
  parseShowPids,
  readSystemdStates,
  type SystemdStates,
  type UnitState,
} from "./systemd_state.ts";
export type { LinuxServiceSourceOptions } from "./linux_source.ts";
