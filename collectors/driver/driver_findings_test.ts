import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { CollectorFinding } from "../collector.ts";
import { createDriverCollector, unknownOriginDriver } from "./driver_collector.ts";
import { linuxDriverSource } from "./linux_source.ts";
import { parseProcModules } from "./kernel_modules.ts";

const recorded = [
  "nf_tables 372736 0 - Live 0xffffffffc0a00000",
  "vboxdrv 696320 2 vboxnetadp,vboxnetflt, Live 0x0000000000000000 (OE)",
  "lost_one 4096 0 - Live 0x0000000000000000",
].join("\n");

Deno.test("parseProcModules: the taint flags in parentheses", () => {
  deepStrictEqual(parseProcModules(recorded).map((module) => module.taint), [
    undefined,
    "OE",
    undefined,
  ]);
});

Deno.test("driver collector: a module without a file or unsigned (taint E, /proc/modules or /sys/module/<m>/taint) is an unknown-origin-driver finding, even with no IOC", async () => {
  const temp = await Deno.makeTempDir({ prefix: "iocscan-modules-" });
  try {
    await Deno.writeTextFile(join(temp, "modules"), recorded);
    const tree = join(temp, "lib/modules/6.1.0");
    await Deno.mkdir(join(tree, "kernel/net"), { recursive: true });
    await Deno.mkdir(join(tree, "misc"), { recursive: true });
    await Deno.writeFile(join(tree, "kernel/net/nf_tables.ko"), new Uint8Array([1]));
    await Deno.writeFile(join(tree, "misc/vboxdrv.ko"), new Uint8Array([2]));
    // The kernel's other place for the same flags: /sys/module/<m>/taint.
    const sys = join(temp, "sys/module");
    await Deno.mkdir(join(sys, "nf_tables"), { recursive: true });
    await Deno.writeTextFile(join(sys, "nf_tables/taint"), "\n");
    const findings: CollectorFinding[] = [];
    const collector = createDriverCollector({
      source: linuxDriverSource({
        procModules: join(temp, "modules"),
        moduleTree: tree,
        sysModule: sys,
      }),
      hashWorkers: 0,
      hostname: "host",
      findings: true,
      now: () => new Date("2026-12-07T00:00:00.000Z"),
    });
    const reporter = {
      skipped() {},
      warning() {},
      progress() {},
      finding: (entry: CollectorFinding) => findings.push(entry),
    };
    let objects = 0;
    for await (const _ of collector.collect({ needs: new Map(), reporter })) objects++;
    strictEqual(objects, 0);
    deepStrictEqual(findings.map((finding) => [finding.kind, finding.object, finding.severity]), [
      [unknownOriginDriver, "vboxdrv", "notice"],
      [unknownOriginDriver, "lost_one", "notice"],
    ]);
    strictEqual(findings[0]!.data?.["taint"], "OE");
    strictEqual(findings[0]!.data?.["file"], join(tree, "misc/vboxdrv.ko"));
    strictEqual(findings[1]!.detail.includes("no file for this module"), true, findings[1]!.detail);
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});
