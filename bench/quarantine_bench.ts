/**
 * Quarantine throughput: 1 GiB in 100 files quarantined into a store (each file read once,
 * hashed MD5+SHA-1+SHA-256, sealed AES-256-GCM in 1 MiB chunks, synced, renamed, decrypted and
 * hashed again to verify, its record written durably, the original deleted and checked gone),
 * against `cp` + `sha256sum` + `rm` of the same files in the same script (no sync, no
 * verification: the floor of "copy it somewhere and delete it"), and against the same with each
 * copy synced to disk (`sync FILE`, as the quarantine syncs its copy) before the delete: without
 * it, the reference's copies are still in the page cache when its clock stops, and the ratio
 * compares a durable copy with one that is not.
 *
 * Run: `deno run -P=test bench/quarantine_bench.ts [--runs N] [--mib M]` (as root or any user;
 * the data lives under /tmp/iocscan-bench-quarantine: M MiB of sources (1024 by default) in 100
 * files, copied afresh before each run since a quarantine deletes them, and up to twice that
 * while a run is measured).
 *
 * Prints the median wall time of N runs of each, MB/s, and the ratios reference / iocscan (above
 * 1: iocscan is faster). The library runs in this process, the store opened once per run.
 */
import { join } from "node:path";
import { defaultQuarantinePolicy, openQuarantineStore } from "../actions/quarantine/mod.ts";
import { elapsedMsAsync, median, ratio } from "./timing.ts";

const root = "/tmp/iocscan-bench-quarantine";
const sources = join(root, "sources");
const FILES = 100;
const args = [...Deno.args];
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const mibAt = args.indexOf("--mib");
const TOTAL = (mibAt >= 0 ? Number(args[mibAt + 1]) : 1024) * 1024 * 1024;

/** Builds the 100 source files once (seeded: reruns rebuild the same bytes). */
async function ensureSources(): Promise<string[]> {
  await Deno.mkdir(sources, { recursive: true });
  const size = TOTAL / FILES;
  const names: string[] = [];
  const block = new Uint8Array(1024 * 1024);
  let state = 0x9e3779b9;
  for (let index = 0; index < FILES; index++) {
    const path = join(sources, `sample-${String(index).padStart(3, "0")}.bin`);
    names.push(path);
    if ((await Deno.stat(path).catch(() => undefined))?.size === size) continue;
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    for (let written = 0; written < size; written += block.length) {
      const words = new Uint32Array(block.buffer);
      for (let word = 0; word < words.length; word++) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        words[word] = state;
      }
      const part = block.subarray(0, Math.min(block.length, size - written));
      let offset = 0;
      while (offset < part.length) offset += await file.write(part.subarray(offset));
    }
    file.close();
  }
  return names;
}

async function sh(script: string): Promise<void> {
  const result = await new Deno.Command("bash", { args: ["-c", script], stderr: "piped" }).output();
  if (!result.success) throw new Error(`${script}: ${new TextDecoder().decode(result.stderr)}`);
}

/** A fresh copy of the sources to act on (not timed), its paths. */
async function freshWork(): Promise<string[]> {
  const work = join(root, "work");
  await sh(
    `rm -rf '${work}' '${root}/store' '${root}/reference' && cp -r '${sources}' '${work}' && sync`,
  );
  return Array.from(
    { length: FILES },
    (_, index) => join(work, `sample-${String(index).padStart(3, "0")}.bin`),
  );
}

async function quarantineRun(): Promise<number> {
  const files = await freshWork();
  return await elapsedMsAsync(async () => {
    const store = await openQuarantineStore({ dir: join(root, "store") });
    for (const path of files) {
      const outcome = await store.quarantine({ path, iocs: [], pids: [] }, defaultQuarantinePolicy);
      if (outcome.outcome !== "quarantined") {
        throw new Error(`${path}: ${outcome.outcome} ${outcome.detail}`);
      }
    }
    await store.close();
  });
}

/** The reference: each file copied (and, when `durable`, its copy synced), hashed, deleted. */
async function referenceRun(durable: boolean): Promise<number> {
  await freshWork();
  const work = join(root, "work");
  const reference = join(root, "reference");
  const sync = durable ? ` && sync '${reference}'/"$(basename "$f")"` : "";
  return await elapsedMsAsync(() =>
    sh(
      `mkdir -p '${reference}' && for f in '${work}'/*; do cp "$f" '${reference}/'${sync} && sha256sum "$f" >/dev/null && rm "$f"; done`,
    )
  );
}

await ensureSources();
const ours: number[] = [];
const theirs: number[] = [];
const theirsSynced: number[] = [];
for (let run = 0; run < runs; run++) {
  ours.push(await quarantineRun());
  theirs.push(await referenceRun(false));
  theirsSynced.push(await referenceRun(true));
}
await sh(`rm -rf '${root}/work' '${root}/store' '${root}/reference'`);
const mb = TOTAL / 1e6;
const oursMs = median(ours);
const theirsMs = median(theirs);
const syncedMs = median(theirsSynced);
const line = (name: string, ms: number) =>
  console.log(
    `  ${name.padEnd(31)}${(ms / 1000).toFixed(2)} s  ${(mb / (ms / 1000)).toFixed(0)} MB/s`,
  );
console.log(`quarantine ${TOTAL / 1024 / 1024} MiB in ${FILES} files (median of ${runs}):`);
line("iocscan quarantine", oursMs);
line("cp + sha256sum + rm", theirsMs);
line("cp + sync + sha256sum + rm", syncedMs);
console.log(`  ratio (cp+sha256sum+rm / iocscan): ${ratio(theirsMs, oursMs)}`);
console.log(`  ratio (cp+sync+sha256sum+rm / iocscan): ${ratio(syncedMs, oursMs)}`);
