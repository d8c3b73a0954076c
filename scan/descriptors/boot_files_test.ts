import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createFileCollector } from "../../collectors/file/mod.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { criticalAreaCollectors } from "../critical_areas.ts";
import { bootFilesCollector, noEspCollector } from "../../collectors/boot_files/mod.ts";
import type { CollectorFinding } from "../../collectors/collector.ts";
import { bootFilesDescriptor } from "./boot_files.ts";

Deno.test("bootFilesCollector: the file collector over the ESP's boot folder, as a FileItem view named boot-files, hashed on demand", async () => {
  const esp = await Deno.makeTempDir({ prefix: "iocscan-esp-view-" });
  try {
    await Deno.mkdir(join(esp, "BOOT"));
    const loader = "MZ not really a boot loader";
    await Deno.writeTextFile(join(esp, "BOOT", "BOOTX64.EFI"), loader);
    const collector = bootFilesCollector(
      createFileCollector({ scopes: [{ path: esp }], presets: [], hashWorkers: 0 }),
    );
    strictEqual(collector.name, "boot-files");
    deepStrictEqual(collector.documents, []);
    deepStrictEqual(collector.viewDocuments, ["FileItem"]);
    const items: ObservedItem[] = [];
    const needs = new Map([["FileItem", new Set(["FullPath", "Md5sum"])]]);
    const reporter = { skipped() {}, warning() {}, progress() {} };
    for await (const item of collector.collect({ needs, reporter })) items.push(item);
    strictEqual(items.length, 1);
    strictEqual(items[0]?.fields.FullPath, join(esp, "BOOT", "BOOTX64.EFI"));
    const loaded = await items[0]?.lazy?.load(["Md5sum"]);
    strictEqual(loaded?.Md5sum, createHash("md5").update(loader).digest("hex"));
  } finally {
    await Deno.remove(esp, { recursive: true });
  }
});

Deno.test("boot-files is a critical area, after the boot records; it says why it has nothing to read offline or off Linux", async () => {
  deepStrictEqual(criticalAreaCollectors.slice(-2), ["disk", "boot-files"]);
  const evidence = { evtx: [], hives: [], roots: [], offline: false, documents: [] };
  const windows = await bootFilesDescriptor.build(
    { version: 1, iocPaths: [] },
    evidence,
    "windows",
  );
  strictEqual("noSource" in windows && /not located on windows/.test(windows.noSource), true);
  const offline = await bootFilesDescriptor.build(
    { version: 1, iocPaths: [] },
    { ...evidence, offline: true },
    "linux",
  );
  strictEqual("noSource" in offline, true);
});

Deno.test("noEspCollector: no ESP to read is an area-not-read notice, never silence", async () => {
  const findings: CollectorFinding[] = [];
  const reporter = {
    skipped() {},
    warning() {},
    progress() {},
    finding: (entry: CollectorFinding) => findings.push(entry),
  };
  const items = await Array.fromAsync(
    noEspCollector("none mounted", () => new Date(0)).collect({ needs: new Map(), reporter }),
  );
  deepStrictEqual(items, []);
  deepStrictEqual(findings, [{
    source: "boot-files",
    kind: "area-not-read",
    object: "EFI system partition",
    severity: "notice",
    detail: "the EFI system partition's boot files were not read: none mounted",
    time: "1970-01-01T00:00:00.000Z",
  }]);
});
