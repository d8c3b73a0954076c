/**
 * The arp collector: `ArpEntryItem` objects from the neighbour table
 * (Linux `ip -j neigh`, Windows `GetIpNetTable2` or `Get-NetNeighbor`).
 *
 * @module
 */
export {
  arpCollectorName,
  type ArpCollectorOptions,
  arpDocuments,
  createArpCollector,
  liveArpSource,
  maxArpEntries,
} from "./collector.ts";
export {
  type ArpEntry,
  cacheTypeOf,
  linuxNeighbourStates,
  neighbourStates,
  toArpItem,
} from "./arp_entry.ts";
export { arpEntryOfIpJson, linuxArpSource } from "./linux_source.ts";
export { arpEntryOfRow, windowsArpSource } from "./windows_source.ts";
export { arpEntryOfCim, cimArpSource, getNetNeighborScript } from "./windows_cim.ts";
