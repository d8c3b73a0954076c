/**
 * A `source-unavailable` skip (a live host table that could not be read
 * whole: docs/events.md) leaves its collector's documents unread: a scan
 * whose IOC needs them is incomplete (exit 3), never clean, whatever the
 * host has (no resolver cache here, one there). A plain skip of one object
 * does not: the table's other objects were read. Checked with a toy
 * collector registered through the public API, so it holds on any machine.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { enginePermissions, runProgram } from "./_cli.ts";

const modUrl = new URL("../mod.ts", import.meta.url).href;
const config = new URL("../deno.json", import.meta.url).pathname;

/** A `service` collector that reads nothing and skips with the reason given on its command line. */
const toyProgram = `
import { registerCollector, runCli, scan } from ${JSON.stringify(modUrl)};
const reason = Deno.args[0];
registerCollector({
  name: "service",
  documents: ["ServiceItem"],
  sources: ["live-windows", "live-linux"],
  options: [],
  build: () => Promise.resolve({
    collector: {
      name: "service",
      documents: ["ServiceItem"],
      async *collect({ reporter }) {
        reporter.skipped({ collector: "service", object: "service-table:toy", reason, detail: "toy" });
      },
    },
  }),
});
Deno.exit(await runCli(Deno.args.slice(1)));
`;

const ioc = `<?xml version="1.0" encoding="UTF-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="svc-ioc" last-modified="2026-12-07T00:00:00">
  <short_description>a service named evil</short_description>
  <definition>
    <Indicator operator="OR" id="svc-ind">
      <IndicatorItem id="svc-item" condition="is">
        <Context document="ServiceItem" search="ServiceItem/name" type="mir" />
        <Content type="string">evil</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
`;

Deno.test("scan: a source-unavailable skip leaves its documents unread (exit 3); a plain skip does not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-source-" });
  try {
    const program = join(dir, "toy_main.ts");
    await Deno.writeTextFile(program, toyProgram);
    await Deno.writeTextFile(join(dir, "svc.ioc"), ioc);
    const scan = (reason: string) =>
      runProgram(Deno.execPath(), [
        "run",
        "-q",
        `--config=${config}`,
        ...enginePermissions,
        program,
        reason,
        "scan",
        "--ioc",
        join(dir, "svc.ioc"),
        "--db",
        join(dir, "results.db"),
        "--json",
      ]);
    const unavailable = await scan("source-unavailable");
    strictEqual(unavailable.code, 3, unavailable.stderr);
    const summary = unavailable.events.find((event) => event.type === "summary");
    strictEqual(summary?.complete, false);
    deepStrictEqual(summary?.skippedByReason, { "source-unavailable": 1 });
    const unreadable = await scan("unreadable");
    strictEqual(unreadable.code, 0, unreadable.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
