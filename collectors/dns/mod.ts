/**
 * The dns collector: `DnsEntryItem` objects from the resolver cache (Linux
 * systemd-resolved through `resolvectl show-cache`; Windows
 * `DnsGetCacheDataTable` + `DnsQuery_W` without wire queries, or
 * `Get-DnsClientCache`), and {@linkcode readDnsCacheNames} for matching
 * network indicators against the names the host looked up.
 *
 * @module
 */
export {
  createDnsCollector,
  dnsCollectorName,
  type DnsCollectorOptions,
  dnsDocuments,
  liveDnsSource,
  maxDnsRecords,
} from "./collector.ts";
export { dataText, dnsName, type DnsRecord, type DnsRecordData, toDnsItem } from "./dns_record.ts";
export { linuxDnsSource, parseResolvedJson, parseResolvedText } from "./linux_source.ts";
export { pointerMemory, recordsOfEntry, windowsDnsSource } from "./windows_source.ts";
export { cimDnsSource, dnsRecordOfCim, getDnsClientCacheScript } from "./windows_cim.ts";
export { type DnsCacheName, type DnsCacheNames, readDnsCacheNames } from "./cache_names.ts";
