import { deepStrictEqual } from "node:assert/strict";
import { parseAppCompatCache } from "./app_compat_cache.ts";
import { buildShimCache, type BuiltFormat } from "./_shimcache_builder.ts";

/** Seeded mutations per seed. */
const PER_SEED = 400;
/** The smallest record of any layout (a tagged record's header and path length). */
const SMALLEST_RECORD = 14;

/** xorshift32: the same mutants on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** One mutation of `bytes`: bit flips, a u32 blasted to an edge value, or a cut. */
function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  switch (next() % 3) {
    case 0:
      for (let i = next() % 8; i >= 0; i--) out[next() % out.length]! ^= 1 << (next() % 8);
      return out;
    case 1: {
      const at = next() % Math.max(1, out.length - 4);
      const edges = [0, 1, 0x7fffffff, 0xffffffff, 0xfffe, out.length, next()];
      if (at + 4 <= out.length) view.setUint32(at, edges[next() % edges.length]!, true);
      return out;
    }
    default:
      return out.subarray(0, next() % out.length);
  }
}

Deno.test("parseAppCompatCache: seeded mutations of every layout never throw and stay bounded", () => {
  const formats: BuiltFormat[] = [
    "xp",
    "vista-x86",
    "vista-x64",
    "win7-x86",
    "win7-x64",
    "win8",
    "win81",
    "win10",
  ];
  const entries = Array.from({ length: 6 }, (_, i) => ({
    path: `C:\\Windows\\System32\\tool${i}.exe`,
    modified: new Date(Date.UTC(2020, 0, i + 1)),
    flags: i % 3,
    data: i * 4,
    fileSize: i * 100,
  }));
  const next = prng(0x5ca11ab1);
  const failures: string[] = [];
  for (const format of formats) {
    const seed = buildShimCache(format, entries);
    for (let i = 0; i < PER_SEED; i++) {
      const mutant = mutate(seed, next);
      try {
        const cache = parseAppCompatCache(mutant);
        // Every entry costs bytes of the value: the count can never outgrow it.
        const most = Math.ceil(mutant.length / SMALLEST_RECORD) + 1;
        if (cache.entries.length > most) {
          failures.push(
            `${format} #${i}: ${cache.entries.length} entries from ${mutant.length} bytes`,
          );
        }
        for (const entry of cache.entries) {
          if (entry.path.length * 2 > mutant.length) {
            failures.push(`${format} #${i}: path too long`);
          }
        }
      } catch (error) {
        failures.push(`${format} #${i}: threw ${String(error)}`);
      }
    }
  }
  deepStrictEqual(failures, []);
});
