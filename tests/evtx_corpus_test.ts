/**
 * The EVTX parser and the event-log collector on the shared corpus: record
 * counts against the reference tools, field values against evtxexport, the
 * Sysmon/Security → HX event mapping on real attack samples, the time-window
 * skip, and `iocscan collect eventlog` end to end.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { corpusDir, repositoryRoot, sharedDir } from "./corpus.ts";
import { type EvtxReadStats, type EvtxWarning, readEvtx } from "../formats/evtx/mod.ts";
import {
  createEventLogCollector,
  EventXmlSplitter,
  openFileByteSource,
  parseXmlElement,
} from "../collectors/eventlog/mod.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import {
  attribute,
  childElement,
  isElement,
  textOf,
  type XmlElement,
} from "../formats/evtx/mod.ts";

const evtxDir = corpusDir("evtx");

/** Reference record counts from research/ground-truth-shared.md (evtx-rs where it is given). */
function referenceCounts(): Map<string, number> {
  const text = Deno.readTextFileSync(join(sharedDir!, "research", "ground-truth-shared.md"));
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^\| `evtx\/(.+?)` \|/.exec(line);
    if (!m) continue;
    const cols = line.split("|").map((s) => s.trim());
    const evtxRs = /^(\d+) ok/.exec(cols[7]!);
    const agreed = /^(\d+)$/.exec(cols[8]!);
    const errorItems = /^(\d+) items \((\d+) is an error\)/.exec(cols[7]!);
    const count = errorItems
      ? Number(errorItems[1]) - Number(errorItems[2])
      : evtxRs
      ? Number(evtxRs[1])
      : agreed
      ? Number(agreed[1])
      : Number(cols[4]!.split(" ")[0]);
    counts.set(m[1]!, count);
  }
  return counts;
}

async function parseFile(path: string, options: { since?: Date; until?: Date } = {}) {
  const source = await openFileByteSource(path);
  const warnings: EvtxWarning[] = [];
  const stats: EvtxReadStats = { chunks: 0, records: 0, outsideWindow: 0, bytesRead: 0 };
  let decoded = 0;
  let failed = 0;
  const ids: number[] = [];
  try {
    for await (
      const r of readEvtx(source, {
        ...options,
        onWarning: (w) => warnings.push(w),
      }, stats)
    ) {
      try {
        r.system();
        r.data();
        decoded++;
        ids.push(r.recordId);
      } catch {
        failed++;
      }
    }
  } finally {
    source.close();
  }
  return { decoded, failed, warnings, stats, ids };
}

Deno.test({
  name: "readEvtx record counts equal the reference on every corpus file",
  ignore: evtxDir === undefined,
  fn: async () => {
    const reference = referenceCounts();
    ok(reference.size >= 150, `ground truth lists ${reference.size} files`);
    const wrong: string[] = [];
    for (const [file, expected] of reference) {
      const got = await parseFile(join(evtxDir!, file));
      if (got.decoded !== expected) wrong.push(`${file}: ${got.decoded} != ${expected}`);
    }
    deepStrictEqual(wrong, []);
  },
});

Deno.test({
  name: "readEvtx finishes damaged corpus files with warnings naming the offset",
  ignore: evtxDir === undefined,
  fn: async () => {
    const damaged: [string, string][] = [
      ["omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx", "evtx-chunk-signature"],
      ["omerbenamram-evtx/sample-with-zero-data-size-event.evtx", "evtx-record-corrupt"],
      ["plaso/evtx/System2.evtx", "evtx-truncated"],
      ["omerbenamram-evtx/security_bad_string_cache.evtx", "evtx-chunk-header-crc"],
      [
        "omerbenamram-evtx/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
        "evtx-chunk-data-crc",
      ],
    ];
    for (const [file, code] of damaged) {
      const got = await parseFile(join(evtxDir!, file));
      const hit = got.warnings.find((w) => w.code === code);
      ok(hit, `${file}: expected a ${code} warning, got ${got.warnings.map((w) => w.code)}`);
      ok(hit.offset >= 0 && hit.offset < (await Deno.stat(join(evtxDir!, file))).size);
    }
    // The no-CRC file must not report checksum problems.
    const noCrc = await parseFile(join(evtxDir!, "omerbenamram-evtx/Application_no_crc32.evtx"));
    deepStrictEqual(noCrc.warnings, []);
    strictEqual(noCrc.decoded, 17);
  },
});

/**
 * evtxexport prints FILETIME values with 9 fraction digits (Windows and
 * iocscan: 7) and size_t values in decimal (iocscan: hex, as Event Viewer
 * shows them): compare numbers as numbers.
 */
function normalizeValue(text: string): string {
  const value = text.replace(/^(\d{4}-\d\d-\d\dT[\d:]+\.\d{7})00Z$/, "$1Z");
  return /^0x[0-9a-f]+$/i.test(value) ? BigInt(value).toString() : value;
}

/** Per-record comparable fields from an evtxexport `<Event>` document. */
function comparable(event: XmlElement): Record<string, unknown> {
  const system = childElement(event, "System")!;
  const get = (name: string) => childElement(system, name);
  const data: [string, string][] = [];
  for (const section of event.children) {
    if (!isElement(section) || section.name !== "EventData") continue;
    let position = 0;
    for (const d of section.children) {
      if (!isElement(d)) continue;
      position++;
      if (d.name === "Data") {
        data.push([attribute(d, "Name") ?? `Data${position}`, normalizeValue(textOf(d))]);
      }
    }
  }
  return {
    id: Number(textOf(get("EventRecordID")!)),
    // evtxexport prints 9 fraction digits (the last two always 0); Windows has 7.
    time: attribute(get("TimeCreated")!, "SystemTime")?.replace(/(\.\d{7})\d*Z$/, "$1Z"),
    provider: attribute(get("Provider")!, "Name"),
    eventId: Number(textOf(get("EventID")!)),
    qualifiers: attribute(get("EventID")!, "Qualifiers"),
    channel: textOf(get("Channel")!),
    computer: textOf(get("Computer")!),
    data,
  };
}

const evtxexport = await (async () => {
  try {
    const out = await new Deno.Command("evtxexport", {
      args: ["-V"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success ? "evtxexport" : undefined;
  } catch {
    return undefined;
  }
})();
if (evtxexport === undefined) {
  console.error(
    "\n*** SKIPPING the evtxexport comparison: evtxexport (libevtx-utils) is not installed ***\n",
  );
}

Deno.test({
  name: "EvtxRecord field values equal evtxexport's XML on a sample of records",
  ignore: evtxDir === undefined || evtxexport === undefined,
  fn: async () => {
    const files = [
      "omerbenamram-evtx/new-user-security.evtx",
      "omerbenamram-evtx/security.evtx",
      "omerbenamram-evtx/system.evtx",
      "omerbenamram-evtx/Security_with_size_t.evtx",
      "omerbenamram-evtx/sample-with-irregular-bool-values.evtx",
      "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx",
      "python-evtx/system.evtx",
    ];
    let compared = 0;
    for (const file of files) {
      const path = join(evtxDir!, file);
      const out = await new Deno.Command("evtxexport", {
        args: ["-f", "xml", path],
        stdout: "piped",
        stderr: "null",
      })
        .output();
      const expected = new Map<number, Record<string, unknown>>();
      for (const xml of new EventXmlSplitter().push(new TextDecoder().decode(out.stdout))) {
        const event = parseXmlElement(xml);
        if (event) {
          const c = comparable(event);
          expected.set(c.id as number, c);
        }
      }
      const source = await openFileByteSource(path);
      try {
        let n = 0;
        for await (const r of readEvtx(source)) {
          if (n++ >= 40) break;
          const mine = r.event()!;
          const system = r.system();
          const want = expected.get(system.eventRecordId!);
          ok(want, `${file}: evtxexport has no record ${system.eventRecordId}`);
          deepStrictEqual(comparable(mine), want, `${file} record ${system.eventRecordId}`);
          // The compiled-plan path gives the same values as the element tree.
          strictEqual(system.timeCreated, want.time);
          if (childElement(mine, "EventData")) {
            deepStrictEqual(
              r.data().filter((f) => f.name !== "Binary").map((
                f,
              ) => [f.name, normalizeValue(f.value)]),
              want.data,
            );
          }
          compared++;
        }
      } finally {
        source.close();
      }
    }
    ok(compared > 200, `compared ${compared} records`);
  },
});

/** Every item the collector produces for one corpus file, with all documents requested. */
async function collectFile(
  file: string,
  options: { since?: Date; until?: Date } = {},
): Promise<{ items: ObservedItem[]; warnings: string[]; records: number; outsideWindow: number }> {
  const collector = createEventLogCollector({ evtx: [join(evtxDir!, file)], ...options });
  const needs = new Map<string, ReadonlySet<string>>(
    collector.documents.map((d) => [d, new Set<string>()]),
  );
  const warnings: string[] = [];
  const items: ObservedItem[] = [];
  const reporter = {
    skipped: (s: { object: string }) => warnings.push(`skipped ${s.object}`),
    warning: (w: { code: string }) => warnings.push(w.code),
    progress: () => {},
  };
  for await (const item of collector.collect({ needs, reporter })) items.push(item);
  return {
    items,
    warnings,
    records: collector.stats.records,
    outsideWindow: collector.stats.outsideWindow,
  };
}

function find(items: ObservedItem[], document: string, key: string): ObservedItem {
  const item = items.find((i) => i.document === document && i.key === key);
  ok(item, `no ${document} ${key}`);
  return item;
}

Deno.test({
  name:
    "regKeyEvent valueType on real Sysmon 13 events: a DWORD is 4, text and Binary Data unknown",
  ignore: evtxDir === undefined,
  fn: async () => {
    const panache = await collectFile(
      "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx",
    );
    const at = (record: number) =>
      find(panache.items, "regKeyEvent", `Microsoft-Windows-Sysmon/Operational#${record}`);
    // services.exe sets AtomicTestService\Start: Details "DWORD (0x00000003)".
    deepStrictEqual([at(3578).fields.valueName, at(3578).fields.valueType, at(3578).unevaluated], [
      "Start",
      "4",
      undefined,
    ]);
    // Its ImagePath (text) and Lsa\Notification Packages (a REG_MULTI_SZ Sysmon writes as
    // "Binary Data") carry no type Sysmon tells.
    for (const record of [3579, 3632]) {
      strictEqual(at(record).fields.valueType, undefined, `#${record}`);
      ok(at(record).unevaluated?.valueType, `#${record}: valueType unevaluated`);
    }
    // A DeleteValue (Sysmon 12) has no type at all.
    ok(at(3598).unevaluated?.valueType);
  },
});

Deno.test({
  name:
    "createEventLogCollector maps Sysmon process, file, registry, image-load and network events",
  ignore: evtxDir === undefined,
  fn: async () => {
    const lolbin = await collectFile(
      "evtx-attack-samples/Execution/exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler.evtx",
    );
    strictEqual(lolbin.records, 11);
    const start = find(lolbin.items, "processEvent", "Microsoft-Windows-Sysmon/Operational#16386");
    deepStrictEqual(start.fields, {
      timestamp: "2019-05-12T13:30:32.916Z",
      process: "python.exe",
      processPath: "C:\\Python27\\python.exe",
      pid: 1332,
      username: "IEWIN7\\IEUser",
      processCmdLine: "python  winpwnage.py -u execute -i 9 -p c:\\Windows\\system32\\cmd.exe",
      parentProcess: "cmd.exe",
      parentProcessPath: "C:\\Windows\\System32\\cmd.exe",
      parentPid: 3976,
      startTime: "2019-05-12T13:30:32.916Z",
      eventType: "start",
      md5: "e11683e4a1e88666dd5e0331f969e0c6",
      sha1: "eca93aaaa5039e12d2f0cc3f0c8f5af8fdb15c71",
      sha256: "b6b4bd10303797c209c4f3c3fcc863a925a77ae2c38090fb8b3ff1bf9c4dde84",
    });
    const item = find(lolbin.items, "EventLogItem", "Microsoft-Windows-Sysmon/Operational#16386");
    strictEqual(item.fields.EID, 1);
    strictEqual(item.fields.source, "Microsoft-Windows-Sysmon");
    strictEqual(item.fields.machine, "IEWIN7");
    strictEqual(item.fields.type, "Information");
    ok(String(item.fields.message).includes("\nImage: C:\\Python27\\python.exe\n"));

    const panache = await collectFile(
      "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx",
    );
    strictEqual(panache.records, 565);
    deepStrictEqual(
      find(panache.items, "regKeyEvent", "Microsoft-Windows-Sysmon/Operational#3579").fields,
      {
        timestamp: "2019-07-19T14:44:08.197Z",
        process: "services.exe",
        processPath: "C:\\Windows\\system32",
        pid: 572,
        path:
          "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\AtomicTestService\\ImagePath",
        hive: "HKEY_LOCAL_MACHINE",
        keyPath: "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\AtomicTestService",
        valueName: "ImagePath",
        text: "C:\\AtomicRedTeam\\atomics\\T1050\\bin\\AtomicService.exe",
        eventType: 3,
      },
    );
    // HKU\SID is written HKEY_USERS\SID; a DeleteValue is eventType 4.
    const run = find(panache.items, "regKeyEvent", "Microsoft-Windows-Sysmon/Operational#3598");
    strictEqual(
      run.fields.keyPath,
      "HKEY_USERS\\S-1-5-21-3461203602-4096304019-2269080069-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    );
    strictEqual(run.fields.valueName, "Atomic Red Team");
    strictEqual(run.fields.eventType, 4);
    const load = find(panache.items, "imageLoadEvent", "Microsoft-Windows-Sysmon/Operational#3646");
    deepStrictEqual(
      [load.fields.fileName, load.fields.filePath, load.fields.fullPath, load.fields.md5],
      [
        "taskschd.dll",
        "Windows\\System32",
        "C:\\Windows\\System32\\taskschd.dll",
        "9a0c13d674ab2d72193653ef38d8fb8e",
      ],
    );
    const net = find(
      panache.items,
      "ipv4NetworkEvent",
      "Microsoft-Windows-Sysmon/Operational#3757",
    );
    deepStrictEqual(
      [net.fields.remoteIP, net.fields.remotePort, net.fields.localIP, net.fields.protocol],
      ["172.217.17.132", 80, "10.0.2.15", "tcp"],
    );
    strictEqual(net.fields.process, "powershell.exe");
    const write = find(
      panache.items,
      "fileWriteEvent",
      "Microsoft-Windows-Sysmon/Operational#3575",
    );
    deepStrictEqual([write.fields.fileName, write.fields.fileExtension, write.fields.filePath], [
      "phvj2yfb.dll",
      "dll",
      "Users\\IEUser\\AppData\\Local\\Temp\\phvj2yfb",
    ]);
    const end = panache.items.find((i) =>
      i.document === "processEvent" && i.fields.eventType === "end"
    );
    ok(end, "Sysmon 5 gives a processEvent with eventType end");

    const psexec = await collectFile(
      "hayabusa-sample-evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/ID11,13,17,18-PSexec as system execution.evtx",
    );
    const dns = find(psexec.items, "dnsLookupEvent", "Microsoft-Windows-Sysmon/Operational#48607");
    deepStrictEqual([dns.fields.hostname, dns.fields.process, dns.fields.pid], [
      "fs03vuln",
      "PsExec64.exe",
      2124,
    ]);
  },
});

Deno.test({
  name: "createEventLogCollector maps Security 4688 to processEvent",
  ignore: evtxDir === undefined,
  fn: async () => {
    const { items } = await collectFile(
      "evtx-attack-samples/Command and Control/DE_RDP_Tunnel_5156.evtx",
    );
    const start = find(items, "processEvent", "Security#227695");
    deepStrictEqual(start.fields, {
      process: "TSTheme.exe",
      processPath: "C:\\Windows\\System32\\TSTheme.exe",
      pid: 508,
      parentPid: 632,
      username: "EXAMPLE\\PC01$",
      startTime: "2019-02-13T18:01:47.5624124Z",
      timestamp: "2019-02-13T18:01:47.5624124Z",
      eventType: "start",
    });
    strictEqual(find(items, "EventLogItem", "Security#227695").fields.type, "Success Audit");
  },
});

Deno.test({
  name: "createEventLogCollector time window keeps exactly the records written inside it",
  ignore: evtxDir === undefined,
  fn: async () => {
    const file = "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx";
    const all = await parseFile(join(evtxDir!, file));
    strictEqual(all.decoded, 565);
    const since = new Date("2019-07-19T14:45:00Z");
    const until = new Date("2019-07-19T14:50:00Z");
    const source = await openFileByteSource(join(evtxDir!, file));
    const inside: number[] = [];
    try {
      for await (const r of readEvtx(source)) {
        const t = r.writtenTimeMs;
        if (t >= since.getTime() && t <= until.getTime()) inside.push(r.recordId);
      }
    } finally {
      source.close();
    }
    ok(inside.length > 0 && inside.length < 565, `${inside.length} records inside`);
    const windowed = await parseFile(join(evtxDir!, file), { since, until });
    deepStrictEqual(windowed.ids, inside);
    strictEqual(windowed.stats.outsideWindow, 565 - inside.length);
    const collected = await collectFile(file, { since, until });
    strictEqual(collected.records, inside.length);
    strictEqual(collected.outsideWindow, 565 - inside.length);
  },
});

Deno.test({
  name: "iocscan collect eventlog --json ends damaged files with warnings and a summary",
  ignore: evtxDir === undefined,
  fn: async () => {
    const file = join(evtxDir!, "omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx");
    const out = await runCli(["collect", "eventlog", "--evtx", file, "--json", "--events"], {
      cwd: repositoryRoot,
    });
    strictEqual(out.code, 0, out.stderr);
    const events = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const summary = events.at(-1);
    strictEqual(summary.type, "summary");
    strictEqual(summary.records, 270);
    strictEqual(summary.files, 1);
    ok(summary.warnings > 0);
    strictEqual(
      events.filter((e) => e.type === "item" && e.document === "EventLogItem").length,
      270,
    );
    ok(
      events.some((e) =>
        e.type === "warning" && e.code === "evtx-chunk-signature" && e.file === file
      ),
    );
    ok(events.every((e) => e.type !== "item" || e.key !== undefined));
    const missing = await runCli(["collect", "eventlog", "--evtx", "/nonexistent.evtx", "--json"], {
      cwd: repositoryRoot,
    });
    strictEqual(missing.code, 2);
  },
});
