/**
 * The resolver cache through CIM: `Get-DnsClientCache` (`MSFT_DNSClientCache`
 * in `root/StandardCimv2`) as JSON, bounded (collectors/net_table/cim_json.ts).
 * `Entry` is the name looked up, `Name` the record's, `Type` the record type
 * number, `Data` the data as text, `TimeToLive` seconds, `Status` 0 for a
 * record (else the cached error, e.g. 9003 for a name that does not exist).
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  cimNumber,
  type CimObject,
  cimString,
  cimTableSource,
  type TableSource,
} from "../net_table/mod.ts";
import { dnsTypeName } from "../../windows/layouts/dns_cache_records.ts";
import { dnsName, type DnsRecord } from "./dns_record.ts";

/** How the CIM source is named. */
export const cimDnsSourceName = "Get-DnsClientCache";

/** The pipeline: plain values only, one JSON document. */
export const getDnsClientCacheScript = "Get-DnsClientCache -ErrorAction Stop | Select-Object " +
  "Entry,Name,Type,Data,DataLength,TimeToLive,Status,Section | ConvertTo-Json -Compress";

/** Cached errors (`Status`) as words: `DNS_ERROR_RCODE_NAME_ERROR`, `DNS_INFO_NO_RECORDS`. */
const cachedErrors: Readonly<Record<number, string>> = { 9003: "NXDOMAIN", 9501: "NODATA" };

/** The resolver cache through PowerShell. */
export function cimDnsSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<DnsRecord> {
  return cimTableSource(cimDnsSourceName, getDnsClientCacheScript, dnsRecordOfCim, options);
}

/** One `Get-DnsClientCache` object as a record (undefined without a name). */
export function dnsRecordOfCim(object: CimObject): DnsRecord | undefined {
  const entry = cimString(object, "Entry");
  const name = cimString(object, "Name") ?? entry;
  if (entry === undefined || name === undefined) return undefined;
  const type = cimNumber(object, "Type");
  const recordType = type === undefined ? "" : dnsTypeName(type);
  const status = cimNumber(object, "Status") ?? 0;
  const text = cimString(object, "Data") ?? "";
  const ttl = cimNumber(object, "TimeToLive");
  const length = cimNumber(object, "DataLength");
  const negative = status === 0 ? undefined : cachedErrors[status] ?? `status ${status}`;
  const data = negative !== undefined || text === ""
    ? {}
    : recordType === "A"
    ? { ipv4Address: text }
    : recordType === "AAAA"
    ? { ipv6Address: text.toLowerCase() }
    : ["CNAME", "PTR", "NS", "MX", "SRV", "DNAME"].includes(recordType)
    ? { host: dnsName(text) }
    : { strings: [text] };
  return {
    host: dnsName(entry),
    recordName: dnsName(name),
    recordType,
    data,
    ...(negative === undefined ? {} : { negative }),
    ...(ttl === undefined ? {} : { timeToLive: ttl }),
    ...(length === undefined ? {} : { dataLength: length }),
    unread: {
      Flags: "Get-DnsClientCache does not give cache flags",
      ...(ttl === undefined ? { TimeToLive: "Get-DnsClientCache gave no TimeToLive" } : {}),
      ...(length === undefined ? { DataLength: "Get-DnsClientCache gave no DataLength" } : {}),
    },
  };
}
