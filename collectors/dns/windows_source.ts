/**
 * The Windows resolver cache: `DnsGetCacheDataTable` (an undocumented
 * dnsapi.dll export: the names and types the DNS client caches), then for
 * each, `DnsQuery_W(name, type, DNS_QUERY_NO_WIRE_QUERY)`, which answers
 * from the cache only and never sends a query. Decoded by
 * windows/layouts/dns_cache_records.ts. The bounded fallback is
 * `Get-DnsClientCache` through CIM (windows_cim.ts).
 *
 * The cache list and its names are left to the DNS client's allocator (the
 * export's freeing rules are not documented; the process is short-lived);
 * each `DnsQuery_W` result is freed with `DnsFree(…, DnsFreeRecordList)`.
 *
 * **Not yet run on Windows**: the FFI path is type-checked and its decoders
 * tested on memory built by code; the fallback is tested on recorded JSON.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import { firstReadable, type TableRead, type TableSource } from "../net_table/mod.ts";
import {
  DnsCacheEntry,
  dnsFreeRecordList,
  dnsQueryNoWireQuery,
} from "../../windows/layouts/dns_cache.ts";
import {
  type CachedRecord,
  type CacheEntry,
  type NativeMemory,
  walkCacheEntries,
  walkDnsRecords,
} from "../../windows/layouts/dns_cache_records.ts";
import type { DnsRecord } from "./dns_record.ts";
import { cimDnsSource } from "./windows_cim.ts";

/** Why an entry the cache no longer answers for has neither TTL nor data. */
const noRecord = "the cache gave no record for this entry (expired or negative)";

/** How the API source is named. */
export const windowsDnsApiName = "DnsGetCacheDataTable";
/** The most cache entries walked. */
export const maxCacheEntries = 65_536;
/** The most records read per cached name. */
export const maxRecordsPerEntry = 256;

const symbols = {
  DnsGetCacheDataTable: { parameters: ["buffer"], result: "i32" },
  DnsQuery_W: {
    parameters: ["buffer", "u16", "u32", "pointer", "buffer", "pointer"],
    result: "i32",
  },
  DnsFree: { parameters: ["pointer", "i32"], result: "void" },
} as const;

/** The resolver cache through the API, then CIM. */
export function windowsDnsSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<DnsRecord> {
  return firstReadable("dns-cache:windows", [apiSource(), cimDnsSource(options)]);
}

function apiSource(): TableSource<DnsRecord> {
  return {
    name: windowsDnsApiName,
    read() {
      let api;
      try {
        api = Deno.dlopen("dnsapi.dll", symbols).symbols;
      } catch (error) {
        return Promise.resolve({
          ok: false,
          object: windowsDnsApiName,
          detail: `dnsapi.dll could not be loaded: ${(error as Error).message}`,
        });
      }
      const head = new Uint8Array(DnsCacheEntry.size);
      if (api.DnsGetCacheDataTable(head) === 0) {
        return Promise.resolve({
          ok: false,
          object: windowsDnsApiName,
          detail: "DnsGetCacheDataTable failed",
        });
      }
      const first = new DataView(head.buffer).getBigUint64(DnsCacheEntry.next, true);
      return Promise.resolve(cacheTableRead(first, pointerMemory, (name, type) => {
        const out = new BigUint64Array(1);
        const status = api.DnsQuery_W(wide(name), type, dnsQueryNoWireQuery, null, out, null);
        if (status !== 0 || out[0] === 0n) return [];
        try {
          // One past the cap, so that cacheTableRead knows an answer was cut.
          return walkDnsRecords(out[0]!, pointerMemory, maxRecordsPerEntry + 1);
        } finally {
          api.DnsFree(Deno.UnsafePointer.create(out[0]!), dnsFreeRecordList);
        }
      }));
    },
  };
}

/**
 * The table of a walk of the cache list from `first`: the records of each
 * entry (`query` answers from the cache, walking one record past
 * `maxRecords` so that a cut answer is known). A list longer than
 * `maxEntries`, or an answer longer than `maxRecords`, is a partial read: the entries past the cap are `unread`, so the table
 * collector reports the document unread and a scan that needs it is
 * incomplete, never clean on the entries it did not see.
 */
export function cacheTableRead(
  first: bigint,
  memory: NativeMemory,
  query: (name: string, type: number) => readonly CachedRecord[],
  maxEntries: number = maxCacheEntries,
  maxRecords: number = maxRecordsPerEntry,
): TableRead<DnsRecord> {
  const walked = walkCacheEntries(first, memory, maxEntries);
  const cut: string[] = [];
  const bounded = (name: string, type: number) => {
    const records = query(name, type);
    if (records.length <= maxRecords) return records;
    cut.push(name);
    return records.slice(0, maxRecords);
  };
  const rows = walked.entries.flatMap((entry) => recordsOfEntry(entry, bounded));
  const unread = [
    ...(walked.truncated
      ? [
        `the DNS cache holds more than ${maxEntries} entries; only the first ${maxEntries} were read`,
      ]
      : []),
    ...(cut.length > 0
      ? [
        `${cut.length} cached name(s) answer with more than ${maxRecords} records; only the ` +
        `first ${maxRecords} were read (${cut.slice(0, 3).join(", ")})`,
      ]
      : []),
  ];
  if (unread.length === 0) return { ok: true, rows };
  return { ok: true, rows, unread: [{ object: "dns-cache:windows", detail: unread.join("; ") }] };
}

/**
 * The records of one cache entry: what the cache answers for its name and
 * type (no wire query), each as a record; an entry the cache no longer
 * answers for (expired, negative) is kept as its name and type alone.
 */
export function recordsOfEntry(
  entry: CacheEntry,
  query: (name: string, type: number) => readonly CachedRecord[],
): DnsRecord[] {
  const records = query(entry.name, entry.type);
  if (records.length === 0) {
    return [{
      host: entry.name,
      recordName: entry.name,
      recordType: entry.typeName,
      data: {},
      flags: String(entry.flags),
      dataLength: entry.dataLength,
      unread: { TimeToLive: noRecord, RecordData: noRecord },
    }];
  }
  return records.map((record) => ({
    host: entry.name,
    recordName: record.name,
    recordType: record.typeName,
    data: {
      ...(record.ipv4Address === undefined ? {} : { ipv4Address: record.ipv4Address }),
      ...(record.ipv6Address === undefined ? {} : { ipv6Address: record.ipv6Address }),
      ...(record.host === undefined ? {} : { host: record.host }),
      ...(record.strings === undefined ? {} : { strings: record.strings }),
    },
    timeToLive: record.ttl,
    flags: String(entry.flags),
    dataLength: record.dataLength,
  }));
}

/** Native memory through `Deno.UnsafePointerView`. */
export const pointerMemory: NativeMemory = {
  bytes(pointer, size) {
    const at = Deno.UnsafePointer.create(pointer);
    if (at === null) return undefined;
    return new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(at, size)).slice();
  },
  wideString(pointer, maxChars) {
    const at = Deno.UnsafePointer.create(pointer);
    if (at === null) return undefined;
    const view = new Deno.UnsafePointerView(at);
    const units: number[] = [];
    for (let index = 0; index < maxChars; index++) {
      const unit = view.getUint16(index * 2);
      if (unit === 0) break;
      units.push(unit);
    }
    return String.fromCharCode(...units);
  },
};

/** A NUL-terminated UTF-16 string for a PCWSTR parameter. */
function wide(text: string): Uint16Array {
  const units = new Uint16Array(text.length + 1);
  for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index);
  return units;
}
