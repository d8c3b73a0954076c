/**
 * REGF benchmark: the full walk of the largest corpus hives with every value
 * decoded and written as NDJSON RegistryItem events, against hivexml and
 * reglookup on the same files, in the same script.
 *
 * Figures: keys+values per second and MB/s of hive file, best of several runs.
 * "in-process" is the parser + collector + serializer + write to /dev/null,
 * in steady state (after three warm-up runs of the same hive);
 * "parse only" opens (with logs), walks and decodes every value, writing nothing;
 * "CLI" is `iocscan collect registry --hive F --json > /dev/null` end to end,
 * Deno startup included, the way the reference tools are timed.
 *
 *     deno run -P=test bench/regf_bench.ts [--runs N]
 *
 * @module
 */
import { join } from "node:path";
import { corpusDir, repositoryRoot } from "../tests/corpus.ts";
import { createRegistryCollector, openHiveFile } from "../collectors/registry/mod.ts";
import { RegistryNdjsonWriter } from "../cli/output/registry_ndjson.ts";
import { decodeValue, RegistryHive, toHex } from "../formats/regf/mod.ts";
import { bestOfAsync, ratio } from "./timing.ts";

const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 5;
const registry = corpusDir("registry");
if (registry === undefined) Deno.exit(0);

/** The largest hives (unpacked sizes 4.5–12.8 MB); SYSTEM_B comes with its logs. */
const hives = ["SYSTEM_B", "SYSTEM", "SYSTEM_2", "NTUSER_with_winscp.DAT"];

function has(tool: string): boolean {
  try {
    new Deno.Command(tool, { args: ["--help"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

if (!has("xz")) {
  console.error("*** regf_bench: the xz tool is needed to unpack the corpus hives ***");
  Deno.exit(0);
}
const dir = await Deno.makeTempDir({ prefix: "iocscan-regf-bench-" });
for await (const entry of Deno.readDir(join(registry, "regipy"))) {
  if (!entry.name.endsWith(".xz")) continue;
  const out = await new Deno.Command("xz", {
    args: ["-dc", join(registry, "regipy", entry.name)],
    stdout: "piped",
  }).output();
  await Deno.writeFile(join(dir, entry.name.slice(0, -3)), out.stdout);
}

const devNull = Deno.openSync("/dev/null", { write: true });

/** One in-process run: returns [ms, keys + values, JSON bytes]. */
async function inProcess(file: string): Promise<[number, number, number]> {
  const started = performance.now();
  const collector = createRegistryCollector({ hives: [file], registryFull: true, live: false });
  let bytes = 0;
  const writer = new RegistryNdjsonWriter({
    writeSync(chunk) {
      bytes += chunk.length;
      return devNull.writeSync(chunk);
    },
  });
  const reporter = { skipped() {}, warning() {}, progress() {} };
  for await (const key of collector.collectKeys({ needs: new Map(), reporter })) {
    writer.writeKey(key);
  }
  writer.flush();
  return [performance.now() - started, collector.stats.keys + collector.stats.values, bytes];
}

/** Parser only: open (with logs), walk, decode every value (hex for raw data); no output. */
async function parseOnly(file: string): Promise<number> {
  const started = performance.now();
  const hive = await openHiveFile(file);
  if (!(hive instanceof RegistryHive)) throw new Error(hive.detail);
  hive.walk((key) => {
    for (const value of hive.values(key)) {
      const decoded = decodeValue(value.type, hive.valueData(value));
      if (decoded instanceof Uint8Array) toHex(decoded);
    }
  });
  return performance.now() - started;
}

/** Wall time of a command with stdout to /dev/null, in ms. */
async function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output();
  return performance.now() - started;
}

/** keys + values a reference tool prints. */
async function referenceCount(tool: "hivexml" | "reglookup", file: string): Promise<number> {
  const args = tool === "hivexml" ? [file] : ["-H", file];
  const out = new TextDecoder().decode(
    (await new Deno.Command(tool, { args, stdout: "piped", stderr: "null" }).output()).stdout,
  );
  if (tool === "hivexml") return (out.match(/<node |<value /g) ?? []).length;
  return out.split("\n").filter((line) => line !== "").length;
}

const best = (measure: () => Promise<number>) => bestOfAsync(runs, measure);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const rows: string[][] = [["hive", "MB", "tool", "k+v", "ms", "k+v/s", "MB/s", "vs hivexml"]];
const tools = ["hivexml", "reglookup"].filter(has) as ("hivexml" | "reglookup")[];
if (!tools.includes("hivexml")) {
  console.error("*** hivexml not installed: apt-get install libhivex-bin ***");
}
if (!tools.includes("reglookup")) {
  console.error("*** reglookup not installed: apt-get install reglookup ***");
}

let totalOurs = 0;
let totalCli = 0;
let totalHivex = 0;
for (const name of hives) {
  const file = join(dir, name);
  const mb = (await Deno.stat(file)).size / 1e6;
  // Warm-up: the JIT needs a few full runs to settle (the CLI row is the cold figure).
  for (let i = 0; i < 3; i++) await inProcess(file);
  let count = 0;
  const ours = await best(async () => {
    const [ms, n] = await inProcess(file);
    count = n;
    return ms;
  });
  const cli = await best(() =>
    timed(Deno.execPath(), [
      "run",
      "-P=engine",
      join(repositoryRoot, "cli/main.ts"),
      "collect",
      "registry",
      "--hive",
      file,
      "--json",
    ])
  );
  const reference: Record<string, [number, number]> = {};
  for (const tool of tools) {
    const n = await referenceCount(tool, file);
    const ms = await best(() => timed(tool, tool === "hivexml" ? [file] : ["-H", file]));
    reference[tool] = [ms, n];
  }
  const hivexMs = reference.hivexml?.[0];
  const vsHivex = (ms: number) => hivexMs ? ratio(hivexMs, ms) : "-";
  const row = (tool: string, n: number, ms: number) =>
    rows.push([
      name,
      mb.toFixed(2),
      tool,
      fmt(n),
      ms.toFixed(0),
      fmt(n / (ms / 1000)),
      (mb / (ms / 1000)).toFixed(1),
      vsHivex(ms),
    ]);
  row("iocscan in-process", count, ours);
  row("iocscan parse only", count, await best(() => parseOnly(file)));
  row("iocscan CLI", count, cli);
  for (const tool of tools) row(tool, reference[tool]![1], reference[tool]![0]);
  totalOurs += ours;
  totalCli += cli;
  if (hivexMs) totalHivex += hivexMs;
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) {
  console.log(
    r.map((cell, c) => c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)).join("  "),
  );
}
if (totalHivex > 0) {
  console.log(
    `\nin-process full walk + JSON vs hivexml (sum over hives): ${
      ratio(totalHivex, totalOurs)
    } hivexml's speed` +
      " (>1 is faster; SYSTEM_B: iocscan also applies its transaction logs, hivexml does not)",
  );
  console.log(
    `CLI end to end (Deno start-up included) vs hivexml (sum over hives): ${
      ratio(totalHivex, totalCli)
    } hivexml's speed`,
  );
}
console.log(
  `load average: ${
    Deno.loadavg().map((n) => n.toFixed(2)).join(" ")
  } (2 cores; figures are noisy above ~1)`,
);
devNull.close();
await Deno.remove(dir, { recursive: true });
