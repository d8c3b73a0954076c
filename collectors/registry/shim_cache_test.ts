import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { createRegistryCollector } from "./collector.ts";
import { RegQueryMount } from "./reg_query.ts";
import { systemHiveWithCache } from "./_shim_cache_fixtures.ts";
import { buildShimCache } from "../../formats/shimcache/_shimcache_builder.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { CollectorWarning, SkippedObject } from "../collector.ts";

const entries = [
  { path: "C:\\Temp\\evil.exe", modified: new Date("2021-02-03T04:05:06Z"), flags: 2 },
  { path: "C:\\Windows\\notepad.exe", modified: new Date("2020-01-01T00:00:00Z"), flags: 0 },
];
const shimNeeds = new Map([["RegistryItem", new Set(["ShimCache"])]]);

async function collect(
  hive: Uint8Array,
  needs: ReadonlyMap<string, ReadonlySet<string>> = shimNeeds,
): Promise<{ items: ObservedItem[]; warnings: CollectorWarning[]; skipped: SkippedObject[] }> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-shimcache-" });
  try {
    const file = join(dir, "SYSTEM");
    await Deno.writeFile(file, hive);
    const warnings: CollectorWarning[] = [];
    const skipped: SkippedObject[] = [];
    const collector = createRegistryCollector({ hives: [file], live: false });
    const reporter = {
      skipped: (s: SkippedObject) => skipped.push(s),
      warning: (w: CollectorWarning) => warnings.push(w),
      progress() {},
    };
    const items: ObservedItem[] = [];
    for await (const item of collector.collect({ needs, reporter })) items.push(item);
    return { items, warnings, skipped };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const withShimCache = (items: ObservedItem[]) => items.filter((i) => i.fields.ShimCache);

Deno.test("shimCacheItems: one RegistryItem per entry of the current control set's cache", async () => {
  const hive = systemHiveWithCache(buildShimCache("win7-x64", entries), { current: 2 });
  const { items, warnings } = await collect(hive);
  deepStrictEqual(warnings, []);
  const shims = withShimCache(items);
  strictEqual(shims.length, 2);
  const first = shims[0]!;
  strictEqual(first.document, "RegistryItem");
  strictEqual(first.fields.Hive, "HKEY_LOCAL_MACHINE");
  strictEqual(
    first.fields.KeyPath,
    "SYSTEM\\ControlSet002\\Control\\Session Manager\\AppCompatCache",
  );
  strictEqual(first.fields.ValueName, "AppCompatCache");
  strictEqual(first.fields.Type, "REG_BINARY");
  deepStrictEqual(first.fields.ShimCache, {
    ExecutablePath: "C:\\Temp\\evil.exe",
    Position: 1,
    LastModified: new Date("2021-02-03T04:05:06Z"),
    Executed: true,
  });
  strictEqual((shims[1]!.fields.ShimCache as Record<string, unknown>).Executed, false);
  ok(first.provenance?.source?.endsWith("SYSTEM"));
  strictEqual(first.key, `${first.fields.Path}[1]`);
});

Deno.test("shimCacheItems: XP's AppCompatibility key is read too", async () => {
  const hive = systemHiveWithCache(buildShimCache("xp", entries), { xpKey: true });
  const shims = withShimCache((await collect(hive)).items);
  strictEqual(shims.length, 2);
  strictEqual(
    shims[0]!.fields.KeyPath,
    "SYSTEM\\ControlSet001\\Control\\Session Manager\\AppCompatibility",
  );
});

Deno.test("shimCacheItems: nothing is parsed when no IOC needs the ShimCache", async () => {
  const hive = systemHiveWithCache(buildShimCache("win10", entries));
  const { items } = await collect(hive, new Map([["RegistryItem", new Set(["Path"])]]));
  strictEqual(withShimCache(items).length, 0);
  ok(items.every((item) => item.unevaluated === undefined));
});

Deno.test("shimCacheItems: a damaged cache keeps its entries, warns, and leaves ShimCache unevaluated", async () => {
  const whole = buildShimCache("win10", entries);
  const hive = systemHiveWithCache(whole.subarray(0, whole.length - 5));
  const { items, warnings } = await collect(hive);
  strictEqual(withShimCache(items).length, 1);
  strictEqual(warnings.length, 1);
  strictEqual(warnings[0]!.code, "shimcache-truncated");
  ok(warnings[0]!.file?.endsWith("SYSTEM"));
  ok(warnings[0]!.place?.startsWith("offset "));
  const unread = items.filter((item) => item.unevaluated?.ShimCache !== undefined);
  strictEqual(unread.length, 1);
  match(unread[0]!.unevaluated!.ShimCache!, /read only in part \(1 entries\)/);
});

Deno.test("shimCacheItems: an unknown layout or a missing value leaves ShimCache unevaluated", async () => {
  for (const cache of [new Uint8Array(16).fill(7), undefined]) {
    const { items, warnings } = await collect(systemHiveWithCache(cache));
    strictEqual(withShimCache(items).length, 0);
    ok(warnings.length === 1, JSON.stringify(warnings));
    ok(items.some((item) => item.unevaluated?.ShimCache !== undefined));
  }
  // Select names a control set that is not there.
  const { items } = await collect(
    systemHiveWithCache(buildShimCache("win10", entries), { current: 3, controlSet: 1 }),
  );
  ok(items.some((item) => item.unevaluated?.ShimCache !== undefined));
});

Deno.test("shimCacheItems: without a SYSTEM hive the ShimCache is not found, and unknown (never a miss)", async () => {
  const collector = createRegistryCollector({ hives: [], live: false, mounts: [] });
  const skipped: SkippedObject[] = [];
  const reporter = { skipped: (s: SkippedObject) => skipped.push(s), warning() {}, progress() {} };
  const items: ObservedItem[] = [];
  for await (const item of collector.collect({ needs: shimNeeds, reporter })) items.push(item);
  strictEqual(skipped[0]?.reason, "not-found");
  deepStrictEqual(items.map((item) => [item.key, item.unevaluated]), [[
    "ShimCache (AppCompatCache)",
    { ShimCache: "no SYSTEM hive was read, where the ShimCache lives" },
  ]]);
});

Deno.test("shimCacheItems: the live registry's cache through reg query (recorded output)", async () => {
  const hex = Array.from(buildShimCache("win10", entries), (b) => b.toString(16).padStart(2, "0"))
    .join("").toUpperCase();
  const key = "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\AppCompatCache";
  const outputs: Record<string, string> = {
    "query HKEY_LOCAL_MACHINE\\SYSTEM\\Select /v Current /reg:64":
      "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\Select\r\n    Current    REG_DWORD    0x1\r\n\r\n",
    [`query ${key} /v AppCompatCache /reg:64`]:
      `\r\n${key}\r\n    AppCompatCache    REG_BINARY    ${hex}\r\n\r\n`,
    [`query ${key} /reg:64`]:
      `\r\n${key}\r\n    AppCompatCache    REG_BINARY    ${hex}\r\n    CacheMainSdb    REG_BINARY    00\r\n\r\n`,
  };
  const run = (args: string[]) => outputs[args.join(" ")];
  const mount = new RegQueryMount("HKEY_LOCAL_MACHINE", "SYSTEM", "SYSTEM", 64, run);
  const collector = createRegistryCollector({ live: false, mounts: [mount], defaultKeySet: false });
  const warnings: CollectorWarning[] = [];
  const reporter = {
    skipped() {},
    warning: (w: CollectorWarning) => warnings.push(w),
    progress() {},
  };
  const items: ObservedItem[] = [];
  for await (const item of collector.collect({ needs: shimNeeds, reporter })) items.push(item);
  deepStrictEqual(warnings, []);
  const shims = withShimCache(items);
  deepStrictEqual(
    shims.map((item) => (item.fields.ShimCache as Record<string, unknown>).ExecutablePath),
    entries.map((entry) => entry.path),
  );
  strictEqual(shims[0]!.fields.NumValues, 2);
  strictEqual(shims[0]!.provenance, undefined);
});
