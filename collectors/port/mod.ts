/**
 * The port collector: PortItem objects from the live host's TCP and UDP
 * tables (Linux per network namespace, Windows through iphlpapi or
 * `Get-NetTCPConnection`), and {@linkcode readPortTable}, the records by pid
 * for a join with processes. docs/port.md describes it.
 *
 * @module
 */
export {
  createPortCollector,
  type PortCollector,
  type PortCollectorOptions,
  portDocuments,
  portSourceFor,
  readPortTable,
  type ReadPortTableOptions,
} from "./collector.ts";
export { portCollectorName, type PortSource, type PortTableRead } from "./source.ts";
export { portDocument, portKey, type PortRecord, toPortItem } from "./port_record.ts";
export {
  defaultLinuxPortLimits,
  denoProcFs,
  type LinuxPortLimits,
  linuxPortSource,
  type LinuxPortSourceOptions,
  type ProcFs,
} from "./linux_source.ts";
export { cimPortSource, parseCimPorts } from "./cim_source.ts";
export { windowsPortSource } from "./windows_source.ts";
export { parseProcNetTable, type ProcNetEntry } from "./proc_net_table.ts";
export { linuxTcpState, tcpStates, windowsTcpState } from "./tcp_states.ts";
