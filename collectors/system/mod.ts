/**
 * The system collector: the `SystemInfoItem` of a host, live (Linux, Windows)
 * or from the SOFTWARE and SYSTEM hives of offline evidence.
 *
 * @module
 */
export {
  createSystemCollector,
  liveSystemSource,
  maxSystemObjects,
  systemCollectorName,
  type SystemCollectorOptions,
  systemDocuments,
} from "./collector.ts";
export {
  type NetworkInfo,
  systemDocument,
  type SystemInfo,
  systemTermPaths,
  toSystemInfoItem,
} from "./system_info.ts";
export {
  cpuModelOf,
  denoLinuxHost,
  type LinuxHost,
  linuxSystemSource,
  networksOf,
  parseOsRelease,
  zoneOfLink,
} from "./linux_source.ts";
export { currentControlSet, hiveSystemSource, systemInfoOfHives } from "./hive_source.ts";
export { cimSystemSource, systemInfoOfCim, systemInfoScript } from "./windows_cim.ts";
