/**
 * Matcher throughput: observed objects per second against generated IOC sets
 * of 10, 10,000 and 100,000 MD5 items, and one of 1,000 `contains` strings.
 * The target is that the largest hash set costs under 2x the smallest per
 * object (the cost must not grow with the number of indicators).
 *
 * There is no reference matcher to compare with, so the script prints the
 * set-size ratio and, as a yardstick, the time `md5sum` takes to hash a small
 * generated file set (what a scan pays per file anyway).
 *
 * Run: `deno run -P=test bench/match_bench.ts [objects]`
 *
 * @module
 */
import type { IndicatorItem, IocDocument } from "../openioc/model.ts";
import { compilePlan } from "../engine/mod.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { bestOfAsync, elapsedMsAsync, ratio } from "./timing.ts";

const objectCount = Number(Deno.args[0] ?? 20_000);
let seed = 42;
function random(): number {
  // xorshift32: exact in 32-bit integer arithmetic, with a long period.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
function hex(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += "0123456789abcdef"[Math.floor(random() * 16)];
  return out;
}
function word(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += "abcdefghijklmnopqrstuvwxyz"[Math.floor(random() * 26)];
  return out;
}

function leaf(
  id: string,
  search: string,
  condition: "is" | "contains",
  value: string,
): IndicatorItem {
  return {
    kind: "item",
    id,
    condition,
    negate: false,
    preserveCase: false,
    context: { document: "FileItem", search, type: "mir" },
    content: { type: "string", value },
    parameters: [],
  };
}

/** IOC files of up to 1,000 items each under a top OR, as hash-list IOCs are written. */
function iocSet(name: string, items: IndicatorItem[]): IocDocument[] {
  const documents: IocDocument[] = [];
  for (let start = 0; start < items.length; start += 1000) {
    const id = `${name}-${start / 1000}`;
    documents.push({
      id,
      version: "1.1",
      metadata: { shortDescription: id, links: [] },
      root: {
        kind: "indicator",
        id: `${id}-top`,
        operator: "OR",
        children: items.slice(start, start + 1000),
        parameters: [],
      },
      parameters: [],
      file: `${id}.ioc`,
      contentHash: "0".repeat(64),
    });
  }
  return documents;
}

// Objects first, so every set sees the same stream; 1% of them carry a listed hash.
const objects: ObservedItem[] = Array.from({ length: objectCount }, (_, i) => {
  const name = `${word(8)}.exe`;
  return {
    document: "FileItem",
    key: `C:\\Users\\${word(6)}\\AppData\\Local\\${word(10)}\\${name}#${i}`,
    fields: {
      FileName: name,
      FullPath: `C:\\Users\\${word(6)}\\AppData\\Local\\${word(10)}\\${word(12)}\\${name}`,
      SizeInBytes: Math.floor(random() * 1e6),
      Md5sum: hex(32),
    },
  };
});
const plantedHashes = objects.filter((_, i) => i % 100 === 0).map((o) => o.fields.Md5sum as string);

function hashItems(count: number): IndicatorItem[] {
  return Array.from(
    { length: count },
    (_, i) =>
      leaf(
        `h${i}`,
        "FileItem/Md5sum",
        "is",
        i < plantedHashes.length ? plantedHashes[i]! : hex(32),
      ),
  );
}

const sets: { name: string; documents: IocDocument[] }[] = [
  { name: "10 hash items", documents: iocSet("h10", hashItems(10)) },
  { name: "10,000 hash items", documents: iocSet("h10k", hashItems(10_000)) },
  { name: "100,000 hash items", documents: iocSet("h100k", hashItems(100_000)) },
  {
    name: "1,000 contains strings",
    documents: iocSet(
      "c1k",
      Array.from(
        { length: 1000 },
        (_, i) =>
          leaf(
            `c${i}`,
            "FileItem/FullPath",
            "contains",
            // One pattern in 50 is a folder of some object, so the hit path is measured too.
            i % 50 === 0
              ? `\\${String(objects[i * 7]!.fields.FullPath).split("\\")[5]}\\`
              : `\\${word(5 + (i % 8))}\\`,
          ),
      ),
    ),
  },
];

/** Passes per IOC set; the fastest gives the figure. */
const passes = 15;

async function measure(documents: IocDocument[]) {
  const compileStart = performance.now();
  const plan = compilePlan(documents);
  const compileMs = performance.now() - compileStart;
  let detections = 0;
  // Best of several passes, so that one GC pause or preemption does not decide the figure: a pass
  // takes only milliseconds.
  const best = await bestOfAsync(passes, () => {
    const session = plan.createSession();
    return elapsedMsAsync(async () => {
      // As observeCollected drives it: a promise only for lazy fields, which these objects lack.
      for (const object of objects) {
        const loading = session.observe(object);
        if (loading) await loading;
      }
      detections = session.finish().length;
    });
  });
  return { compileMs, rate: objects.length / (best / 1000), detections };
}

// Every set once unmeasured first: the first set measured would otherwise pay the engine's
// compilation by V8 alone.
for (const set of sets) await measure(set.documents);
console.log(`iocscan matcher: ${objects.length} FileItem objects per pass (best of ${passes})\n`);
console.log("IOC set                   compile ms     objects/s  detections");
const rates = new Map<string, number>();
for (const set of sets) {
  const { compileMs, rate, detections } = await measure(set.documents);
  rates.set(set.name, rate);
  console.log(
    `${set.name.padEnd(24)} ${compileMs.toFixed(0).padStart(11)} ${rate.toFixed(0).padStart(13)} ${
      String(detections).padStart(11)
    }`,
  );
}
const smallest = rates.get("10 hash items")!;
const largest = rates.get("100,000 hash items")!;
console.log(
  `\nper-object cost, 100,000 vs 10 hash items: ${ratio(smallest, largest)} (target < 2×)`,
);
console.log(
  `per-object cost, 1,000 contains strings vs 10 hash items: ${
    ratio(smallest, rates.get("1,000 contains strings")!)
  }`,
);

// Yardstick: md5sum over a small generated file set.
const md5sum = await which("md5sum");
if (md5sum === undefined) {
  console.log("\nmd5sum not found on PATH: yardstick skipped");
} else {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-match-bench-" });
  try {
    const files: string[] = [];
    for (let i = 0; i < 500; i++) {
      const file = `${dir}/f${i}.bin`;
      await Deno.writeFile(file, crypto.getRandomValues(new Uint8Array(16 * 1024)));
      files.push(file);
    }
    const start = performance.now();
    const result = await new Deno.Command(md5sum, { args: files, stdout: "null" }).output();
    const seconds = (performance.now() - start) / 1000;
    const fileRate = files.length / seconds;
    console.log(
      `\nyardstick: md5sum hashed ${files.length} files of 16 KiB in ${
        (seconds * 1000).toFixed(0)
      } ms ` +
        `(${fileRate.toFixed(0)} files/s, exit ${result.code}); ` +
        `matching against 100,000 hash items is ${ratio(largest, fileRate, 1)} faster per object`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function which(name: string): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const info = await Deno.stat(`${dir}/${name}`);
      if (info.isFile) return `${dir}/${name}`;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
