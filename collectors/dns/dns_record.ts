/**
 * One record of the resolver cache as every source gives it, and the
 * `DnsEntryItem` object made of it. What a source does not give (the
 * remaining TTL, the flags and the data length in `resolvectl show-cache`)
 * is `unevaluated` on its objects, with the reason, never left out silently.
 *
 * @module
 */
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import type { Observation } from "../net_table/mod.ts";

/** The OpenIOC document of the resolver cache. */
export const dnsDocument = "DnsEntryItem";

/** The data of a record. */
export interface DnsRecordData {
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
  /** The host a CNAME, PTR, NS, MX, SRV or DNAME record names. */
  readonly host?: string;
  /** TXT strings, or the data of a type iocscan does not decode, as text. */
  readonly strings?: readonly string[];
}

/** One cached record (or a cached negative answer). */
export interface DnsRecord {
  /** The name that was looked up (the cache entry's name). */
  readonly host: string;
  /** The record's own name (differs from `host` along a CNAME chain). */
  readonly recordName: string;
  /** `A`, `AAAA`, `CNAME`… or the type number. */
  readonly recordType: string;
  readonly data: DnsRecordData;
  /** A cached negative answer (`NXDOMAIN`, `NODATA`): no data. */
  readonly negative?: string;
  readonly timeToLive?: number;
  readonly flags?: string;
  readonly dataLength?: number;
  /** Why the source has no TTL, flags, data length or data (when it has none). */
  readonly unread?: {
    readonly TimeToLive?: string;
    readonly Flags?: string;
    readonly DataLength?: string;
    readonly RecordData?: string;
  };
}

/** A DNS name in one spelling: without its final dot. */
export function dnsName(name: string): string {
  return name.length > 1 && name.endsWith(".") ? name.slice(0, -1) : name;
}

/** The record's data as one line (`1.2.3.4`, `cdn.example.net`, `NXDOMAIN`). */
export function dataText(record: DnsRecord): string {
  const { data } = record;
  return record.negative ?? data.ipv4Address ?? data.ipv6Address ?? data.host ??
    (data.strings ?? []).join(" ");
}

/**
 * The object of one record; its key reads as an analyst writes a record:
 * `www.evil.com A 1.2.3.4` (`host → record …` along a CNAME chain).
 */
export function toDnsItem(record: DnsRecord, observation: Observation): ObservedItem {
  const data = dataText(record);
  const key = [
    ...(record.host.toLowerCase() === record.recordName.toLowerCase() ? [] : [record.host, "→"]),
    record.recordName,
    record.recordType,
    ...(data === "" ? [] : [data]),
  ].join(" ");
  const recordData = {
    ...(record.data.host === undefined ? {} : { Host: record.data.host }),
    ...(record.data.ipv4Address === undefined ? {} : { IPv4Address: record.data.ipv4Address }),
    ...(record.data.ipv6Address === undefined ? {} : { IPv6Address: record.data.ipv6Address }),
    ...(record.data.strings === undefined || record.data.strings.length === 0
      ? {}
      : { String: [...record.data.strings] }),
  };
  const unevaluated: Record<string, string> = {};
  for (const [field, reason] of Object.entries(record.unread ?? {})) {
    if (reason !== undefined) unevaluated[field] = reason;
  }
  return {
    document: dnsDocument,
    key,
    fields: {
      Host: record.host,
      RecordName: record.recordName,
      RecordType: record.recordType,
      ...(record.timeToLive === undefined ? {} : { TimeToLive: record.timeToLive }),
      ...(record.flags === undefined ? {} : { Flags: record.flags }),
      ...(record.dataLength === undefined ? {} : { DataLength: record.dataLength }),
      ...(Object.keys(recordData).length === 0 ? {} : { RecordData: recordData }),
    },
    provenance: { time: observation.time, computer: observation.computer },
    ...(Object.keys(unevaluated).length > 0 ? { unevaluated: unevaluated as Unevaluated } : {}),
  };
}
