/**
 * The ProcessItem collector: the processes of the live system (Linux
 * `/proc`; Windows through ntdll/kernel32/advapi32, or `Get-CimInstance
 * Win32_Process` where the API cannot be used), their image digests and
 * PEInfo computed lazily, their handles or descriptors, their memory
 * sections and the IOC strings in their memory (`memory/`, a
 * {@linkcode ProcessMemory} given in the options) and their ports (the port
 * collector's table joined by pid, port_lists.ts).
 *
 * @example
 * ```ts ignore
 * import { createProcessCollector, linuxProcessSource } from "./mod.ts";
 * const collector = createProcessCollector({ source: linuxProcessSource() });
 * ```
 *
 * @module
 */
export {
  createProcessCollector,
  type ProcessCollector,
  processCollectorName,
  type ProcessCollectorOptions,
  type ProcessCollectorStats,
  processDocuments,
} from "./process_collector.ts";
export type {
  ProcessHandle,
  ProcessReadNeeds,
  ProcessRecord,
  ProcessSource,
  ProcessSourceEvent,
  ProcessSourceSkip,
  ProcessSourceWarning,
} from "./process_record.ts";
export {
  defaultLinuxProcessLimits,
  type LinuxProcessLimits,
  linuxProcessSource,
  type LinuxProcessSourceOptions,
} from "./linux_source.ts";
export { denoProcFs, type ProcFs, type ProcTargetInfo } from "./proc_fs.ts";
export { pidOfProcessKey, processItemOf, processKey } from "./process_item.ts";
export { joinCommandLine } from "./command_line.ts";
export { windowsProcessSource } from "./windows_source.ts";
export { cimProcessSource } from "./cim_source.ts";
export { windowsRecords } from "./windows_records.ts";
export type { WindowsProcessApi } from "./windows_api.ts";
export { type PortLists, readPortLists } from "./port_lists.ts";
export { ProcessMemory, type ProcessMemoryOptions, processMemoryTerms } from "./memory/mod.ts";
export { ImageHashing } from "./image_source.ts";
