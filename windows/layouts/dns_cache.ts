/**
 * Byte layouts of the Windows DNS client cache as iocscan reads it on 64-bit
 * Windows: the list `DnsGetCacheDataTable` (an undocumented dnsapi.dll
 * export) returns, one `DNS_CACHE_ENTRY` per cached name and type, and the
 * `DNS_RECORDW` list `DnsQuery_W(name, type, DNS_QUERY_NO_WIRE_QUERY)`
 * returns from the cache without a query on the wire. One definition of each
 * offset; the decoders are in dns_cache_records.ts.
 *
 * @module
 */

/**
 * `DNS_CACHE_ENTRY` (undocumented; as osquery's `dns_cache` table declares it: 24 bytes). Other
 * declarations add a `DWORD dwTtl` after `dwFlags` (32 bytes with padding); the list is walked
 * through `pNext` and only the first 24 bytes are read, so both hold.
 */
export const DnsCacheEntry = {
  size: 24,
  /** `struct _DNS_CACHE_ENTRY* pNext`. */
  next: 0,
  /** `PWSTR pszName`. */
  name: 8,
  /** `unsigned short wType`. */
  type: 16,
  /** `unsigned short wDataLength`. */
  dataLength: 18,
  /** `unsigned long dwFlags`. */
  flags: 20,
} as const;

/** `DNS_RECORDW`: the header, then the `Data` union from offset 32. */
export const DnsRecordW = {
  /** Header plus the largest union member iocscan reads (`DNS_SRV_DATAW`, 16 bytes). */
  readSize: 48,
  /** `struct _DnsRecordW* pNext`. */
  next: 0,
  /** `PWSTR pName`. */
  name: 8,
  /** `WORD wType`. */
  type: 16,
  /** `WORD wDataLength`. */
  dataLength: 18,
  /** `DWORD Flags` (`DNS_RECORD_FLAGS`: bits 0–1 the section). */
  flags: 20,
  /** `DWORD dwTtl`. */
  ttl: 24,
  /** The `Data` union. */
  data: 32,
} as const;

/** Members of the `Data` union, as offsets from `DnsRecordW.data`. */
export const DnsRecordData = {
  /** `DNS_A_DATA.IpAddress`: 4 bytes in network order. */
  ipv4Address: 0,
  /** `DNS_AAAA_DATA.Ip6Address`: 16 bytes in network order. */
  ipv6Address: 0,
  /** `DNS_PTR_DATAW.pNameHost` (CNAME, PTR, NS, DNAME), `DNS_MX_DATAW.pNameExchange`, `DNS_SRV_DATAW.pNameTarget`: PWSTR. */
  nameHost: 0,
  /** `DNS_TXT_DATAW.dwStringCount`. */
  textCount: 0,
  /** `DNS_TXT_DATAW.pStringArray`: PWSTR[dwStringCount]. */
  textStrings: 8,
} as const;

/** `DNS_QUERY_NO_WIRE_QUERY`: answer from the cache only, never ask a server. */
export const dnsQueryNoWireQuery = 0x10;
/** `DnsFreeRecordList`: the `FreeType` of `DnsFree` for a `DnsQuery_W` result. */
export const dnsFreeRecordList = 1;
/** `DnsFreeFlat`: the `FreeType` of `DnsFree` for one flat allocation (a cache entry, its name). */
export const dnsFreeFlat = 0;
/** The `Section` bits of `DNS_RECORD_FLAGS`, and the section names. */
export const dnsSectionMask = 0x3;
/** Section names by number (`DnsSection…`), as `Get-DnsClientCache` spells them. */
export const dnsSections: Readonly<Record<number, string>> = {
  0: "Question",
  1: "Answer",
  2: "Authority",
  3: "Additional",
};

/** DNS record types iocscan names (RFC 1035 and after), by number. */
export const dnsRecordTypes: Readonly<Record<number, string>> = {
  1: "A",
  2: "NS",
  5: "CNAME",
  6: "SOA",
  12: "PTR",
  15: "MX",
  16: "TXT",
  28: "AAAA",
  33: "SRV",
  39: "DNAME",
  64: "SVCB",
  65: "HTTPS",
  255: "ANY",
};

/** The record types whose data is one host name (`DNS_PTR_DATAW` and its first-member kin). */
export const hostDataTypes: ReadonlySet<number> = new Set([2, 5, 12, 15, 33, 39]);
/** The type numbers of A, AAAA and TXT records. */
export const DnsType = { a: 1, aaaa: 28, txt: 16 } as const;
