import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { createDriverCollector } from "./driver_collector.ts";
import { linuxDriverSource } from "./linux_source.ts";
import { parseProcModules } from "./kernel_modules.ts";

const recordedModules = [
  "nf_tables 372736 0 - Live 0xffffffffc0a00000",
  "evil_rk 16384 1 nf_tables, Live 0xffffffffc0900000",
  "builtin-less 4096 0 - Loading 0x0000000000000000",
  "garbage line",
].join("\n");

async function collectAll(
  collector: ReturnType<typeof createDriverCollector>,
  needs: Map<string, Set<string>>,
) {
  const items: ObservedItem[] = [];
  const skipped: SkippedObject[] = [];
  const reporter = {
    skipped: (entry: SkippedObject) => skipped.push(entry),
    warning() {},
    progress() {},
  };
  for await (const item of collector.collect({ needs, reporter })) {
    if (item.lazy) {
      Object.assign(item.fields, await item.lazy.load([...needs.get(item.document) ?? []]));
    }
    items.push(item);
  }
  return { items, skipped };
}

Deno.test("parseProcModules: fields of /proc/modules, odd lines left out", () => {
  const modules = parseProcModules(recordedModules);
  strictEqual(modules.length, 3);
  deepStrictEqual(modules[1], {
    name: "evil_rk",
    size: 16384,
    usedBy: ["nf_tables"],
    state: "Live",
    address: 0xffffffffc0900000n,
  });
});

Deno.test("linuxDriverSource: modules as DriverItem and ModuleItem, .ko files found by name and hashed", async () => {
  const temp = await Deno.makeTempDir({ prefix: "iocscan-modules-" });
  try {
    await Deno.writeTextFile(join(temp, "modules"), recordedModules);
    const tree = join(temp, "lib/modules/6.1.0");
    await Deno.mkdir(join(tree, "kernel/net"), { recursive: true });
    await Deno.mkdir(join(tree, "extra"), { recursive: true });
    await Deno.writeFile(join(tree, "kernel/net/nf_tables.ko.xz"), new Uint8Array([1, 2, 3]));
    const rootkit = new TextEncoder().encode("not really a module");
    await Deno.writeFile(join(tree, "extra/evil-rk.ko"), rootkit);
    const collector = createDriverCollector({
      source: linuxDriverSource({ procModules: join(temp, "modules"), moduleTree: tree }),
      hashWorkers: 0,
      hostname: "host",
    });
    const { items, skipped } = await collectAll(
      collector,
      new Map([["DriverItem", new Set(["DriverName", "Md5sum"])], [
        "ModuleItem",
        new Set(["ModuleName"]),
      ]]),
    );
    deepStrictEqual(skipped, []);
    const drivers = items.filter((item) => item.document === "DriverItem");
    const modules = items.filter((item) => item.document === "ModuleItem");
    strictEqual(drivers.length, 3);
    strictEqual(modules.length, 3);
    const evil = drivers.find((item) => item.fields["DriverName"] === "evil_rk")!;
    strictEqual(evil.fields["Md5sum"], createHash("md5").update(rootkit).digest("hex"));
    strictEqual(evil.fields["ImageBase"], 0xffffffffc0900000n);
    strictEqual(evil.fields["ImageSize"], 16384);
    const loose = drivers.find((item) => item.fields["DriverName"] === "builtin-less")!;
    ok(loose.lazy?.unevaluated?.()?.["Md5sum"]?.includes("no file for this module"));
    const evilModule = modules.find((item) => item.fields["ModuleName"] === "evil_rk")!;
    strictEqual(evilModule.fields["ModulePath"], join(tree, "extra/evil-rk.ko"));
    strictEqual(collector.stats.drivers, 3);
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("linuxDriverSource: no /proc/modules leaves DriverItem and ModuleItem unread", async () => {
  const collector = createDriverCollector({
    source: linuxDriverSource({ procModules: "/nonexistent/modules", moduleTree: "/nonexistent" }),
  });
  const { items, skipped } = await collectAll(
    collector,
    new Map([["DriverItem", new Set(["DriverName"])]]),
  );
  strictEqual(items.length, 0);
  strictEqual(skipped.length, 1);
  strictEqual(skipped[0]!.reason, "source-unavailable");
  deepStrictEqual(skipped[0]!.unreadDocuments, ["DriverItem", "ModuleItem"]);
});
