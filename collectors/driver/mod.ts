/**
 * The DriverItem and ModuleItem collector: loaded Linux kernel modules
 * (`/proc/modules`, files under `/lib/modules`) and the kernel drivers of a
 * SYSTEM hive, their images hashed lazily.
 *
 * @example
 * ```ts ignore
 * import { createDriverCollector, linuxDriverSource } from "./mod.ts";
 * const collector = createDriverCollector({ source: linuxDriverSource() });
 * ```
 *
 * @module
 */
export {
  createDriverCollector,
  type DriverCollector,
  driverCollectorName,
  type DriverCollectorOptions,
  type DriverCollectorStats,
  driverDocuments,
  driverImageFields,
  driverItemOf,
  maxDriverObjects,
  moduleImageFields,
  moduleItemOf,
  notLoaded,
  unknownOriginDriver,
} from "./driver_collector.ts";
export type { DriverRecord, DriverSource, DriverSourceResult } from "./driver_source.ts";
export { linuxDriverSource, type LinuxDriverSourceOptions } from "./linux_source.ts";
export { hiveDriverSource } from "./hive_source.ts";
export {
  indexModuleFiles,
  type KernelModule,
  maxModuleTreeEntries,
  moduleKey,
  parseProcModules,
} from "./kernel_modules.ts";
export { noLoadAddress, windowsDriverSource } from "./windows_source.ts";
