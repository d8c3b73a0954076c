/**
 * The endpoint-network collector on recorded events and a recorded cache:
 * Sysmon DNS queries become Network objects labelled as the endpoint's view,
 * other events are ignored, an unavailable cache is a skip of the source
 * that names the Network document, and URI is never fully evaluated.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import {
  type EventLogSource,
  recordedCommand,
  sysmonChannel,
  wevtutilSource,
  type WindowsEvent,
} from "../eventlog/mod.ts";
import { createNetworkCollector } from "./collector.ts";
import { type DnsCacheNames, dnsCacheNamesFor } from "./dns_cache_names.ts";
import { cnameTargets, sysmonDnsItem, uriHostOnly } from "./network_item.ts";

const sysmon = "Microsoft-Windows-Sysmon/Operational";

function sysmonEvent(
  eventId: number,
  recordId: number,
  data: Record<string, string>,
): WindowsEvent {
  return {
    channel: sysmon,
    provider: "Microsoft-Windows-Sysmon",
    eventId,
    recordId,
    origin: "/evidence/Sysmon.evtx",
    timeCreated: "2024-03-01T10:00:00.0000000Z",
    computer: "WS01",
    data: Object.entries(data).map(([name, value]) => ({ name, value })),
  };
}

/** A recorded event source. */
function recorded(events: WindowsEvent[]): EventLogSource {
  return {
    name: "recorded",
    async *events(context) {
      for (const event of events) {
        context.stats.records++;
        yield event;
      }
    },
  };
}

async function collect(
  options: Parameters<typeof createNetworkCollector>[0],
  fields: string[] = ["DNS"],
) {
  const items: ObservedItem[] = [];
  const skipped: SkippedObject[] = [];
  const collector = createNetworkCollector(options);
  const reporter = { skipped: (s: SkippedObject) => skipped.push(s), warning() {}, progress() {} };
  const needs = new Map([["Network", new Set(fields)]]);
  for await (const item of collector.collect({ needs, reporter })) items.push(item);
  return { items, skipped, stats: collector.stats };
}

Deno.test("createNetworkCollector() turns Sysmon DNS queries into labelled Network objects", async () => {
  const { items, skipped, stats } = await collect({
    events: [recorded([
      sysmonEvent(22, 7, {
        QueryName: "evil.example",
        QueryResults: "type:  5 edge.cdn.example;::ffff:103.41.124.9;",
        Image: "C:\\Users\\a\\AppData\\x.exe",
        ProcessId: "4242",
        UtcTime: "2024-03-01 10:00:00.000",
      }),
      // Not a DNS query: ignored.
      sysmonEvent(1, 8, { Image: "C:\\x.exe", CommandLine: "x.exe" }),
    ])],
  });
  deepStrictEqual(skipped, []);
  deepStrictEqual(stats, { records: 2, queries: 1, cacheNames: 0 });
  deepStrictEqual(items, [{
    document: "Network",
    key: "evil.example → type: 5 edge.cdn.example, ::ffff:103.41.124.9 " +
      `(Sysmon DNS query by pid 4242 x.exe, ${sysmon}#7)`,
    fields: {
      DNS: ["evil.example", "edge.cdn.example"],
      URI: ["evil.example", "edge.cdn.example"],
    },
    unevaluated: { URI: uriHostOnly },
    provenance: {
      source: "endpoint-network: Sysmon DNS query (/evidence/Sysmon.evtx)",
      time: "2024-03-01T10:00:00.0000000Z",
      computer: "WS01",
    },
  }]);
});

Deno.test("createNetworkCollector() reads nothing when no IOC needs Network", async () => {
  const collector = createNetworkCollector({ dnsCache: dnsCacheNamesFor("linux") });
  const skipped: SkippedObject[] = [];
  const reporter = { skipped: (s: SkippedObject) => skipped.push(s), warning() {}, progress() {} };
  for await (const _ of collector.collect({ needs: new Map(), reporter })) throw new Error("no");
  deepStrictEqual(skipped, []);
});

Deno.test("createNetworkCollector() an unavailable DNS cache is a skip that leaves Network unread", async () => {
  // resolvectl that cannot reach systemd-resolved, recorded.
  const runner = recordedCommand("", 1, "Failed to connect to bus: No such file or directory");
  const { items, skipped } = await collect({ dnsCache: dnsCacheNamesFor("linux", runner) });
  deepStrictEqual(items, []);
  deepStrictEqual(skipped.map((skip) => [skip.object, skip.reason, skip.unreadDocuments]), [
    ["dns-cache:systemd-resolved", "source-unavailable", ["Network"]],
  ]);
  ok(skipped[0]?.detail?.includes("Failed to connect"), skipped[0]?.detail);
});

Deno.test("dnsCacheNamesFor() reads the dns collector's cache: each name, and the name looked up along a CNAME", async () => {
  const text = `Scope protocol=dns ifindex=2 ifname=eth0 DNSSEC=no DNSOverTLS=no
www.evil.com IN A 1.2.3.4
alias.evil.com IN CNAME www.evil.com.
`;
  const read = await dnsCacheNamesFor("linux", recordedCommand(text)).read();
  if ("unavailable" in read) throw new Error(read.unavailable);
  deepStrictEqual(
    read.names.map((entry) => [entry.name, entry.type, entry.data]),
    [["www.evil.com", "A", "1.2.3.4"], ["alias.evil.com", "CNAME", "www.evil.com"]],
  );
});

Deno.test("createNetworkCollector() gives each cached name its observation time and computer", async () => {
  const cache: DnsCacheNames = {
    source: "dns-cache:recorded",
    read: () =>
      Promise.resolve({
        names: [{
          name: "www.evil.com",
          type: "A",
          data: "1.2.3.4",
          observed: "2024-03-01T10:00:00Z",
        }],
      }),
  };
  const { items, skipped } = await collect({ dnsCache: cache, computer: "host1" }, ["DNS", "URI"]);
  deepStrictEqual(skipped, []);
  deepStrictEqual(items, [{
    document: "Network",
    key: "www.evil.com A 1.2.3.4 (DNS cache)",
    fields: { DNS: "www.evil.com", URI: "www.evil.com" },
    unevaluated: { URI: uriHostOnly },
    provenance: {
      source: "endpoint-network: DNS cache",
      time: "2024-03-01T10:00:00Z",
      computer: "host1",
    },
  }]);
});

Deno.test("createNetworkCollector() URI items with no host name seen leave Network unread", async () => {
  // The cache was read and is empty: DNS items are decided (a miss), URI items are not.
  const emptyCache: DnsCacheNames = {
    source: "dns-cache",
    read: () => Promise.resolve({ names: [] }),
  };
  const { skipped } = await collect({ dnsCache: emptyCache }, ["URI"]);
  deepStrictEqual(skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [[
    "endpoint-network:URI",
    "unsupported",
    ["Network"],
  ]]);
  strictEqual((await collect({ dnsCache: emptyCache }, ["DNS"])).skipped.length, 0);
});

Deno.test("createNetworkCollector() event logs without one Sysmon DNS query (no Sysmon, or no DNS logging) leave Network unread", async () => {
  const security: WindowsEvent = {
    channel: "Security",
    provider: "Microsoft-Windows-Security-Auditing",
    eventId: 4624,
    recordId: 1,
    origin: "/evidence/Security.evtx",
    data: [],
  };
  for (const events of [[], [security], [sysmonEvent(1, 2, { Image: "C:\\x.exe" })]]) {
    for (const fields of [["DNS"], ["URI"], ["DNS", "URI"]]) {
      const { items, skipped } = await collect({ events: [recorded(events)] }, fields);
      deepStrictEqual(items, []);
      deepStrictEqual(skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [[
        "endpoint-network:Sysmon DNS queries",
        "source-unavailable",
        ["Network"],
      ]]);
    }
  }
});

Deno.test("cnameTargets() reads the CNAME targets of Sysmon's QueryResults", () => {
  deepStrictEqual(cnameTargets("type:  5 a.example;type:  5 b.example;::ffff:1.2.3.4;"), [
    "a.example",
    "b.example",
  ]);
  deepStrictEqual(cnameTargets("::ffff:1.2.3.4;"), []);
  deepStrictEqual(cnameTargets(undefined), []);
});

Deno.test("createNetworkCollector() reads the live Sysmon channel from recorded wevtutil output (Windows path)", async () => {
  // What `wevtutil qe Microsoft-Windows-Sysmon/Operational /f:RenderedXml /e:Events` prints.
  const output =
    `<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>` +
    `<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>` +
    `<EventID>22</EventID><Version>5</Version><Level>4</Level><Task>22</Task><Opcode>0</Opcode>` +
    `<TimeCreated SystemTime='2026-12-01T10:00:00.1234567Z'/><EventRecordID>991</EventRecordID>` +
    `<Channel>${sysmonChannel}</Channel><Computer>WS01.corp.example</Computer></System><EventData>` +
    `<Data Name='UtcTime'>2026-12-01 10:00:00.123</Data><Data Name='ProcessId'>4242</Data>` +
    `<Data Name='QueryName'>k2l8z1yeodm.info</Data><Data Name='QueryStatus'>0</Data>` +
    `<Data Name='QueryResults'>::ffff:103.41.124.9;</Data>` +
    `<Data Name='Image'>C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe</Data>` +
    `</EventData></Event></Events>`;
  const { items } = await collect({
    events: [wevtutilSource({ channels: [sysmonChannel], run: recordedCommand(output) })],
  });
  deepStrictEqual(items.map((item) => [item.key, item.fields.DNS, item.provenance]), [[
    `k2l8z1yeodm.info → ::ffff:103.41.124.9 (Sysmon DNS query by pid 4242 powershell.exe, ${sysmonChannel}#991)`,
    "k2l8z1yeodm.info",
    {
      source: "endpoint-network: Sysmon DNS query",
      time: "2026-12-01T10:00:00.1234567Z",
      computer: "WS01.corp.example",
    },
  ]]);
});

Deno.test("createNetworkCollector() a cache read only in part keeps its names and leaves Network unread", async () => {
  const dnsCache: DnsCacheNames = {
    source: "dns-cache",
    read: () =>
      Promise.resolve({
        names: [{ name: "a.example", observed: "2026-01-01T00:00:00.000Z" }],
        partial: { object: "dns-cache:windows", detail: "only the first 1 entries were read" },
      }),
  };
  const { items, skipped } = await collect({ dnsCache });
  deepStrictEqual(items.map((item) => item.fields.DNS), ["a.example"]);
  deepStrictEqual(skipped.map((skip) => [skip.object, skip.reason, skip.unreadDocuments]), [
    ["dns-cache:windows", "source-unavailable", ["Network"]],
  ]);
});

Deno.test("sysmonDnsItem() a fully qualified QueryName (final dot) and CNAME targets lose the final dot, as cache names do", () => {
  const item = sysmonDnsItem(sysmonEvent(22, 9, {
    QueryName: "evil.example.",
    QueryResults: "type:  5 edge.cdn.example.;1.2.3.4;",
  }));
  deepStrictEqual(item?.fields.DNS, ["evil.example", "edge.cdn.example"]);
});
