/**
 * A skip that names the documents it leaves unread as a whole
 * (`SkippedObject.unreadDocuments`: a live source that could not be read at
 * all) makes the IOCs that need them undecided, so the scan is incomplete
 * (exit 3), never clean. A toy `prefetch` collector registered through the
 * public API skips its whole source and yields nothing; the same skip without
 * `unreadDocuments` stays an ordinary skip (exit 0), as docs/events.md says.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { enginePermissions, runProgram } from "./_cli.ts";

const modUrl = new URL("../mod.ts", import.meta.url).href;
const config = new URL("../deno.json", import.meta.url).pathname;

const toyProgram = (unread: boolean) => `
import { registerCollector, runCli } from ${JSON.stringify(modUrl)};
registerCollector({
  name: "prefetch",
  documents: ["PrefetchItem"],
  sources: ["live-linux", "live-windows"],
  options: [],
  build: () => Promise.resolve({
    collector: {
      name: "prefetch",
      documents: ["PrefetchItem"],
      async *collect(request) {
        request.reporter.skipped({
          collector: "prefetch",
          object: "services:toy-manager",
          reason: "unreadable",
          detail: "the toy service manager is not running",
          ${unread ? 'unreadDocuments: ["PrefetchItem"],' : ""}
        });
      },
    },
  }),
});
Deno.exit(await runCli(Deno.args));
`;

const ioc = `<?xml version="1.0" encoding="UTF-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="svc-ioc" last-modified="2026-12-07T00:00:00">
  <short_description>a service named evilsvc</short_description>
  <definition><Indicator operator="OR" id="svc-top">
    <IndicatorItem id="svc-item" condition="is">
      <Context document="PrefetchItem" search="PrefetchItem/ApplicationFileName" type="mir" />
      <Content type="string">evilsvc</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>
`;

async function scanWithToy(unread: boolean) {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-unread-" });
  try {
    const program = join(dir, "toy_main.ts");
    await Deno.writeTextFile(program, toyProgram(unread));
    await Deno.writeTextFile(join(dir, "svc.ioc"), ioc);
    const output = await runProgram(Deno.execPath(), [
      "run",
      "-q",
      `--config=${config}`,
      ...enginePermissions,
      program,
      "scan",
      "--ioc",
      join(dir, "svc.ioc"),
      "--db",
      join(dir, "results.db"),
      "--json",
    ]);
    const summary = output.events.find((event) => event.type === "summary") as
      | { complete: boolean; incomplete: { kind: string; what: string; why: string }[] }
      | undefined;
    ok(summary, output.stderr);
    return { code: output.code, summary };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("scan: a skip with unreadDocuments leaves its IOCs undecided, the run incomplete (exit 3)", async () => {
  const { code, summary } = await scanWithToy(true);
  strictEqual(code, 3);
  strictEqual(summary.complete, false);
  const entry = summary.incomplete.find((item) => item.kind === "ioc");
  ok(entry?.what.startsWith("svc-ioc"), JSON.stringify(summary.incomplete));
  ok(entry?.why.includes("documents not read"), entry?.why);
});

Deno.test("scan: the same skip without unreadDocuments is an ordinary skip (exit 0)", async () => {
  const { code, summary } = await scanWithToy(false);
  strictEqual(code, 0);
  strictEqual(summary.complete, true);
});
