/**
 * The engine's narrow permission set (deno.json `engine-offline`: read, env,
 * sys, ffi, net, run of icacls; write only where the launcher grants it) is
 * enough for every command that does not collect live: indicators, match,
 * results, collect of offline evidence, and scan of offline evidence with
 * write access to its store files only. A live scan of /proc, which Deno
 * refuses to anything less than all permissions, is not read under it.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";
import { buildHive, utf16z } from "../formats/regf/mod.ts";
import { buildEvtx, element, utf16 } from "../formats/evtx/_fixtures.ts";

const OFFLINE_SET = "engine-offline";

async function narrow(
  args: string[],
  extraPermissions: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string; events: Record<string, unknown>[] }> {
  const output = await runCli(args, {
    cwd: repositoryRoot,
    denoFlags: ["--no-prompt", `-P=${OFFLINE_SET}`, ...extraPermissions],
  });
  const events = args.includes("--json") ? output.events : [];
  return { code: output.code, stdout: output.stdout, stderr: output.stderr, events };
}

/** Write access to a SQLite store's files and nothing else. */
function storeWrite(db: string): string {
  return `--allow-write=${[db, `${db}-wal`, `${db}-shm`, `${db}-journal`].join(",")}`;
}

const hiveIoc = `<?xml version="1.0"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="run-key">
  <short_description>Run key</short_description>
  <definition><Indicator operator="OR" id="i-1">
    <IndicatorItem id="ii-1" condition="contains"><Context document="RegistryItem" search="RegistryItem/Text" type="mir"/><Content type="string">evil.exe</Content></IndicatorItem>
  </Indicator></definition>
</ioc>`;

const fileIoc = `<?xml version="1.0"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="any-file">
  <short_description>Any file</short_description>
  <definition><Indicator operator="OR" id="i-1">
    <IndicatorItem id="ii-1" condition="contains"><Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">never-there</Content></IndicatorItem>
  </Indicator></definition>
</ioc>`;

function evtx(): Uint8Array {
  const template = element("Event", [], [
    ...element("System", [], [
      ...element("EventID", [], [{ text: "4624" }]),
      ...element("Channel", [], [{ text: "Security" }]),
      ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
    ]),
    ...element("EventData", [], [
      ...element("Data", [["Name", [{ text: "User" }]]], [{ sub: 1, type: 1 }]),
    ]),
  ]);
  return buildEvtx({
    template,
    records: [{
      id: 9,
      writtenMs: Date.UTC(2024, 0, 1),
      values: [
        { type: 0x0a, bytes: new Uint8Array([9, 0, 0, 0, 0, 0, 0, 0]) },
        { type: 1, bytes: utf16("bob") },
      ],
    }],
  });
}

Deno.test({
  name: "engine-offline: indicators, match, collect, offline scan and results all work",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "iocscan-narrow-" });
    try {
      const iocs = join(root, "iocs");
      mkdirSync(iocs);
      writeFileSync(join(iocs, "run.ioc"), hiveIoc);
      writeFileSync(join(iocs, "file.ioc"), fileIoc);
      const hive = join(root, "NTUSER.DAT");
      writeFileSync(
        hive,
        buildHive({
          name: "ROOT",
          subkeys: [{
            name: "Software",
            subkeys: [{
              name: "Microsoft",
              subkeys: [{
                name: "Windows",
                subkeys: [{
                  name: "CurrentVersion",
                  subkeys: [{
                    name: "Run",
                    values: [{ name: "x", type: 1, data: utf16z("c:\\evil.exe") }],
                  }],
                }],
              }],
            }],
          }],
        }).bytes,
      );
      const logs = join(root, "Security.evtx");
      writeFileSync(logs, evtx());

      const indicators = await narrow(["indicators", iocs, "--json"]);
      strictEqual(indicators.code, 0, indicators.stderr);

      const items = join(root, "items.ndjson");
      writeFileSync(items, '{"document":"FileItem","key":"/x","fields":{"FileName":"x"}}\n');
      const matched = await narrow(["match", "--ioc", iocs, "--items", items, "--json"]);
      strictEqual(matched.code, 0, matched.stderr);

      const collected = await narrow(["collect", "registry", "--hive", hive, "--json"]);
      strictEqual(collected.code, 0, collected.stderr);
      const events = await narrow(["collect", "eventlog", "--evtx", logs, "--json"]);
      strictEqual(events.code, 0, events.stderr);

      // A scan of offline evidence, allowed to write its store's files and nothing else.
      const store = join(root, "store");
      mkdirSync(store, { mode: 0o700 });
      const db = join(store, "results.db");
      const scanned = await narrow(
        ["scan", "--ioc", iocs, "--hive", hive, "--evtx", logs, "--db", db, "--json"],
        [storeWrite(db)],
      );
      strictEqual(scanned.code, 1, scanned.stderr);
      const detection = scanned.events.find((event) => event.type === "detection") as
        | { ioc: { id: string } }
        | undefined;
      strictEqual(detection?.ioc.id, "run-key");

      const listed = await narrow(["results", "--db", db, "--json"]);
      strictEqual(listed.code, 0, listed.stderr);
      deepStrictEqual(listed.events.filter((event) => event.type === "run").length, 1);
      const shown = await narrow(["results", "--db", db, "--run", "1", "--json"]);
      strictEqual(shown.code, 0, shown.stderr);

      // Without the write grant, the scan cannot create its store.
      const denied = await narrow(
        ["scan", "--ioc", iocs, "--hive", hive, "--db", join(root, "elsewhere.db")],
      );
      strictEqual(denied.code, 2);
      match(denied.stderr, /write access|NotCapable|permission/i);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "engine-offline: a live scan of /proc is not read (it needs the engine set)",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "iocscan-narrow-" });
    try {
      const iocs = join(root, "iocs");
      mkdirSync(iocs);
      writeFileSync(join(iocs, "file.ioc"), fileIoc);
      const db = join(root, "results.db");
      const scanned = await narrow(
        ["scan", "--ioc", iocs, "--scope", "/proc/self/fd", "--db", db, "--json"],
        [storeWrite(db)],
      );
      const summary = scanned.events.find((event) => event.type === "summary") as {
        objects: number;
        skippedByReason: Record<string, number>;
      };
      ok(summary !== undefined, scanned.stderr);
      strictEqual(summary.objects, 0);
      ok((summary.skippedByReason.unreadable ?? 0) >= 1, JSON.stringify(summary));
      ok(scanned.code !== 1);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
