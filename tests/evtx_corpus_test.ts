/**
 * The EVTX parser and the event-log collector on the shared corpus: record
 * counts against the reference tools, field values against evtxexport, the
 * Sysmon/Security → HX event mapping on real attack samples, the time-window
 * skip, and `iocscan collect eventlog` end to end.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { corpusDir, repositoryRoot, sharedDir } from "./corpus.ts";
import { type EvtxReadStats, type EvtxWarning, readEvtx } from "../formats/evtx/mod.ts";
import {
  createEventLogCollector,
  EventXmlSplitter,
  openFileByteSource,
  parseXmlElement,
} from "../collectors/eventlog/mod.ts";
import type { ObservedItem } from "../engine/observed_item.ts";
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
