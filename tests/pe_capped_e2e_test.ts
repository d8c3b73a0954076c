/**
 * End-to-end: a PE table cut at one of the parser's limits or damaged is
 * unknown on that file, not shorter (docs/file-collector.md, "A table damaged
 * or cut at a limit"). The real CLI scans files built by code whose import
 * list lost a module name over 4,096 bytes and whose version string is over
 * 4,096 characters: a negated item on those lists does not hold, an `is` on the
 * first 4,096 characters of the cut string does not match, nothing is
 * detected and the scan is incomplete (exit 3).
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildPe } from "../formats/pe/_testing/pe_builder.ts";
import { runCli } from "./_cli.ts";

type Json = Record<string, unknown>;
type Entry = { kind: string; what: string; why: string };

/** An OpenIOC 1.1 file whose top OR holds one FileItem item. */
function ioc11(id: string, search: string, value: string, negate: boolean): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-item" condition="is" negate="${negate}" preserve-case="false">
      <Context document="FileItem" search="${search}" type="mir"/>
      <Content type="string">${value}</Content>
    </IndicatorItem>
  </Indicator></criteria>
</OpenIOC>`;
}

const moduleName = "FileItem/PEInfo/ImportedModules/Module/Name";
const copyright = "FileItem/PEInfo/VersionInfoList/VersionInfoItem/LegalCopyright";
const longCopyright = "C".repeat(4097);

/** The IOC cases: id, search, value, negated. */
const cases: readonly [string, string, string, boolean][] = [
  ["no-evil-import", moduleName, "evil.dll", true],
  ["copyright-cut", copyright, longCopyright.slice(0, 4096), false],
  ["no-such-copyright", copyright, "Contoso", true],
];

async function scan(dir: string, scope: string) {
  const output = await runCli<Json>([
    "scan",
    "--ioc",
    join(dir, "iocs"),
    "--scope",
    scope,
    "--db",
    join(dir, `${scope.split("/").pop()}.db`),
    "--json",
  ]);
  const summary = output.events.find((event) => event.type === "summary") as
    | (Json & { complete: boolean; incomplete: Entry[] })
    | undefined;
  ok(summary !== undefined, output.stderr);
  const detected = output.events.filter((event) => event.type === "detection")
    .map((event) => (event.ioc as { id: string }).id).sort();
  const warnings = output.events.filter((event) => event.type === "warning") as Json[];
  return { code: output.code, summary, detected, warnings };
}

Deno.test("iocscan scan: PE lists cut at a limit leave negated and exact items undecided (exit 3)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-pe-capped-" });
  try {
    await Deno.mkdir(join(dir, "iocs"));
    for (const [id, search, value, negate] of cases) {
      await Deno.writeTextFile(join(dir, "iocs", `${id}.ioc`), ioc11(id, search, value, negate));
    }
    const capped = join(dir, "capped");
    await Deno.mkdir(capped);
    await Deno.writeFile(
      join(capped, "cut.exe"),
      buildPe({
        bits: 64,
        imports: [
          { name: `${"e".repeat(5000)}.dll`, functions: ["f"] },
          { name: "KERNEL32.dll", functions: ["CreateFileW"] },
        ],
        version: { "040904B0": { CompanyName: "Other", LegalCopyright: longCopyright } },
      }).bytes,
    );

    const blind = await scan(dir, capped);
    deepStrictEqual(blind.detected, []);
    deepStrictEqual(blind.code, 3);
    deepStrictEqual(blind.summary.complete, false);
    for (const [id, search] of cases) {
      const entry = blind.summary.incomplete.find((candidate) => candidate.what.startsWith(id));
      ok(entry !== undefined, JSON.stringify(blind.summary.incomplete));
      ok(entry.why.includes(`item ${id}-item (${search}) on 1 object(s)`), entry.why);
    }
    const codes = blind.warnings.map((warning) => warning.code);
    ok(codes.includes("pe-capped"), JSON.stringify(blind.warnings));
    ok(codes.includes("pe-corrupt"), JSON.stringify(blind.warnings));

    // The same image within every limit is evaluated: the negated items hold, the run is complete.
    const whole = join(dir, "whole");
    await Deno.mkdir(whole);
    await Deno.writeFile(
      join(whole, "whole.exe"),
      buildPe({
        bits: 64,
        imports: [{ name: "KERNEL32.dll", functions: ["CreateFileW"] }],
        version: { "040904B0": { CompanyName: "Other", LegalCopyright: "Other Ltd" } },
      }).bytes,
    );
    const seen = await scan(dir, whole);
    deepStrictEqual(seen.detected, ["no-evil-import", "no-such-copyright"]);
    deepStrictEqual(seen.code, 1);
    deepStrictEqual(seen.summary.complete, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
