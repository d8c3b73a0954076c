/**
 * ProcessItem objects as the process collector builds them, matched by the
 * real CLI (`iocscan match`): the Windows path from recorded API bytes to a
 * detection on a mutant's name (`HandleList/Handle/Name contains "evil_mtx"`,
 * what 58 corpus items test), bound to the same process as its name.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { createProcessCollector } from "../collectors/process/mod.ts";
import { windowsRecords } from "../collectors/process/windows_records.ts";
import { recordedApi } from "../collectors/process/_recorded_windows_api.ts";
import { ioc11, item11 } from "../openioc/_ioc_fixtures.ts";
import { runCli } from "./_cli.ts";

type Json = Record<string, unknown>;

async function windowsItems(): Promise<Json[]> {
  const api = recordedApi();
  const collector = createProcessCollector({
    source: { name: "recorded", processes: (needs) => windowsRecords(api, needs) },
    hostname: "WS01",
  });
  const needs = new Map([["ProcessItem", new Set(["name", "HandleList"])]]);
  const reporter = { skipped() {}, warning() {}, progress() {} };
  const items: Json[] = [];
  for await (const item of collector.collect({ needs, reporter })) {
    items.push({ document: item.document, key: item.key, ...item.fields });
  }
  return items;
}

async function match(ioc: string, items: Json[]) {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-process-match-" });
  try {
    await Deno.writeTextFile(join(folder, "case.ioc"), ioc);
    await Deno.writeTextFile(
      join(folder, "items.ndjson"),
      items.map((item) => JSON.stringify(item)).join("\n") + "\n",
    );
    return await runCli<Json>([
      "match",
      "--ioc",
      join(folder, "case.ioc"),
      "--items",
      join(folder, "items.ndjson"),
      "--json",
    ]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("a mutant's name from the Windows handle table fires HandleList/Handle/Name contains", async () => {
  const items = await windowsItems();
  const output = await match(
    ioc11(
      `<Indicator operator="AND" id="and">${
        item11("n", "is", "ProcessItem/name", "powershell.exe") +
        item11("h", "contains", "ProcessItem/HandleList/Handle/Name", "evil_mtx")
      }</Indicator>`,
    ),
    items,
  );
  const detections = output.events.filter((event) => event.type === "detection");
  strictEqual(detections.length, 1, output.stderr);
  const evidence = detections[0]!.evidence as Json[];
  deepStrictEqual(evidence.map((entry) => entry.object), [
    "pid 4242 powershell.exe -nop -enc SQBFAFgA",
  ]);
  deepStrictEqual(
    (evidence[0]!.items as Json[]).map((entry) => entry.observed),
    ["powershell.exe", "\\Sessions\\1\\BaseNamedObjects\\evil_mtx"],
  );
});

Deno.test("a mutant on another process does not bind to this one's name", async () => {
  const items = await windowsItems();
  const output = await match(
    ioc11(
      `<Indicator operator="AND" id="and">${
        item11("n", "is", "ProcessItem/name", "lsass.exe") +
        item11("h", "contains", "ProcessItem/HandleList/Handle/Name", "evil_mtx")
      }</Indicator>`,
    ),
    items,
  );
  // The binding rule: the mutant is powershell's, not lsass's. (An items file carries no
  // `unevaluated` fields, so lsass's unread handles are not seen here; a scan sees them:
  // tests/process_live_test.ts, as nobody.)
  strictEqual(output.events.filter((event) => event.type === "detection").length, 0);
});
