/**
 * The endpoint-network mode through the real CLI: a `Network/DNS` IOC over an
 * .evtx file of Sysmon DNS query events (built with code) detects with
 * `--endpoint-network`, with evidence labelled as the endpoint's view, and is
 * not evaluated without it (exit 3, the opt-in named); `Network/URI` matches
 * the host and is never ruled out; a live Linux scan whose resolver cache is
 * unavailable is incomplete, not clean; the corpus's Sysmon sample works too.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element, utf16 } from "../formats/evtx/_fixtures.ts";
import { corpusDir } from "./corpus.ts";
import { type CliEvent, runCli } from "./_cli.ts";

/** One IOC with one item. */
function ioc(id: string, search: string, condition: string, value: string): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-07T00:00:00">
  <short_description>${id}</short_description>
  <definition><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-item" condition="${condition}">
      <Context document="Network" search="${search}" type="network"/>
      <Content type="string">${value}</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`;
}

const dataNames = ["UtcTime", "ProcessId", "QueryName", "QueryStatus", "QueryResults", "Image"];

/** A Sysmon log with one DNS query event (id 22) per query. */
function sysmonDnsEvtx(queries: { name: string; results: string; pid: number }[]): Uint8Array {
  const template = element("Event", [], [
    ...element("System", [], [
      ...element("Provider", [["Name", [{ text: "Microsoft-Windows-Sysmon" }]]], []),
      ...element("EventID", [], [{ text: "22" }]),
      ...element("Channel", [], [{ text: "Microsoft-Windows-Sysmon/Operational" }]),
      ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
      ...element("Computer", [], [{ text: "WS01" }]),
    ]),
    ...element(
      "EventData",
      [],
      dataNames.flatMap((name, index) =>
        element("Data", [["Name", [{ text: name }]]], [{ sub: index + 1, type: 1 }])
      ),
    ),
  ]);
  const text = (value: string) => ({ type: 1, bytes: utf16(value) });
  return buildEvtx({
    template,
    records: queries.map((query, index) => ({
      id: index + 1,
      writtenMs: Date.UTC(2026, 11, 1, 10, index),
      values: [
        { type: 0x0a, bytes: new Uint8Array([index + 1, 0, 0, 0, 0, 0, 0, 0]) },
        text(`2026-12-01 10:0${index}:00.000`),
        text(String(query.pid)),
        text(query.name),
        text("0"),
        text(query.results),
        text("C:\\Users\\alice\\AppData\\Local\\Temp\\dropper.exe"),
      ],
    })),
  });
}

interface Scan {
  code: number;
  events: CliEvent[];
}

async function scan(dir: string, args: string[]): Promise<Scan> {
  const output = await runCli(["scan", ...args, "--db", join(dir, "results.db"), "--json"]);
  return { code: output.code, events: output.events };
}

const ofType = (events: CliEvent[], type: string) => events.filter((event) => event.type === type);
const summaryOf = (events: CliEvent[]) =>
  ofType(events, "summary")[0] as CliEvent & { incomplete: { what: string; why: string }[] };

Deno.test("iocscan scan --endpoint-network: a Network/DNS IOC detects on a Sysmon DNS query", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-endpoint-network-" });
  try {
    const evtx = join(dir, "Sysmon.evtx");
    await Deno.writeFile(
      evtx,
      sysmonDnsEvtx([
        { name: "update.example.org", results: "::ffff:192.0.2.10;", pid: 100 },
        {
          name: "k2l8z1yeodm.info",
          results: "type:  5 c2.k2l8z1yeodm.info;::ffff:103.41.124.9;",
          pid: 4242,
        },
      ]),
    );
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(
      join(iocs, "dns.ioc"),
      ioc("dns", "Network/DNS", "is", "k2l8z1yeodm.info"),
    );

    const without = await scan(dir, ["--ioc", iocs, "--evtx", evtx]);
    strictEqual(without.code, 3, JSON.stringify(summaryOf(without.events)));
    deepStrictEqual(
      ofType(without.events, "not-evaluated").map((event) => [event.reason, event.detail]),
      [["no-source", "endpoint network matching is opt-in: --endpoint-network"]],
    );
    ok(summaryOf(without.events).incomplete[0]!.why.includes("--endpoint-network"));

    const withFlag = await scan(dir, ["--ioc", iocs, "--evtx", evtx, "--endpoint-network"]);
    strictEqual(withFlag.code, 1, JSON.stringify(summaryOf(withFlag.events)));
    const [detection] = ofType(withFlag.events, "detection") as (CliEvent & {
      evidence: {
        object: string;
        source: string;
        computer: string;
        items: { observed: unknown }[];
      }[];
    })[];
    ok(detection);
    deepStrictEqual(
      detection.evidence.map((e) => [e.object, e.source, e.computer, e.items[0]!.observed]),
      [[
        "k2l8z1yeodm.info → type: 5 c2.k2l8z1yeodm.info, ::ffff:103.41.124.9 " +
        "(Sysmon DNS query by pid 4242 dropper.exe, Microsoft-Windows-Sysmon/Operational#2)",
        `endpoint-network: Sysmon DNS query (${evtx})`,
        "WS01",
        "k2l8z1yeodm.info",
      ]],
    );

    // A CNAME target of the answer is a name this machine resolved too.
    await Deno.writeTextFile(
      join(iocs, "dns.ioc"),
      ioc("dns", "Network/DNS", "is", "c2.k2l8z1yeodm.info"),
    );
    strictEqual((await scan(dir, ["--ioc", iocs, "--evtx", evtx, "--endpoint-network"])).code, 1);

    // A name nobody resolved: clean, every item evaluated.
    await Deno.writeTextFile(
      join(iocs, "dns.ioc"),
      ioc("dns", "Network/DNS", "is", "absent.example"),
    );
    strictEqual((await scan(dir, ["--ioc", iocs, "--evtx", evtx, "--endpoint-network"])).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan scan --endpoint-network: Network/URI matches the host and is never ruled out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-endpoint-network-" });
  try {
    const evtx = join(dir, "Sysmon.evtx");
    await Deno.writeFile(evtx, sysmonDnsEvtx([{ name: "k2l8z1yeodm.info", results: "", pid: 1 }]));
    const host = join(dir, "host.ioc");
    await Deno.writeTextFile(host, ioc("host", "Network/URI", "contains", "k2l8z1yeodm.info"));
    strictEqual((await scan(dir, ["--ioc", host, "--evtx", evtx, "--endpoint-network"])).code, 1);
    // A path is never seen: not a miss, an unknown (exit 3, the reason named).
    const path = join(dir, "path.ioc");
    await Deno.writeTextFile(path, ioc("path", "Network/URI", "contains", "/check.action?"));
    const unknown = await scan(dir, ["--ioc", path, "--evtx", evtx, "--endpoint-network"]);
    strictEqual(unknown.code, 3);
    ok(
      summaryOf(unknown.events).incomplete[0]!.why.includes("never a URI's scheme, path or query"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "iocscan scan --endpoint-network: live on Linux, an unavailable DNS cache is incomplete, not clean",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-endpoint-network-" });
    try {
      const path = join(dir, "dns.ioc");
      await Deno.writeTextFile(path, ioc("dns", "Network/DNS", "is", "absent.example"));
      const live = await scan(dir, ["--ioc", path, "--endpoint-network"]);
      strictEqual(live.code, 3, JSON.stringify(summaryOf(live.events)));
      deepStrictEqual(
        ofType(live.events, "skipped").map((event) => [event.object, event.unreadDocuments]),
        [["dns-cache:systemd-resolved", ["Network"]]],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const evtxCorpus = corpusDir("evtx");
if (evtxCorpus === undefined) {
  console.warn("SKIPPED endpoint-network corpus test: ../shared/corpus/evtx is missing");
}

Deno.test({
  name: "iocscan scan --endpoint-network: the corpus's Sysmon DNS query (PsExec sample) detects",
  ignore: evtxCorpus === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-endpoint-network-" });
    try {
      const evtx = join(
        evtxCorpus!,
        "hayabusa-sample-evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps",
        "ID11,13,17,18-PSexec as system execution.evtx",
      );
      const path = join(dir, "dns.ioc");
      await Deno.writeTextFile(path, ioc("dns", "Network/DNS", "is", "fs03vuln"));
      strictEqual((await scan(dir, ["--ioc", path, "--evtx", evtx])).code, 3);
      const found = await scan(dir, ["--ioc", path, "--evtx", evtx, "--endpoint-network"]);
      strictEqual(found.code, 1);
      const [detection] = ofType(found.events, "detection") as (CliEvent & {
        evidence: { object: string }[];
      })[];
      ok(detection?.evidence[0]?.object.includes("pid 2124 PsExec64.exe"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "iocscan scan --endpoint-network: an .evtx without a Sysmon DNS query (a Security log) is incomplete, never clean",
  ignore: evtxCorpus === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-endpoint-network-" });
    try {
      const evtx = join(evtxCorpus!, "omerbenamram-evtx", "Security_short_selected.evtx");
      const path = join(dir, "dns.ioc");
      await Deno.writeTextFile(path, ioc("dns", "Network/DNS", "is", "evil.example"));
      const result = await scan(dir, ["--ioc", path, "--evtx", evtx, "--endpoint-network"]);
      strictEqual(result.code, 3);
      const skipped = ofType(result.events, "skipped") as (CliEvent & { object: string })[];
      ok(skipped.some((skip) => skip.object === "endpoint-network:Sysmon DNS queries"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
