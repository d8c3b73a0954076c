/**
 * EVTX parsing speed: records/s and MB/s on the largest corpus files, for a
 * full parse to JSON and for a narrow time window, against `evtxexport -f xml`
 * (libevtx-utils) on the same files in the same run.
 *
 * Run: `deno run -P=test bench/evtx_bench.ts [--runs N] [FILE…]`
 *
 * Wall-clock times are medians of N runs after a warm-up; CPU times (user +
 * system) are given too because the shared build machine is often loaded,
 * which distorts wall-clock ratios. evtxexport is timed as a whole process
 * (as a user would run it); iocscan in-process, reading each file through the
 * bounded chunk reader.
 */
import process from "node:process";
import { join } from "node:path";
import { corpusDir } from "../tests/corpus.ts";
import { readEvtx, readEvtxChunks } from "../formats/evtx/mod.ts";
import { openFileByteSource } from "../collectors/eventlog/mod.ts";
import { median, ratio, repeatRuns } from "./timing.ts";

const args = [...Deno.args];
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;

async function largestCorpusFiles(count: number): Promise<string[]> {
  const dir = corpusDir("evtx");
  if (dir === undefined) Deno.exit(0);
  const files: [string, number][] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".evtx")) files.push([p, (await Deno.stat(p)).size]);
    }
  };
  await walk(dir);
  // Largest first; files evtxexport cannot render (nested BinXML) would flatter the ratio.
  const skip = /Defender health status/;
  return files.filter(([p]) => !skip.test(p)).sort((a, b) => b[1] - a[1]).slice(0, count).map((
    [p],
  ) => p);
}

interface Measure {
  records: number;
  wallMs: number;
  cpuMs: number;
  jsonBytes: number;
}

/** Parses a whole file (or a window of it) and turns every record into JSON. */
async function parseToJson(path: string, window?: { since: Date; until: Date }): Promise<Measure> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const source = await openFileByteSource(path);
  let records = 0;
  let jsonBytes = 0;
  try {
    for await (const chunk of readEvtxChunks(source, window ?? {})) {
      for (const r of chunk) {
        try {
          const json = JSON.stringify({
            recordId: r.recordId,
            written: r.writtenTime,
            system: r.system(),
            data: r.data(),
          });
          jsonBytes += json.length;
          records++;
        } catch {
          // damaged record: not counted
        }
      }
    }
  } finally {
    source.close();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { records, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, jsonBytes };
}

const timeTool = await new Deno.Command("/usr/bin/time", {
  args: ["-f", "%U", "true"],
  stderr: "null",
})
  .output().then((o) => o.success, () => false);

/** Runs evtxexport -f xml on a file; wall time, CPU time (via /usr/bin/time) and records. */
async function evtxexport(path: string): Promise<Measure | undefined> {
  const command = timeTool ? "/usr/bin/time" : "evtxexport";
  const toolArgs = ["-f", "xml", path];
  const t0 = performance.now();
  let out;
  try {
    out = await new Deno.Command(command, {
      args: timeTool ? ["-f", "CPU %U %S", "evtxexport", ...toolArgs] : toolArgs,
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch {
    return undefined;
  }
  const wallMs = performance.now() - t0;
  const stdout = new TextDecoder().decode(out.stdout);
  const records = stdout.split('<Event xmlns="').length - 1;
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(new TextDecoder().decode(out.stderr));
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN;
  return { records, wallMs, cpuMs, jsonBytes: out.stdout.length };
}

/** The median of `runs` runs after two warm-up runs (JIT tiers, page cache); undefined when one failed. */
async function medianRun(run: () => Promise<Measure | undefined>): Promise<Measure | undefined> {
  const results = await repeatRuns(runs, run, 2);
  const all = results.filter((m): m is Measure => m !== undefined);
  if (all.length < results.length) return undefined;
  return {
    records: all[0]!.records,
    jsonBytes: all[0]!.jsonBytes,
    wallMs: median(all.map((m) => m.wallMs)),
    cpuMs: median(all.map((m) => m.cpuMs)),
  };
}

/** A window around the middle of the file holding about 1% of its records. */
async function narrowWindow(path: string): Promise<{ since: Date; until: Date }> {
  const source = await openFileByteSource(path);
  const times: number[] = [];
  try {
    for await (const r of readEvtx(source)) times.push(r.writtenTimeMs);
  } finally {
    source.close();
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const span = Math.max(1, Math.floor(times.length / 200));
  return { since: new Date(times[mid - span]!), until: new Date(times[mid + span]!) };
}

const files = args.length > 0 ? args : await largestCorpusFiles(5);
const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const total = { records: 0, bytes: 0, full: 0, fullCpu: 0, tool: 0, toolCpu: 0, window: 0 };
console.log(
  `EVTX benchmark: ${files.length} file(s), median of ${runs} runs after two warm-up runs\n`,
);
for (const path of files) {
  const bytes = (await Deno.stat(path)).size;
  const full = (await medianRun(() => parseToJson(path)))!;
  const window = await narrowWindow(path);
  const narrow = (await medianRun(() => parseToJson(path, window)))!;
  const tool = await medianRun(() => evtxexport(path));
  const mb = bytes / 1e6;
  console.log(path.split("/").slice(-2).join("/"));
  console.log(
    `  iocscan full → JSON: ${fmt(full.records)} records, ${fmt(full.wallMs, 1)} ms wall (${
      fmt(full.cpuMs, 1)
    } ms CPU): ${fmt(full.records / full.wallMs * 1000)} records/s, ${
      fmt(mb / full.wallMs * 1000, 1)
    } MB/s`,
  );
  console.log(
    `  iocscan window (${narrow.records} records): ${fmt(narrow.wallMs, 1)} ms wall → ${
      ratio(full.wallMs, narrow.wallMs, 1)
    } faster than the full parse`,
  );
  if (tool) {
    console.log(
      `  evtxexport -f xml: ${fmt(tool.records)} records, ${fmt(tool.wallMs, 1)} ms wall (${
        fmt(tool.cpuMs, 1)
      } ms CPU): ${fmt(tool.records / tool.wallMs * 1000)} records/s`,
    );
    console.log(
      `  ratio iocscan/evtxexport: ${ratio(tool.wallMs, full.wallMs, 1)} wall, ${
        ratio(tool.cpuMs, full.cpuMs, 1)
      } CPU`,
    );
    total.tool += tool.wallMs;
    total.toolCpu += tool.cpuMs;
  } else {
    console.log("  evtxexport: not installed (apt-get install libevtx-utils) — no ratio");
  }
  total.records += full.records;
  total.bytes += bytes;
  total.full += full.wallMs;
  total.fullCpu += full.cpuMs;
  total.window += narrow.wallMs;
  console.log();
}
console.log(
  `TOTAL: ${fmt(total.records)} records, ${fmt(total.bytes / 1e6, 1)} MB; iocscan full ${
    fmt(total.full, 1)
  } ms ` +
    `(${fmt(total.records / total.full * 1000)} records/s, ${
      fmt(total.bytes / 1e3 / total.full, 1)
    } MB/s); ` +
    `narrow windows ${ratio(total.full, total.window, 1)} faster than full`,
);
if (total.tool > 0) {
  console.log(
    `TOTAL ratio iocscan/evtxexport: ${ratio(total.tool, total.full, 1)} wall, ${
      ratio(total.toolCpu, total.fullCpu, 1)
    } CPU (targets: full parse ≥ 10× evtxexport, narrow window ≥ 5× faster than full)`,
  );
}
