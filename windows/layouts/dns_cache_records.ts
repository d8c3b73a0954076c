/**
 * Pure decoders of the Windows DNS client cache (layouts in dns_cache.ts).
 * The structures are linked lists of pointers into the client's memory, so
 * the decoders read through a {@linkcode NativeMemory}: the FFI source gives
 * one over `Deno.UnsafePointerView`, tests one over bytes they built. Every
 * walk is bounded (a count cap, and a pointer seen twice ends it).
 *
 * @module
 */
import {
  DnsCacheEntry,
  DnsRecordData,
  dnsRecordTypes,
  DnsRecordW,
  dnsSectionMask,
  dnsSections,
  DnsType,
  hostDataTypes,
} from "./dns_cache.ts";
import { formatIpv6 } from "./ip_helper_rows.ts";

/** Reads native memory: `size` bytes at `pointer`, or a NUL-terminated UTF-16 string. */
export interface NativeMemory {
  /** The bytes, or undefined for a null pointer. */
  bytes(pointer: bigint, size: number): Uint8Array | undefined;
  /** The string (at most `maxChars` UTF-16 units), or undefined for a null pointer. */
  wideString(pointer: bigint, maxChars: number): string | undefined;
}

/** The longest name read (a DNS name is at most 255 bytes). */
export const maxNameChars = 1024;

/** One `DNS_CACHE_ENTRY`: a name and type the cache holds. */
export interface CacheEntry {
  readonly name: string;
  readonly type: number;
  /** The type's name (`A`, `CNAME`…), or the number. */
  readonly typeName: string;
  readonly dataLength: number;
  readonly flags: number;
}

/** One `DNS_RECORDW` of a cached answer. */
export interface CachedRecord {
  readonly name: string;
  readonly type: number;
  readonly typeName: string;
  readonly dataLength: number;
  readonly ttl: number;
  /** The section (`Answer`, `Additional`…). */
  readonly section: string;
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
  /** The host a CNAME, PTR, NS, MX, SRV or DNAME record names. */
  readonly host?: string;
  /** The strings of a TXT record. */
  readonly strings?: readonly string[];
}

/** The name of a record type. */
export function dnsTypeName(type: number): string {
  return dnsRecordTypes[type] ?? String(type);
}

/**
 * Walks the `DNS_CACHE_ENTRY` list from `first` (the `pNext` of the entry
 * `DnsGetCacheDataTable` filled), at most `maxEntries`.
 */
export function walkCacheEntries(
  first: bigint,
  memory: NativeMemory,
  maxEntries: number,
): { entries: CacheEntry[]; truncated: boolean } {
  const entries: CacheEntry[] = [];
  const seen = new Set<bigint>();
  let pointer = first;
  while (pointer !== 0n && !seen.has(pointer)) {
    if (entries.length >= maxEntries) return { entries, truncated: true };
    seen.add(pointer);
    const bytes = memory.bytes(pointer, DnsCacheEntry.size);
    if (bytes === undefined) break;
    const view = viewOf(bytes);
    const type = view.getUint16(DnsCacheEntry.type, true);
    const name = memory.wideString(view.getBigUint64(DnsCacheEntry.name, true), maxNameChars);
    if (name !== undefined) {
      entries.push({
        name,
        type,
        typeName: dnsTypeName(type),
        dataLength: view.getUint16(DnsCacheEntry.dataLength, true),
        flags: view.getUint32(DnsCacheEntry.flags, true),
      });
    }
    pointer = view.getBigUint64(DnsCacheEntry.next, true);
  }
  return { entries, truncated: false };
}

/** Walks a `DNS_RECORDW` list from `first`, at most `maxRecords`. */
export function walkDnsRecords(
  first: bigint,
  memory: NativeMemory,
  maxRecords: number,
): CachedRecord[] {
  const records: CachedRecord[] = [];
  const seen = new Set<bigint>();
  let pointer = first;
  while (pointer !== 0n && !seen.has(pointer) && records.length < maxRecords) {
    seen.add(pointer);
    const bytes = memory.bytes(pointer, DnsRecordW.readSize);
    if (bytes === undefined) break;
    const record = decodeDnsRecord(pointer, viewOf(bytes), memory);
    if (record) records.push(record);
    pointer = viewOf(bytes).getBigUint64(DnsRecordW.next, true);
  }
  return records;
}

/** Decodes the `DNS_RECORDW` at `pointer`, read into `view` (its header and the `Data` members iocscan reads). */
export function decodeDnsRecord(
  pointer: bigint,
  view: DataView,
  memory: NativeMemory,
): CachedRecord | undefined {
  const name = memory.wideString(view.getBigUint64(DnsRecordW.name, true), maxNameChars);
  if (name === undefined) return undefined;
  const type = view.getUint16(DnsRecordW.type, true);
  const dataLength = view.getUint16(DnsRecordW.dataLength, true);
  const flags = view.getUint32(DnsRecordW.flags, true);
  const section = flags & dnsSectionMask;
  const base = {
    name,
    type,
    typeName: dnsTypeName(type),
    dataLength,
    ttl: view.getUint32(DnsRecordW.ttl, true),
    section: dnsSections[section] ?? String(section),
  };
  const data = DnsRecordW.data;
  if (type === DnsType.a && dataLength >= 4) {
    const at = data + DnsRecordData.ipv4Address;
    return { ...base, ipv4Address: [0, 1, 2, 3].map((i) => view.getUint8(at + i)).join(".") };
  }
  if (type === DnsType.aaaa && dataLength >= 16) {
    const at = data + DnsRecordData.ipv6Address;
    const groups = Array.from({ length: 8 }, (_, i) => view.getUint16(at + 2 * i, false));
    return { ...base, ipv6Address: formatIpv6(groups) };
  }
  if (hostDataTypes.has(type)) {
    const pointer = view.getBigUint64(data + DnsRecordData.nameHost, true);
    const host = memory.wideString(pointer, maxNameChars);
    return host === undefined ? base : { ...base, host };
  }
  if (type === DnsType.txt) {
    const count = Math.min(view.getUint32(data + DnsRecordData.textCount, true), maxTextStrings);
    return { ...base, strings: readTextStrings(pointer, memory, count) };
  }
  return base;
}

/** The most strings read of one TXT record. */
export const maxTextStrings = 64;

/** The strings of a TXT record: its pointer array runs past the fixed part, read apart. */
function readTextStrings(record: bigint, memory: NativeMemory, count: number): string[] {
  const at = record + BigInt(DnsRecordW.data + DnsRecordData.textStrings);
  const array = count === 0 ? undefined : memory.bytes(at, 8 * count);
  if (array === undefined) return [];
  const view = viewOf(array);
  const strings: string[] = [];
  for (let index = 0; index < count; index++) {
    const text = memory.wideString(view.getBigUint64(8 * index, true), maxNameChars);
    if (text !== undefined) strings.push(text);
  }
  return strings;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
