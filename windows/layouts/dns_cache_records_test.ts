import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { walkCacheEntries, walkDnsRecords } from "./dns_cache_records.ts";
import { DnsCacheEntry, DnsRecordW } from "./dns_cache.ts";
import { FakeMemory } from "./_dns_cache_memory.ts";

Deno.test("dns_cache layouts: the x64 sizes of DNS_CACHE_ENTRY and the DNS_RECORDW header", () => {
  strictEqual(DnsCacheEntry.size, 24);
  strictEqual(DnsRecordW.data, 32);
});

Deno.test("walkCacheEntries follows pNext and reads each name, type, length and flags", () => {
  const memory = new FakeMemory();
  const first = memory.cacheList([
    { name: "www.evil.com", type: 1, flags: 0x2000 },
    { name: "v6.example", type: 28, flags: 0 },
  ]);
  const { entries, truncated } = walkCacheEntries(first, memory, 100);
  strictEqual(truncated, false);
  deepStrictEqual(entries, [
    { name: "www.evil.com", type: 1, typeName: "A", dataLength: 4, flags: 0x2000 },
    { name: "v6.example", type: 28, typeName: "AAAA", dataLength: 16, flags: 0 },
  ]);
});

Deno.test("walkCacheEntries stops at its cap and on a loop", () => {
  const memory = new FakeMemory();
  const first = memory.cacheList([
    { name: "a", type: 1, flags: 0 },
    { name: "b", type: 1, flags: 0 },
    { name: "c", type: 1, flags: 0 },
  ]);
  const capped = walkCacheEntries(first, memory, 2);
  deepStrictEqual(capped.entries.map((entry) => entry.name), ["a", "b"]);
  strictEqual(capped.truncated, true);
  // An entry whose pNext points at itself.
  const looped = new FakeMemory();
  const bytes = new Uint8Array(DnsCacheEntry.size);
  const self = looped.place(bytes);
  new DataView(bytes.buffer).setBigUint64(DnsCacheEntry.next, self, true);
  new DataView(bytes.buffer).setBigUint64(DnsCacheEntry.name, looped.wide("x"), true);
  deepStrictEqual(walkCacheEntries(self, looped, 100).entries.map((entry) => entry.name), ["x"]);
});

Deno.test("walkDnsRecords decodes A, AAAA, CNAME and TXT records with TTL and section", () => {
  const memory = new FakeMemory();
  const first = memory.recordList([
    {
      name: "www.evil.com",
      type: 5,
      ttl: 300,
      section: 1,
      data: { host: "cdn.evil.net" },
    },
    { name: "cdn.evil.net", type: 1, ttl: 60, section: 1, data: { ipv4: [1, 2, 3, 4] } },
    {
      name: "cdn.evil.net",
      type: 28,
      ttl: 61,
      section: 3,
      data: { ipv6: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
    },
    { name: "t.evil.net", type: 16, ttl: 5, section: 1, data: { strings: ["v=spf1", "x"] } },
  ]);
  deepStrictEqual(walkDnsRecords(first, memory, 100), [
    {
      name: "www.evil.com",
      type: 5,
      typeName: "CNAME",
      dataLength: 8,
      ttl: 300,
      section: "Answer",
      host: "cdn.evil.net",
    },
    {
      name: "cdn.evil.net",
      type: 1,
      typeName: "A",
      dataLength: 4,
      ttl: 60,
      section: "Answer",
      ipv4Address: "1.2.3.4",
    },
    {
      name: "cdn.evil.net",
      type: 28,
      typeName: "AAAA",
      dataLength: 16,
      ttl: 61,
      section: "Additional",
      ipv6Address: "2001:db8::1",
    },
    {
      name: "t.evil.net",
      type: 16,
      typeName: "TXT",
      dataLength: 24,
      ttl: 5,
      section: "Answer",
      strings: ["v=spf1", "x"],
    },
  ]);
  strictEqual(walkDnsRecords(first, memory, 1).length, 1);
});
