/**
 * A `--root` that is an empty folder (an image whose mount failed leaves its
 * mount point empty) was not read: a scan of FileItem IOCs over it is
 * incomplete (exit 3), never "No detections." with exit 0. Through the real CLI.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";

const fileIoc = `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="dropper" last-modified="2026-12-07T00:00:00">
  <short_description>dropper</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition><Indicator operator="OR" id="top">
    <IndicatorItem id="path" condition="is">
      <Context document="FileItem" search="FileItem/FullPath" type="mir"/>
      <Content type="string">C:\\Windows\\Temp\\x.exe</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`;

Deno.test("iocscan scan: an empty --root (nothing mounted) is an input not read, exit 3", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-empty-root-" });
  try {
    const ioc = join(dir, "dropper.ioc");
    await Deno.writeTextFile(ioc, fileIoc);
    const mount = join(dir, "mnt");
    await Deno.mkdir(mount);
    const run = async () => {
      const output = await runCli([
        "scan",
        "--ioc",
        ioc,
        "--root",
        mount,
        "--db",
        join(dir, "results.db"),
        "--json",
      ]);
      const summary = output.events.find((event) => event.type === "summary") as unknown as {
        incomplete: { kind: string; what: string }[];
      };
      return { code: output.code, summary };
    };
    const empty = await run();
    deepStrictEqual(empty.code, 3, JSON.stringify(empty.summary));
    ok(
      empty.summary.incomplete.some((entry) => entry.kind === "input" && entry.what === mount),
      JSON.stringify(empty.summary.incomplete),
    );
    // Once something is there, the same scan is complete.
    await Deno.mkdir(join(mount, "Windows", "Temp"), { recursive: true });
    await Deno.writeTextFile(join(mount, "Windows", "Temp", "y.exe"), "MZ");
    const mounted = await run();
    deepStrictEqual(mounted.code, 0, JSON.stringify(mounted.summary));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
