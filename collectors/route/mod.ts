/**
 * The route collector: `RouteEntryItem` objects from the routing tables
 * (Linux `ip -j route show table all`, Windows `GetIpForwardTable2` or
 * `Get-NetRoute`).
 *
 * @module
 */
export {
  createRouteCollector,
  liveRouteSource,
  maxRouteEntries,
  routeCollectorName,
  type RouteCollectorOptions,
  routeDocuments,
} from "./collector.ts";
export { netmaskOf, type RouteEntry, toRouteItem } from "./route_entry.ts";
export { linuxRouteSource, routeEntryOfIpJson } from "./linux_source.ts";
export { routeEntryOfRow, windowsRouteSource } from "./windows_source.ts";
export { cimRouteSource, getNetRouteScript, routeEntryOfCim } from "./windows_cim.ts";
