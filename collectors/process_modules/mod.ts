/**
 * The process-modules collector: the images and modules of running
 * processes as FileItem objects, and executable memory no file backs as
 * findings (docs/critical-scan.md).
 *
 * @module
 */
export {
  anonymousExecutableMemory,
  areaNotRead,
  createProcessModulesCollector,
  maxRegionFindingsPerProcess,
  type ProcessModulesCollector,
  processModulesCollectorName,
  type ProcessModulesOptions,
  type ProcessModulesStats,
} from "./collector.ts";
export { linuxModulesSource, type LinuxModulesSourceOptions } from "./linux_source.ts";
export { windowsModulesNotRead, windowsModulesSource } from "./windows_source.ts";
export { type ExecutableRegion, executableRegions } from "./maps_regions.ts";
export type {
  ModuleFile,
  ProcessModules,
  ProcessModulesEvent,
  ProcessModulesSource,
} from "./source.ts";
