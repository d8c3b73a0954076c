/**
 * Hostile names through the real CLI's human output: a file name, an IOC
 * file name and IOC name, a registry key and an event field each carrying an
 * escape sequence, a newline that would forge a line, and a right-to-left
 * override. No raw control character may reach stdout or stderr, and the
 * forged line must not appear as a line of its own.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";
import { buildHive, utf16z } from "../formats/regf/mod.ts";
import { buildEvtx, element, utf16 } from "../formats/evtx/_fixtures.ts";

/** An escape sequence, a newline starting a forged line, and U+202E. */
const HOSTILE = "\x1b[31m\nFORGED\u202e";
const RAW_CONTROL =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;

async function iocscan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await runCli(args, {
    cwd: repositoryRoot,
    // Deno's own notices (the config-permissions warning) are coloured unless NO_COLOR.
    env: { NO_COLOR: "1" },
  });
  return { code: output.code, stdout: output.stdout, stderr: output.stderr };
}

function assertNoRawControls(what: string, output: { stdout: string; stderr: string }): void {
  for (const [stream, text] of [["stdout", output.stdout], ["stderr", output.stderr]]) {
    const found = RAW_CONTROL.exec(text!);
    ok(
      found === null,
      `${what}: raw U+${found?.[0].codePointAt(0)?.toString(16)} on ${stream}:\n${text}`,
    );
    ok(!text!.split("\n").some((line) => line.startsWith("FORGED")), `${what}: forged line`);
  }
}

const ioc = (name: string) =>
  `<?xml version="1.0"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="hostile-1">
  <short_description>bad&#10;FORGED&#x202e;&#x9b;31m name</short_description>
  <definition><Indicator operator="OR" id="i-1">
    <IndicatorItem id="ii-1" condition="contains"><Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">${name}</Content></IndicatorItem>
  </Indicator></definition>
</ioc>`;

Deno.test({
  name: "human output of scan, results, indicators and collect escapes control characters",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "iocscan-escape-" });
    try {
      const tree = join(root, "tree");
      const iocs = join(root, "iocs");
      mkdirSync(tree);
      mkdirSync(iocs);
      writeFileSync(join(tree, `evil${HOSTILE}.txt`), "x");
      writeFileSync(join(iocs, `named${HOSTILE}.ioc`), ioc("evil"));
      // An IOC file that is rejected: its error line names it.
      writeFileSync(join(iocs, `broken${HOSTILE}.ioc`), "<ioc");
      const db = join(root, "store", "results.db");

      const scan = await iocscan(["scan", "--ioc", iocs, "--scope", tree, "--db", db]);
      strictEqual(scan.code, 1, scan.stderr);
      ok(scan.stdout.includes("evil\\x1b[31m\\x0aFORGED\\u{202e}.txt"), scan.stdout);
      assertNoRawControls("scan", scan);

      assertNoRawControls("results", await iocscan(["results", "--db", db]));
      const shown = await iocscan(["results", "--db", db, "--run", "1"]);
      strictEqual(shown.code, 0, shown.stderr);
      assertNoRawControls("results --run", shown);
      assertNoRawControls("indicators", await iocscan(["indicators", iocs, "--warnings"]));

      const hive = join(root, "NTUSER.DAT");
      writeFileSync(
        hive,
        buildHive({
          name: "ROOT",
          subkeys: [{
            name: `Run${HOSTILE}`,
            values: [{ name: `v${HOSTILE}`, type: 1, data: utf16z(`c:\\x${HOSTILE}.exe`) }],
          }],
        }).bytes,
      );
      const registry = await iocscan(["collect", "registry", "--hive", hive]);
      strictEqual(registry.code, 0, registry.stderr);
      assertNoRawControls("collect registry", registry);

      const evtx = join(root, "Security.evtx");
      writeFileSync(evtx, hostileEvtx());
      const events = await iocscan(["collect", "eventlog", "--evtx", evtx]);
      strictEqual(events.code, 0, events.stderr);
      ok(events.stdout.includes("\\u{202e}"), events.stdout);
      assertNoRawControls("collect eventlog", events);

      // NDJSON stays exact: the name comes back as it is.
      const json = await iocscan(["collect", "eventlog", "--evtx", evtx, "--json"]);
      const item = json.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line))
        .find((event) => event.type === "item");
      deepStrictEqual(item?.key.startsWith(`Sec${HOSTILE}`), true);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** One Security event whose channel (and so its key) is hostile. */
function hostileEvtx(): Uint8Array {
  const template = element("Event", [], [
    ...element("System", [], [
      ...element("Provider", [["Name", [{ sub: 2, type: 1 }]]], []),
      ...element("EventID", [], [{ text: "4624" }]),
      ...element("Channel", [], [{ sub: 1, type: 1 }]),
      ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
    ]),
  ]);
  return buildEvtx({
    template,
    records: [{
      id: 9,
      writtenMs: Date.UTC(2024, 0, 1),
      values: [
        { type: 0x0a, bytes: new Uint8Array([9, 0, 0, 0, 0, 0, 0, 0]) },
        { type: 1, bytes: utf16(`Sec${HOSTILE}`) },
        { type: 1, bytes: utf16(`Prov${HOSTILE}`) },
      ],
    }],
  });
}
