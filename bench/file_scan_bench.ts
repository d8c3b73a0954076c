/**
 * File-scan speed: the FileItem collector with the matching engine, against
 * `md5sum`/`sha1sum`/`sha256sum` run over the same files on both cores
 * (`find -print0 | xargs -0 -P2`), warm cache, in the same run.
 *
 * Run: `deno run -P=test bench/file_scan_bench.ts [--runs N] [--only a,b,c,d] [--window N]`
 *
 * `--window` is how many objects the library run observes at once (default 64,
 * as `iocscan scan` does: `concurrency` in scan/run_scan.ts).
 *
 * Cases (data generated once under /tmp/iocscan-bench and reused):
 * - (a) 10,000 small files (~85 MB) with a 100-hash IOC (MD5, SHA-1 and SHA-256
 *   terms, so every file needs all three digests). Target ≤ 0.45 s.
 * - (b) 1 GiB in 257 files with a 100-MD5 IOC. Target ≥ 0.75× the throughput
 *   of `md5sum` on both cores.
 * - (c) the same 1 GiB with MD5+SHA-1+SHA-256 terms. Target ≤ 1.6 s.
 * - (d) one 1 GiB file with MD5+SHA-1+SHA-256 terms (memory stays bounded).
 * Peak RSS ≤ 150 MB in every case.
 *
 * Each case runs `iocscan scan … --json` as a whole process (CLI start-up,
 * IOC loading and the SQLite store included; the warm-up run creates the
 * results database, the timed runs add to it, as scheduled scans do), the same from `deno bundle`
 * output (one file to load, as the shipped engine), and the library alone (collector
 * + engine session in a child process, so that its RSS is its own). Times are
 * medians of N warm runs; user+system CPU is printed too, because the shared
 * 2-core build machine is often loaded by other jobs, which skews wall time.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import process from "node:process";
import { median, ratio, repeatRuns } from "./timing.ts";

const root = "/tmp/iocscan-bench";
const repo = new URL("..", import.meta.url).pathname;
const args = [...Deno.args];

interface Timing {
  wall: number;
  cpu: number;
  rssMb: number;
  stdout: string;
}

if (args[0] === "--child") {
  await libraryChild(args[1]!, args[2]!, Number(args[3] ?? 64));
  Deno.exit(0);
}

const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const windowAt = args.indexOf("--window");
const observeWindow = windowAt >= 0 ? args.splice(windowAt, 2)[1]! : "64";
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? new Set(args.splice(onlyAt, 2)[1]!.split(",")) : undefined;

// ---- data ------------------------------------------------------------------

/** A small deterministic generator, so that reruns rebuild the same data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
  }
  return bytes;
}

const planted = new TextEncoder().encode("iocscan benchmark planted file\n");

async function ensureSet(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, name);
  try {
    await Deno.stat(join(dir, ".complete"));
    return dir;
  } catch {
    // Build it.
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  console.error(`generating ${dir} …`);
  await build(dir);
  await Deno.writeTextFile(join(dir, ".complete"), "");
  return dir;
}

const smallSet = () =>
  ensureSet("small", async (dir) => {
    const random = prng(1);
    const extensions = ["txt", "dll", "exe", "js", "log", "dat", "bin", "cfg", "tmp", "doc"];
    for (let folder = 0; folder < 100; folder++) {
      await Deno.mkdir(join(dir, `d${folder}`));
      for (let file = 0; file < 100; file++) {
        const size = 512 + Math.floor(random() * (16384 - 512));
        const name = `f${file}.${extensions[file % extensions.length]}`;
        const bytes = folder === 42 && file === 42 ? planted : randomBytes(size);
        await Deno.writeFile(join(dir, `d${folder}`, name), bytes);
      }
    }
  });

const bigSet = () =>
  ensureSet("big", async (dir) => {
    for (let file = 0; file < 256; file++) {
      await Deno.writeFile(join(dir, `chunk${file}.bin`), randomBytes(4 << 20));
    }
    await Deno.writeFile(join(dir, "planted.bin"), planted);
  });

const hugeSet = () =>
  ensureSet("huge", async (dir) => {
    const file = await Deno.open(join(dir, "one.bin"), { write: true, create: true });
    for (let index = 0; index < 64; index++) {
      const chunk = randomBytes(16 << 20);
      let written = 0;
      while (written < chunk.length) written += await file.write(chunk.subarray(written));
    }
    file.close();
    await Deno.writeFile(join(dir, "planted.bin"), planted);
  });

/** An OpenIOC 1.0 file with one OR of hash items: decoys plus the planted file's digests. */
async function hashIoc(name: string, algorithms: ("md5" | "sha1" | "sha256")[]): Promise<string> {
  const dir = join(root, `ioc-${name}`);
  await Deno.mkdir(dir, { recursive: true });
  const search = { md5: "Md5sum", sha1: "Sha1sum", sha256: "Sha256sum" };
  const random = prng(7);
  const items: string[] = [];
  for (let index = 0; index < 100; index++) {
    const algorithm = algorithms[index % algorithms.length]!;
    const value = index < algorithms.length
      ? createHash(algorithm).update(planted).digest("hex")
      : createHash(algorithm).update(String(random())).digest("hex");
    items.push(
      `<IndicatorItem id="i${index}" condition="is"><Context document="FileItem" ` +
        `search="FileItem/${
          search[algorithm]
        }" type="mir"/><Content type="${algorithm}">${value}</Content></IndicatorItem>`,
    );
  }
  await Deno.writeTextFile(
    join(dir, `${name}.ioc`),
    `<?xml version="1.0" encoding="us-ascii"?>\n<ioc xmlns="http://schemas.mandiant.com/2010/ioc" ` +
      `id="bench-${name}" last-modified="2026-01-01T00:00:00"><short_description>bench ${name}</short_description>` +
      `<definition><Indicator operator="OR" id="top">${
        items.join("")
      }</Indicator></definition></ioc>\n`,
  );
  return dir;
}

// ---- runners ---------------------------------------------------------------

async function timed(command: string[]): Promise<Timing> {
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %e %U %S %M", ...command],
    stdout: "piped",
    stderr: "piped",
    cwd: repo,
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  const line = stderr.split("\n").reverse().find((text) => text.startsWith("TIME "));
  if (!line) throw new Error(`${command.join(" ")} failed:\n${stderr}`);
  const [wall, user, system, rss] = line.slice(5).split(" ").map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return {
    wall,
    cpu: user + system,
    rssMb: rss / 1024,
    stdout: new TextDecoder().decode(output.stdout),
  };
}

/** The run of median wall time of `runs` runs after a warm-up, with the peak RSS of them all. */
async function medianRun(command: string[], check?: (stdout: string) => void): Promise<Timing> {
  // The warm-up run creates the results database and the timed runs add to it, as scans
  // scheduled on a host do (a run adds a few rows here).
  for (const suffix of ["", "-wal", "-shm"]) {
    await Deno.remove(join(root, `bench.db${suffix}`)).catch(() => {});
  }
  // One warm-up run: page cache, Deno's module cache, the results database.
  const results = await repeatRuns(runs, () => timed(command), 1);
  for (const result of results) check?.(result.stdout);
  const middleWall = median(results.map((result) => result.wall));
  const middle = results.find((result) => result.wall === middleWall)!;
  return { ...middle, rssMb: Math.max(...results.map((result) => result.rssMb)) };
}

const deno = Deno.execPath();

function cliScan(iocDir: string, scope: string): string[] {
  return [
    deno,
    "run",
    "-P=engine",
    // As the iocscan task and the PowerShell module start the engine (deno.json).
    "--v8-flags=--max-semi-space-size=4",
    "cli/main.ts",
    "scan",
    "--ioc",
    iocDir,
    "--scope",
    scope,
    "--db",
    join(root, "bench.db"),
    "--json",
  ];
}

/** The same scan from `deno bundle` output: one file to load, as the shipped engine is. */
function bundledScan(iocDir: string, scope: string): string[] {
  const [command, run, ...rest] = cliScan(iocDir, scope);
  // Outside the checkout, Deno finds the `engine` permission set only through --config.
  return [
    command!,
    run!,
    "--config",
    "deno.json",
    ...rest.map((arg) => arg === "cli/main.ts" ? bundlePath : arg),
  ];
}

const bundlePath = join(root, "iocscan.js");

/** Bundles cli/main.ts for {@linkcode bundledScan}; false (and why) when that fails. */
async function buildBundle(): Promise<boolean> {
  await Deno.mkdir(root, { recursive: true });
  const output = await new Deno.Command(deno, {
    args: ["bundle", "--platform", "deno", "-o", bundlePath, "cli/main.ts"],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    console.log(`  (no bundled run: ${new TextDecoder().decode(output.stderr)})`);
  }
  return output.success;
}

function libraryScan(iocDir: string, scope: string): string[] {
  return [
    deno,
    "run",
    "-P=test",
    "bench/file_scan_bench.ts",
    "--child",
    iocDir,
    scope,
    observeWindow,
  ];
}

/** `tool` over every file on both cores; batches small enough that both cores stay busy. */
function hashTool(tool: string, scope: string, files: number): string[] {
  const perCall = Math.max(1, Math.ceil(files / 64));
  return [
    "sh",
    "-c",
    `find '${scope}' -type f ! -name .complete -print0 | xargs -0 -P2 -n ${perCall} ${tool} > /dev/null`,
  ];
}

/** The library run, in a child process: load, compile, collect, observe a window of them at a time. */
async function libraryChild(iocDir: string, scope: string, window: number): Promise<void> {
  const { parseIoc } = await import("../openioc/mod.ts");
  const { compilePlan } = await import("../engine/mod.ts");
  const { createFileCollector } = await import("../collectors/file/mod.ts");
  const { observeCollected } = await import("../scan/observe_collected.ts");
  const documents = [];
  for await (const entry of Deno.readDir(iocDir)) {
    const file = join(iocDir, entry.name);
    documents.push(parseIoc(await Deno.readFile(file), file).document);
  }
  const plan = compilePlan(documents);
  const session = plan.createSession();
  const collector = createFileCollector({ scopes: [{ path: scope }], exclude: [".complete"] });
  const reporter = { skipped() {}, warning() {}, progress() {} };
  await observeCollected(collector, { needs: plan.needs, reporter }, session, window);
  const stats = collector.stats;
  console.log(JSON.stringify({ detections: session.finish().length, ...stats }));
}

// ---- cases -----------------------------------------------------------------

interface Case {
  id: string;
  title: string;
  scope: () => Promise<string>;
  ioc: () => Promise<string>;
  references: string[];
  /** The verdict on a time or throughput target; none where the case sets only the RSS target. */
  target?: (ours: Timing, references: Map<string, Timing>) => string;
}

const cases: Case[] = [
  {
    id: "a",
    title: "10,000 small files, 100-hash IOC (MD5+SHA-1+SHA-256 terms)",
    scope: smallSet,
    ioc: () => hashIoc("mixed", ["md5", "sha1", "sha256"]),
    references: ["md5sum", "sha256sum"],
    target: (ours) => `target ≤ 0.45 s: ${ours.wall <= 0.45 ? "met" : "NOT met"}`,
  },
  {
    id: "b",
    title: "1 GiB in 257 files, 100-MD5 IOC",
    scope: bigSet,
    ioc: () => hashIoc("md5", ["md5"]),
    references: ["md5sum"],
    target: (ours, references) => {
      const speed = references.get("md5sum")!.wall;
      return `throughput ${ratio(speed, ours.wall)} md5sum -P2 (target ≥ 0.75×: ${
        speed / ours.wall >= 0.75 ? "met" : "NOT met"
      })`;
    },
  },
  {
    id: "c",
    title: "1 GiB in 257 files, MD5+SHA-1+SHA-256 terms",
    scope: bigSet,
    ioc: () => hashIoc("mixed", ["md5", "sha1", "sha256"]),
    references: ["md5sum", "sha1sum", "sha256sum"],
    target: (ours) => `target ≤ 1.6 s: ${ours.wall <= 1.6 ? "met" : "NOT met"}`,
  },
  {
    id: "d",
    title: "one 1 GiB file, MD5+SHA-1+SHA-256 terms",
    scope: hugeSet,
    ioc: () => hashIoc("mixed", ["md5", "sha1", "sha256"]),
    references: ["md5sum"],
  },
];

async function folderFigures(scope: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && entry.name !== ".complete") {
        files++;
        bytes += (await Deno.stat(path)).size;
      }
    }
  };
  await walk(scope);
  return { files, bytes };
}

function row(label: string, timing: Timing, files: number, bytes: number): string {
  return `  ${label.padEnd(26)} wall ${timing.wall.toFixed(2).padStart(6)} s  cpu ${
    timing.cpu.toFixed(2).padStart(5)
  } s  ${Math.round(files / timing.wall).toString().padStart(7)} files/s  ${
    (bytes / 1e6 / timing.wall).toFixed(0).padStart(5)
  } MB/s  peak RSS ${timing.rssMb.toFixed(0).padStart(4)} MB`;
}

console.log(
  `file_scan_bench: ${runs} warm runs each (median), library window ${observeWindow}, ${navigator.hardwareConcurrency} cores, load ${
    Deno.loadavg().map((load) => load.toFixed(2)).join(" ")
  }`,
);
let rssOk = true;
const bundled = await buildBundle();
for (const benchCase of cases) {
  if (only && !only.has(benchCase.id)) continue;
  const scope = await benchCase.scope();
  const iocDir = await benchCase.ioc();
  const { files, bytes } = await folderFigures(scope);
  console.log(
    `(${benchCase.id}) ${benchCase.title}: ${files} files, ${(bytes / 1e6).toFixed(0)} MB`,
  );
  const expectOneDetection = (stdout: string) => {
    const detections = stdout.split("\n").filter((line) => line.includes('"type":"detection"'));
    if (detections.length !== 1) throw new Error(`expected 1 detection, got ${detections.length}`);
  };
  const cli = await medianRun(cliScan(iocDir, scope), expectOneDetection);
  console.log(row("iocscan scan --json", cli, files, bytes));
  const bundle = bundled
    ? await medianRun(bundledScan(iocDir, scope), expectOneDetection)
    : undefined;
  if (bundle) console.log(row("  the same, bundled", bundle, files, bytes));
  const library = await medianRun(libraryScan(iocDir, scope), (stdout) => {
    if (JSON.parse(stdout).detections !== 1) throw new Error(`library run: ${stdout}`);
  });
  console.log(row("collector + engine", library, files, bytes));
  const references = new Map<string, Timing>();
  for (const tool of benchCase.references) {
    const timing = await medianRun(hashTool(tool, scope, files));
    references.set(tool, timing);
    console.log(row(`${tool} (xargs -P2)`, timing, files, bytes));
  }
  if (benchCase.references.length === 3) {
    const sum = [...references.values()].reduce((total, timing) => total + timing.wall, 0);
    console.log(`  md5sum+sha1sum+sha256sum -P2, one after the other: ${sum.toFixed(2)} s`);
  }
  const ratios = [...references].map(([tool, timing]) =>
    `${tool}/iocscan ${ratio(timing.wall, cli.wall)} (library ${ratio(timing.wall, library.wall)})`
  );
  console.log(`  ratios (reference wall / ours; > 1 means faster): ${ratios.join(", ")}`);
  const cpuRatios = [...references].map(([tool, timing]) =>
    `${tool}/iocscan ${ratio(timing.cpu, cli.cpu)} (library ${ratio(timing.cpu, library.cpu)})`
  );
  console.log(`  CPU-time ratios (less sensitive to other load): ${cpuRatios.join(", ")}`);
  const target = benchCase.target;
  if (target) {
    console.log(
      `  iocscan scan: ${target(cli, references)}; ${
        bundle ? `bundled: ${target(bundle, references)}; ` : ""
      }library: ${target(library, references)}`,
    );
  }
  const peak = Math.max(cli.rssMb, library.rssMb, bundle?.rssMb ?? 0);
  if (peak > 150) rssOk = false;
  console.log(
    `  peak RSS ${peak.toFixed(0)} MB (target ≤ 150 MB: ${peak <= 150 ? "met" : "NOT met"})`,
  );
}
console.log(`peak RSS within 150 MB in every case: ${rssOk ? "yes" : "NO"}`);
process.exitCode = 0;
