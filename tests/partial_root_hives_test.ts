/**
 * A mounted image or triage folder without the machine hive an IOC's registry
 * key lives in (a triage of user profiles only) was not read for that IOC: a
 * scan of an IOC naming `HKLM\SYSTEM\…` over a `--root` without
 * `Windows/System32/config/SYSTEM` is incomplete (exit 3), never "No
 * detections." with exit 0; with the hive there, the same scan is complete.
 * Through the real CLI.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildHive } from "../formats/regf/mod.ts";
import { runCli } from "./_cli.ts";

const serviceIoc = `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="evil-service" last-modified="2026-12-07T00:00:00">
  <short_description>evil service</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition><Indicator operator="OR" id="top">
    <IndicatorItem id="key" condition="is">
      <Context document="RegistryItem" search="RegistryItem/KeyPath" type="mir"/>
      <Content type="string">HKLM\\SYSTEM\\CurrentControlSet\\Services\\evilsvc</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`;

async function scan(ioc: string, root: string, db: string) {
  const output = await runCli(["scan", "--ioc", ioc, "--root", root, "--db", db, "--json"]);
  const summary = output.events.find((event) => event.type === "summary") as unknown as {
    incomplete: { kind: string; what: string; why: string }[];
  };
  return { code: output.code, summary };
}

Deno.test("iocscan scan: a --root without the machine hive an IOC's key lives in is incomplete (exit 3)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-partial-root-" });
  try {
    const ioc = join(dir, "service.ioc");
    await Deno.writeTextFile(ioc, serviceIoc);
    const root = join(dir, "triage");
    const profile = join(root, "Users", "alice");
    await Deno.mkdir(profile, { recursive: true });
    await Deno.writeFile(
      join(profile, "NTUSER.DAT"),
      buildHive({ name: "ROOT", subkeys: [{ name: "Software" }] }).bytes,
    );
    const partial = await scan(ioc, root, join(dir, "r.db"));
    deepStrictEqual(partial.code, 3, JSON.stringify(partial.summary));
    const entry = partial.summary.incomplete.find((entry) => entry.what === root);
    ok(entry?.why.includes("SYSTEM"), JSON.stringify(partial.summary.incomplete));

    const config = join(root, "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    await Deno.writeFile(
      join(config, "SYSTEM"),
      buildHive({ name: "ROOT", subkeys: [{ name: "Select" }] }).bytes,
    );
    const whole = await scan(ioc, root, join(dir, "r.db"));
    deepStrictEqual(whole.code, 0, JSON.stringify(whole.summary));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
