/**
 * The endpoint-network collector (opt-in, `--endpoint-network`): the host
 * names this machine resolved, as Network objects for `Network/DNS` and
 * `Network/URI` items, from Sysmon DNS query events and the resolver cache.
 * docs/matching.md, "Endpoint network mode".
 *
 * @module
 */
export {
  createNetworkCollector,
  type NetworkCollector,
  networkCollectorName,
  type NetworkCollectorOptions,
  networkDocuments,
  type NetworkStats,
} from "./collector.ts";
export {
  type DnsCacheName,
  type DnsCacheNames,
  dnsCacheNamesFor,
  type DnsCacheRead,
} from "./dns_cache_names.ts";
export {
  cnameTargets,
  dnsCacheItem,
  endpointNetworkLabels,
  networkDocument,
  sysmonDnsItem,
  uriHostOnly,
} from "./network_item.ts";
