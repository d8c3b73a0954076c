/**
 * What the three host-table collectors (dns, arp, route) share, and no
 * collector logic: the source interface, the table collector, and bounded
 * readers of `ip -j` and of the PowerShell/CIM fallback.
 *
 * @module
 */
export {
  firstReadable,
  type TableRead,
  type TableRows,
  type TableSource,
  type TableUnavailable,
  type TableWarning,
} from "./table_source.ts";
export {
  createTableCollector,
  type Observation,
  observeNow,
  offlineObservation,
  type TableCollectorOptions,
  type TableStats,
} from "./table_collector.ts";
export {
  type IpJsonObject,
  type IpJsonRead,
  numberField,
  parseIpJson,
  readIpJson,
  readLinkTypes,
  stringField,
  stringsField,
} from "./ip_json.ts";
export {
  cimNumber,
  type CimObject,
  type CimRead,
  cimString,
  parseCimJson,
  readCimJson,
} from "./cim_json.ts";
export { interfaceTypeOfLinkType, loopbackInterfaceType } from "./link_types.ts";
export {
  interfaceAlias,
  type MibTableBytes,
  type MibTableKind,
  mibTableSource,
  readMibTable2,
} from "./iphlpapi.ts";
export { mibRowsRead } from "./mib_rows.ts";
export { decodeRows, type PrintedEntries } from "./decoded_rows.ts";
export { cimTableSource } from "./cim_table_source.ts";
