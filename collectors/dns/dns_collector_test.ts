import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { scriptedCommands } from "../net_table/_scripted_commands.ts";
import { recordedCommand } from "../live/mod.ts";
import { createDnsCollector } from "./collector.ts";
import {
  linuxDnsSource,
  parseResolvedJson,
  parseResolvedText,
  rdataOfRaw,
} from "./linux_source.ts";
import { toDnsItem } from "./dns_record.ts";
import { cimDnsSource, getDnsClientCacheScript } from "./windows_cim.ts";
import { cacheTableRead, recordsOfEntry } from "./windows_source.ts";
import { readDnsCacheNames } from "./cache_names.ts";
import { walkCacheEntries, walkDnsRecords } from "../../windows/layouts/dns_cache_records.ts";
import { FakeMemory } from "../../windows/layouts/_dns_cache_memory.ts";

const observation = { time: "2026-12-07T03:00:00.000Z", computer: "host1" };
const reporter = { skipped() {}, warning() {}, progress() {} };
const noTtl = "resolvectl show-cache does not give the remaining TTL";
const noFlags = "resolvectl show-cache does not give cache flags";
const noLength = "resolvectl show-cache gave no wire form of the record";

/**
 * `resolvectl show-cache` as systemd 254+ prints it, written by hand after
 * published output (this machine's systemd 252 has no show-cache).
 */
const showCacheText = `Scope protocol=dns ifindex=2 ifname=eth0 DNSSEC=no DNSOverTLS=no
www.evil.com IN A 1.2.3.4
www.evil.com IN AAAA 2001:DB8::1
alias.evil.com IN CNAME www.evil.com.
gone.evil.com IN ANY NXDOMAIN
Scope protocol=llmnr interface=eth0 family=AF_INET
mail.evil.com IN MX 10 mx1.evil.com
`;

/** The same cache as `--json=short` writes it (wire forms in `raw`, Base64). */
function wireRecord(name: string, type: number, rdata: number[]): string {
  const labels = name.split(".").flatMap((
    label,
  ) => [label.length, ...new TextEncoder().encode(label)]);
  const bytes = [
    ...labels,
    0,
    0,
    type,
    0,
    1,
    0,
    0,
    0x0e,
    0x10,
    rdata.length >> 8,
    rdata.length & 0xff,
    ...rdata,
  ];
  return btoa(String.fromCharCode(...bytes));
}
const showCacheJson = JSON.stringify([{
  protocol: "dns",
  ifindex: 2,
  ifname: "eth0",
  cache: [
    {
      key: { class: 1, type: 1, name: "www.evil.com" },
      rrs: [{
        rr: { key: { class: 1, type: 1, name: "www.evil.com" }, address: [1, 2, 3, 4] },
        raw: wireRecord("www.evil.com", 1, [1, 2, 3, 4]),
      }],
      until: 123456789,
    },
    {
      key: { class: 1, type: 28, name: "www.evil.com" },
      rrs: [{
        rr: {
          key: { class: 1, type: 28, name: "www.evil.com" },
          address: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        },
      }],
    },
    {
      key: { class: 1, type: 5, name: "alias.evil.com" },
      rrs: [{ rr: { key: { class: 1, type: 5, name: "alias.evil.com" }, name: "www.evil.com." } }],
    },
    { key: { class: 1, type: 1, name: "gone.evil.com" }, type: "NXDOMAIN", until: 1 },
  ],
}]);

Deno.test("parseResolvedText reads each record of show-cache's text", () => {
  const records = parseResolvedText(showCacheText);
  deepStrictEqual(records.map((record) => toDnsItem(record, observation)), [
    item("www.evil.com A 1.2.3.4", "www.evil.com", "A", { IPv4Address: "1.2.3.4" }),
    item("www.evil.com AAAA 2001:db8::1", "www.evil.com", "AAAA", { IPv6Address: "2001:db8::1" }),
    item("alias.evil.com CNAME www.evil.com", "alias.evil.com", "CNAME", { Host: "www.evil.com" }),
    item("gone.evil.com ANY NXDOMAIN", "gone.evil.com", "ANY", undefined),
    item("mail.evil.com MX mx1.evil.com", "mail.evil.com", "MX", { Host: "mx1.evil.com" }),
  ]);
});

function item(
  key: string,
  name: string,
  type: string,
  data: Record<string, string> | undefined,
  dataLength?: number,
): ObservedItem {
  return {
    document: "DnsEntryItem",
    key,
    fields: {
      Host: name,
      RecordName: name,
      RecordType: type,
      ...(dataLength === undefined ? {} : { DataLength: dataLength }),
      ...(data ? { RecordData: data } : {}),
    },
    provenance: observation,
    unevaluated: {
      TimeToLive: noTtl,
      Flags: noFlags,
      ...(dataLength === undefined ? { DataLength: noLength } : {}),
    },
  };
}

Deno.test("parseResolvedJson reads scopes, records, negative answers and the wire length", () => {
  const read = parseResolvedJson(showCacheJson);
  if (!read.ok) throw new Error(read.detail);
  deepStrictEqual(read.rows.map((record) => toDnsItem(record, observation)), [
    item("www.evil.com A 1.2.3.4", "www.evil.com", "A", { IPv4Address: "1.2.3.4" }, 4),
    item("www.evil.com AAAA 2001:db8::1", "www.evil.com", "AAAA", { IPv6Address: "2001:db8::1" }),
    item("alias.evil.com CNAME www.evil.com", "alias.evil.com", "CNAME", { Host: "www.evil.com" }),
    item("gone.evil.com A NXDOMAIN", "gone.evil.com", "A", undefined),
  ]);
  ok(!parseResolvedJson("{not json").ok);
  deepStrictEqual(rdataOfRaw(wireRecord("a.b", 1, [9, 8, 7, 6])), Uint8Array.of(9, 8, 7, 6));
  strictEqual(rdataOfRaw("!!"), undefined);
});

Deno.test("dns collector: resolvectl --json first, its text form when this resolvectl has no JSON", async () => {
  const calls: string[] = [];
  const runner = scriptedCommands({
    "resolvectl --json=short show-cache": {
      stdout: "",
      code: 1,
      stderr: "resolvectl: unrecognized option '--json=short'",
    },
    "resolvectl show-cache": showCacheText,
  }, calls);
  const items: ObservedItem[] = [];
  const collector = createDnsCollector({ source: linuxDnsSource({ runner }) });
  for await (const one of collector.collect({ needs: new Map(), reporter })) items.push(one);
  deepStrictEqual(calls, ["resolvectl --json=short show-cache", "resolvectl show-cache"]);
  strictEqual(items.length, 5);
  strictEqual(items[0]?.key, "www.evil.com A 1.2.3.4");
});

Deno.test("dns collector: no resolvectl, or one without show-cache, is a skip of dns-cache:systemd-resolved", async () => {
  for (
    const [answers, expected] of [
      [{}, /resolvectl is not installed/],
      [{
        "resolvectl --json=short show-cache": {
          stdout: "",
          code: 1,
          stderr: "Unknown command verb 'show-cache'.",
        },
        "resolvectl show-cache": {
          stdout: "",
          code: 1,
          stderr: "Unknown command verb 'show-cache'.",
        },
      }, /has no show-cache \(systemd 254 or later\)/],
      [{
        "resolvectl --json=short show-cache": { stdout: "", code: 1, stderr: "Failed to connect" },
        "resolvectl show-cache": { stdout: "", code: 1, stderr: "Failed to connect" },
      }, /systemd-resolved's cache could not be read/],
    ] as const
  ) {
    const skipped: { object: string; reason: string; detail?: string }[] = [];
    const collector = createDnsCollector({
      source: linuxDnsSource({ runner: scriptedCommands(answers) }),
    });
    for await (
      const _ of collector.collect({
        needs: new Map(),
        reporter: { ...reporter, skipped: (entry) => skipped.push(entry) },
      })
    );
    strictEqual(skipped.length, 1);
    strictEqual(skipped[0]!.object, "dns-cache:systemd-resolved");
    strictEqual(skipped[0]!.reason, "source-unavailable");
    ok(expected.test(skipped[0]!.detail ?? ""), skipped[0]!.detail);
  }
});

Deno.test("dns: the Windows cache walk (DnsGetCacheDataTable + DnsQuery_W) makes records per entry", () => {
  const memory = new FakeMemory();
  const first = memory.cacheList([
    { name: "www.evil.com", type: 1, flags: 0x2000 },
    { name: "expired.evil.com", type: 1, flags: 0 },
  ]);
  const answers: Record<string, bigint> = {
    "www.evil.com": memory.recordList([
      { name: "www.evil.com", type: 5, ttl: 300, section: 1, data: { host: "cdn.evil.net" } },
      { name: "cdn.evil.net", type: 1, ttl: 60, section: 1, data: { ipv4: [1, 2, 3, 4] } },
    ]),
  };
  const entries = walkCacheEntries(first, memory, 100).entries;
  const records = entries.flatMap((entry) =>
    recordsOfEntry(entry, (name) => {
      const answer = answers[name];
      return answer === undefined ? [] : walkDnsRecords(answer, memory, 100);
    })
  );
  deepStrictEqual(records.map((record) => toDnsItem(record, observation)), [
    {
      document: "DnsEntryItem",
      key: "www.evil.com CNAME cdn.evil.net",
      fields: {
        Host: "www.evil.com",
        RecordName: "www.evil.com",
        RecordType: "CNAME",
        TimeToLive: 300,
        Flags: "8192",
        DataLength: 8,
        RecordData: { Host: "cdn.evil.net" },
      },
      provenance: observation,
    },
    {
      document: "DnsEntryItem",
      key: "www.evil.com → cdn.evil.net A 1.2.3.4",
      fields: {
        Host: "www.evil.com",
        RecordName: "cdn.evil.net",
        RecordType: "A",
        TimeToLive: 60,
        Flags: "8192",
        DataLength: 4,
        RecordData: { IPv4Address: "1.2.3.4" },
      },
      provenance: observation,
    },
    {
      document: "DnsEntryItem",
      key: "expired.evil.com A",
      fields: {
        Host: "expired.evil.com",
        RecordName: "expired.evil.com",
        RecordType: "A",
        Flags: "0",
        DataLength: 4,
      },
      provenance: observation,
      // Its data is not known either: an IOC on RecordData is undecided on it, not a miss.
      unevaluated: {
        TimeToLive: "the cache gave no record for this entry (expired or negative)",
        RecordData: "the cache gave no record for this entry (expired or negative)",
      },
    },
  ]);
});

Deno.test("dns: Get-DnsClientCache JSON (recorded shape) through the bounded CIM fallback", async () => {
  const recorded = JSON.stringify([
    {
      Entry: "www.evil.com",
      Name: "www.evil.com",
      Type: 1,
      Data: "1.2.3.4",
      DataLength: 4,
      TimeToLive: 3527,
      Status: 0,
      Section: 1,
    },
    {
      Entry: "gone.evil.com",
      Name: "gone.evil.com",
      Type: 1,
      Data: null,
      DataLength: 0,
      TimeToLive: 100,
      Status: 9003,
      Section: 1,
    },
  ]);
  const runner = scriptedCommands({
    [`powershell.exe -NoProfile -NonInteractive -Command ${getDnsClientCacheScript}`]: recorded,
  });
  const read = await cimDnsSource({ runner }).read();
  if (!read.ok) throw new Error(read.detail);
  deepStrictEqual(read.rows.map((record) => toDnsItem(record, observation)), [
    {
      document: "DnsEntryItem",
      key: "www.evil.com A 1.2.3.4",
      fields: {
        Host: "www.evil.com",
        RecordName: "www.evil.com",
        RecordType: "A",
        TimeToLive: 3527,
        DataLength: 4,
        RecordData: { IPv4Address: "1.2.3.4" },
      },
      provenance: observation,
      unevaluated: { Flags: "Get-DnsClientCache does not give cache flags" },
    },
    {
      document: "DnsEntryItem",
      key: "gone.evil.com A NXDOMAIN",
      fields: {
        Host: "gone.evil.com",
        RecordName: "gone.evil.com",
        RecordType: "A",
        TimeToLive: 100,
        DataLength: 0,
      },
      provenance: observation,
      unevaluated: { Flags: "Get-DnsClientCache does not give cache flags" },
    },
  ]);
});

Deno.test("readDnsCacheNames lists the cache's names, or the skip when it cannot be read", async () => {
  const runner = scriptedCommands({ "resolvectl --json=short show-cache": showCacheJson });
  const { names, skip } = await readDnsCacheNames({ platform: "linux", runner });
  strictEqual(skip, undefined);
  deepStrictEqual(names, [
    { name: "www.evil.com", type: "A", data: "1.2.3.4" },
    { name: "www.evil.com", type: "AAAA", data: "2001:db8::1" },
    { name: "alias.evil.com", type: "CNAME", data: "www.evil.com" },
    { name: "gone.evil.com", type: "A", data: "NXDOMAIN" },
  ]);
  const none = await readDnsCacheNames({ platform: "linux", runner: scriptedCommands({}) });
  deepStrictEqual(none.names, []);
  strictEqual(none.skip?.object, "dns-cache:systemd-resolved");
  strictEqual((await readDnsCacheNames({ platform: "darwin" })).skip?.object, "dns-cache:darwin");
});

Deno.test("dns collector: JSON of a shape iocscan does not know is never an empty cache: the text is read", async () => {
  const runner = scriptedCommands({
    "resolvectl --json=short show-cache": JSON.stringify([{ scope: "dns", entries: [] }]),
    "resolvectl show-cache": showCacheText,
  });
  const warnings: string[] = [];
  const items: ObservedItem[] = [];
  const collector = createDnsCollector({ source: linuxDnsSource({ runner }) });
  for await (
    const one of collector.collect({
      needs: new Map(),
      reporter: {
        ...reporter,
        warning: (entry) => warnings.push(`${entry.code}: ${entry.message}`),
      },
    })
  ) items.push(one);
  strictEqual(items.length, 5);
  deepStrictEqual(warnings, [
    "dns-cache-json-unknown: resolvectl --json=short show-cache printed JSON of an unknown shape " +
    "(a scope without a cache list); read its text",
  ]);
  // And without a text form to fall back on, the source is unavailable.
  const alone = await linuxDnsSource({
    runner: scriptedCommands({
      "resolvectl --json=short show-cache": JSON.stringify([{ scope: "dns" }]),
      "resolvectl show-cache": { stdout: "", code: 1, stderr: "Failed to connect" },
    }),
  }).read();
  strictEqual(alone.ok, false);
});

Deno.test("parseResolvedJson: a record whose data it cannot read leaves RecordData unevaluated", () => {
  const read = parseResolvedJson(JSON.stringify([{
    cache: [{
      key: { class: 1, type: 65, name: "svc.evil.com" },
      rrs: [{ rr: { key: { class: 1, type: 65, name: "svc.evil.com" }, priority: 1 } }],
    }],
  }]));
  if (!read.ok) throw new Error(read.detail);
  const one = toDnsItem(read.rows[0]!, observation);
  strictEqual(one.fields.RecordType, "HTTPS");
  strictEqual(one.unevaluated?.RecordData, "resolvectl's JSON gave no data iocscan reads");
});

Deno.test("dns: a Windows cache walk past its cap is a partial read (the rest unread), never a full table", () => {
  const memory = new FakeMemory();
  const first = memory.cacheList([
    { name: "a.example", type: 1, flags: 0 },
    { name: "b.example", type: 1, flags: 0 },
    { name: "evil.example", type: 1, flags: 0 },
  ]);
  const read = cacheTableRead(first, memory, () => [], 2);
  ok(read.ok);
  strictEqual(read.rows.length, 2);
  strictEqual(read.unread?.length, 1);
  strictEqual(read.unread![0]!.object, "dns-cache:windows");
  ok(read.unread![0]!.detail.includes("2"), read.unread![0]!.detail);
  // Under the cap: the whole table, nothing unread.
  const whole = cacheTableRead(first, memory, () => [], 10);
  ok(whole.ok);
  strictEqual(whole.rows.length, 3);
  strictEqual(whole.unread, undefined);
});

Deno.test("readDnsCacheNames: a cache read only in part keeps its names and names the part unread", async () => {
  const source = {
    name: "partial",
    read: () =>
      Promise.resolve({
        ok: true as const,
        rows: [{ host: "a.example", recordName: "a.example", recordType: "A", data: {} }],
        unread: [{ object: "dns-cache:windows", detail: "only the first 1 entries were read" }],
      }),
  };
  const read = await readDnsCacheNames({ source });
  deepStrictEqual(read.names.map((entry) => entry.name), ["a.example"]);
  deepStrictEqual(read.skip, {
    object: "dns-cache:windows",
    detail: "only the first 1 entries were read",
  });
});

Deno.test("dns collector: resolvectl text it cannot read is never an empty cache; a real empty cache is", async () => {
  const run = async (text: string) => {
    const skipped: { object: string; reason: string; unreadDocuments?: readonly string[] }[] = [];
    const items: ObservedItem[] = [];
    const runner = scriptedCommands({
      "resolvectl --json=short show-cache": { stdout: "", code: 1, stderr: "unrecognized option" },
      "resolvectl show-cache": text,
    });
    const collector = createDnsCollector({ source: linuxDnsSource({ runner }) });
    for await (
      const one of collector.collect({
        needs: new Map(),
        reporter: { ...reporter, skipped: (entry) => skipped.push(entry) },
      })
    ) items.push(one);
    return { items, skipped };
  };
  // A format iocscan does not know (class in another column): nothing read, so not clean.
  const odd = await run("Cache of scope dns:\n  evil.example. 300 IN A 9.9.9.9\n");
  deepStrictEqual(odd.items, []);
  deepStrictEqual(odd.skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [
    ["dns-cache:systemd-resolved", "source-unavailable", ["DnsEntryItem"]],
  ]);
  // Some lines read, one not: the records read are kept, the line not read leaves the document unread.
  const mixed = await run(`${showCacheText}evil.example. 300 IN A 9.9.9.9\n`);
  strictEqual(mixed.items.length, 5);
  deepStrictEqual(mixed.skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [
    ["dns-cache:systemd-resolved", "source-unavailable", ["DnsEntryItem"]],
  ]);
  // systemd's own words for an empty scope, and colours if forced: an empty cache, read.
  const empty = await run(
    "\x1b[4mScope protocol=dns ifindex=2 ifname=eth0\x1b[0m\n\x1b[90mNo entries.\x1b[0m\n\n",
  );
  deepStrictEqual(empty, { items: [], skipped: [] });
  const coloured = await run(
    "\x1b[4mScope protocol=dns\x1b[0m\nx.test IN A \x1b[31mNXDOMAIN\x1b[0m\n",
  );
  deepStrictEqual(coloured.skipped, []);
  strictEqual(coloured.items[0]?.key, "x.test A NXDOMAIN");
});

Deno.test("dns: Get-DnsClientCache objects it cannot read (no Entry, not an object) leave DnsEntryItem unread", async () => {
  const json = JSON.stringify([
    {
      Entry: "www.evil.com",
      Name: "www.evil.com",
      Type: 1,
      Status: 0,
      Data: "1.2.3.4",
      TimeToLive: 60,
      DataLength: 4,
    },
    { Name: "hidden.evil.com", Type: 1, Data: "6.6.6.6" },
    "www.evil2.com",
  ]);
  const source = cimDnsSource({ runner: recordedCommand(json) });
  const read = await source.read();
  ok(read.ok);
  deepStrictEqual(read.rows.map((row) => row.recordName), ["www.evil.com"]);
  deepStrictEqual(read.unread, [{
    object: "Get-DnsClientCache",
    detail: "2 of 3 entries printed by Get-DnsClientCache could not be read",
  }]);
});

Deno.test("dns: a cached name with more records than the per-name cap is a partial read, never its whole answer", () => {
  const memory = new FakeMemory();
  const first = memory.cacheList([{ name: "many.evil.com", type: 1, flags: 0 }]);
  const answer = memory.recordList(
    Array.from({ length: 4 }, (_, index) => ({
      name: "many.evil.com",
      type: 1,
      ttl: 60,
      section: 1,
      data: { ipv4: [10, 0, 0, index] },
    })),
  );
  // The source walks one record past the cap, so that a cut answer is known to be cut.
  const read = cacheTableRead(first, memory, () => walkDnsRecords(answer, memory, 3 + 1), 10, 3);
  ok(read.ok);
  strictEqual(read.rows.length, 3);
  deepStrictEqual(read.unread?.map((part) => part.object), ["dns-cache:windows"]);
  const whole = cacheTableRead(first, memory, () => walkDnsRecords(answer, memory, 4 + 1), 10, 4);
  ok(whole.ok);
  strictEqual(whole.rows.length, 4);
  strictEqual(whole.unread, undefined);
});
