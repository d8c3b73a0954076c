/**
 * The ShimCache of real SYSTEM hives (regipy's SYSTEM: Windows 7 x64, SYSTEM_2:
 * Windows 8.1, SYSTEM_B: Windows 10), read in place: entry counts and paths
 * agree with an independent decoder (tests/_shimcache_reference.py, after
 * Mandiant's ShimCacheParser) fed with the value's bytes by `hivexget`; and
 * `iocscan scan --hive SYSTEM` hits on a cached path and not on a near miss.
 * A damaged cache built with code leaves an IOC on it undecided (exit 3).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { corpusDir, repositoryRoot } from "./corpus.ts";
import { runCli } from "./_cli.ts";
import { createRegistryCollector } from "../collectors/registry/mod.ts";
import { systemHiveWithCache } from "../collectors/registry/_shim_cache_fixtures.ts";
import { buildShimCache } from "../formats/shimcache/_shimcache_builder.ts";
import { ioc10, item10 } from "../openioc/_ioc_fixtures.ts";

type Json = Record<string, unknown>;

const hives: Record<string, { format: string; minimum: number }> = {
  "SYSTEM": { format: "win7", minimum: 300 },
  "SYSTEM_2": { format: "win8", minimum: 100 },
  "SYSTEM_B": { format: "win10", minimum: 400 },
};

function toolsPresent(): boolean {
  try {
    for (const tool of ["hivexget", "xz", "python3"]) {
      new Deno.Command(tool, { args: ["--version"], stdout: "null", stderr: "null" })
        .outputSync();
    }
    return true;
  } catch {
    return false;
  }
}

const registry = corpusDir("registry");
const ready = registry !== undefined && toolsPresent();
if (registry !== undefined && !ready) {
  console.error("\n*** SKIPPING the ShimCache corpus tests: hivexget, xz or python3 missing ***\n");
}

/** Unpacks `regipy/<name>.xz` into `dir`. */
function unpack(name: string, dir: string): string {
  const file = join(dir, name);
  const out = new Deno.Command("xz", {
    args: ["-dc", join(registry!, "regipy", `${name}.xz`)],
    stdout: "piped",
  }).outputSync();
  ok(out.success);
  Deno.writeFileSync(file, out.stdout);
  return file;
}

/** The reference decoder's paths of the current control set's cache. */
async function reference(file: string): Promise<string[]> {
  const current = new TextDecoder().decode(
    (await new Deno.Command("hivexget", { args: [file, "\\Select", "Current"], stdout: "piped" })
      .output()).stdout,
  ).trim();
  const controlSet = `ControlSet${current.padStart(3, "0")}`;
  const value = (await new Deno.Command("hivexget", {
    args: [file, `\\${controlSet}\\Control\\Session Manager\\AppCompatCache`, "AppCompatCache"],
    stdout: "piped",
  }).output()).stdout;
  const child = new Deno.Command("python3", {
    args: [join(repositoryRoot, "tests", "_shimcache_reference.py")],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(value);
  await writer.close();
  const output = await child.output();
  ok(output.success);
  const [count, ...paths] = new TextDecoder().decode(output.stdout).trimEnd().split("\n");
  strictEqual(Number(count), paths.length);
  return paths;
}

for (const [name, expected] of Object.entries(hives)) {
  Deno.test({
    name: `ShimCache of regipy/${name}: every entry, as the reference decoder reads it`,
    ignore: !ready,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "iocscan-shimcache-corpus-" });
      try {
        const file = unpack(name, dir);
        const paths = await reference(file);
        ok(paths.length >= expected.minimum, `${name}: ${paths.length} entries`);
        const collector = createRegistryCollector({ hives: [file], live: false });
        const warnings: { code: string }[] = [];
        const reporter = {
          skipped() {},
          warning: (w: { code: string }) => warnings.push(w),
          progress() {},
        };
        const seen: string[] = [];
        const needs = new Map([["RegistryItem", new Set(["ShimCache"])]]);
        for await (const item of collector.collect({ needs, reporter })) {
          ok(item.unevaluated === undefined, JSON.stringify(item.unevaluated));
          const record = item.fields.ShimCache as Record<string, unknown> | undefined;
          if (record === undefined) continue;
          seen.push(record.ExecutablePath as string);
          strictEqual(record.Position, seen.length);
          ok(record.LastModified === undefined || record.LastModified instanceof Date);
        }
        deepStrictEqual(warnings.filter((w) => w.code.startsWith("shimcache-")), []);
        deepStrictEqual(seen, paths);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

async function scan(
  dir: string,
  hive: string,
  value: string,
): Promise<{ code: number; summary: Json; events: Json[] }> {
  const ioc = join(dir, `case-${value.replace(/\W/g, "_")}.ioc`);
  await Deno.writeTextFile(
    ioc,
    ioc10(
      `<Indicator operator="OR" id="shim-top">${
        item10("shim-1", "contains", "RegistryItem/ShimCache/ExecutablePath", value)
      }</Indicator>`,
    ),
  );
  const output = await runCli<Json>([
    "scan",
    "--hive",
    hive,
    "--ioc",
    ioc,
    "--db",
    join(dir, "results.db"),
    "--json",
  ]);
  const summary = output.events.find((event) => event.type === "summary");
  ok(summary !== undefined, output.stderr);
  return { code: output.code, summary, events: output.events };
}

Deno.test({
  name: "iocscan scan --hive SYSTEM: a ShimCache path hits (exit 1), a near miss is clean (exit 0)",
  ignore: !ready,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-shimcache-scan-" });
    try {
      const hive = unpack("SYSTEM", dir);
      const hit = await scan(dir, hive, "\\system32\\spinlock.exe");
      strictEqual(hit.code, 1, JSON.stringify(hit.summary));
      strictEqual(hit.summary.detections, 1);
      const match = JSON.stringify(hit.events.filter((event) => event.type !== "summary"));
      ok(match.includes("spinlock.exe"), match.slice(0, 2000));
      const miss = await scan(dir, hive, "\\system32\\spinlock2.exe");
      strictEqual(miss.code, 0, JSON.stringify(miss.summary));
      strictEqual(miss.summary.complete, true);
      strictEqual(miss.summary.detections, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("iocscan scan --hive SYSTEM: a damaged ShimCache leaves the IOC undecided (exit 3), never clean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-shimcache-damaged-" });
  try {
    const whole = buildShimCache("win10", [
      { path: "C:\\Windows\\notepad.exe", modified: new Date("2020-01-01T00:00:00Z") },
      { path: "C:\\Temp\\evil.exe", modified: new Date("2020-01-01T00:00:00Z") },
    ]);
    const hive = join(dir, "SYSTEM");
    await Deno.writeFile(hive, systemHiveWithCache(whole.subarray(0, whole.length - 4)));
    const miss = await scan(dir, hive, "evil.exe");
    strictEqual(miss.code, 3, JSON.stringify(miss.summary));
    strictEqual(miss.summary.complete, false);
    const hit = await scan(dir, hive, "notepad.exe");
    strictEqual(hit.code, 1, JSON.stringify(hit.summary));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
