/**
 * End to end through the real CLI: `regKeyEvent/valueType` on a real Sysmon
 * log read in place (the corpus's PanacheSysmon_vs_AtomicRedTeam01.evtx, where
 * services.exe sets the `Start` DWORD of AtomicTestService and its string
 * `ImagePath`). A hit where Sysmon spells the type, a near miss on the same
 * event, and an undecided scan where Sysmon's Details does not tell the type.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";

const evtxDir = corpusDir("evtx");
const panache = "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx";

/** An OpenIOC 1.1 document: every item below one AND, on regKeyEvent. */
function regKeyIoc(id: string, items: [search: string, condition: string, value: string][]) {
  const body = items.map(([search, condition, value], index) =>
    `<IndicatorItem id="${id}-${index}" condition="${condition}" preserve-case="false" negate="false">` +
    `<Context document="regKeyEvent" search="regKeyEvent/${search}" type="event"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`
  ).join("");
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00Z">
  <metadata><short_description>${id}</short_description><authored_by>test</authored_by>
  <authored_date>2026-12-07T00:00:00Z</authored_date><links/></metadata>
  <criteria><Indicator id="${id}-top" operator="AND">${body}</Indicator></criteria>
  <parameters/>
</OpenIOC>`;
}

async function scan(xml: string): Promise<{ code: number; summary: Record<string, unknown> }> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-valuetype-" });
  try {
    const ioc = join(root, "case.ioc");
    await Deno.writeTextFile(ioc, xml);
    const out = await runCli<Record<string, unknown>>([
      "scan",
      "--ioc",
      ioc,
      "--evtx",
      join(evtxDir!, panache),
      "--db",
      join(root, "results.db"),
      "--json",
    ]);
    const summary = out.events.find((event) => event.type === "summary");
    ok(summary !== undefined, `no summary: ${out.stderr}`);
    return { code: out.code, summary };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const startValue = ["path", "ends-with", "\\Services\\AtomicTestService\\Start"] as [
  string,
  string,
  string,
];

Deno.test({
  name: "iocscan scan --evtx: regKeyEvent/valueType 4 (REG_DWORD) hits Sysmon's DWORD Details",
  ignore: evtxDir === undefined,
  fn: async () => {
    const { code, summary } = await scan(
      regKeyIoc("dword-start", [startValue, ["valueType", "is", "4"]]),
    );
    deepStrictEqual([code, summary.detections, summary.complete], [1, 1, true]);
  },
});

Deno.test({
  name: "iocscan scan --evtx: regKeyEvent/valueType 3 (REG_BINARY) is a near miss on the DWORD",
  ignore: evtxDir === undefined,
  fn: async () => {
    const { code, summary } = await scan(
      regKeyIoc("binary-start", [startValue, ["valueType", "is", "3"]]),
    );
    deepStrictEqual([code, summary.detections, summary.complete], [0, 0, true]);
  },
});

Deno.test({
  name:
    "iocscan scan --evtx: valueType on a string value Sysmon does not type is undecided, not clean",
  ignore: evtxDir === undefined,
  fn: async () => {
    const { code, summary } = await scan(
      regKeyIoc("sz-imagepath", [
        ["path", "ends-with", "\\Services\\AtomicTestService\\ImagePath"],
        ["valueType", "is", "1"],
      ]),
    );
    deepStrictEqual([code, summary.detections, summary.complete], [3, 0, false]);
    const incomplete = summary.incomplete as { kind: string }[];
    ok(incomplete.some((entry) => entry.kind === "ioc"), JSON.stringify(incomplete));
  },
});
