/**
 * The mutation suite in the normal run: every seed (built with code, and
 * corpus files read in place) mutated a fixed number of times with a fixed
 * PRNG seed, each mutant driven through the entry points the collectors use.
 * Nothing may throw out of them, the work (reads, records, keys) and the
 * largest buffer per input stay within bounds linear in the input, and the
 * process's memory does not run away over the run. `bench/mutation_fuzz.ts`
 * runs the same with more mutants.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { builtSeeds, corpusSeeds, mutate, Prng, runMutant, violation } from "./mutation_fuzz.ts";

/** Mutants per seed: about 1,400 inputs in all, a few seconds on a loaded 2-core machine. */
const PER_SEED = 200;
/** RSS growth allowed over the whole run: generous, it catches only runaway allocation. */
const RSS_MARGIN = 512 * 1024 * 1024;

Deno.test("mutation suite: PE, EVTX, REGF (with logs) and partition tables survive seeded mutations of every seed", async () => {
  const seeds = [...builtSeeds(), ...await corpusSeeds()];
  ok(seeds.length >= 4);
  const prng = new Prng(0x10c5ca9);
  const failures: string[] = [];
  const rssBefore = Deno.memoryUsage().rss;
  let inputs = 0;
  let work = 0;
  for (const seed of seeds) {
    for (let i = 0; i < PER_SEED; i++) {
      const mutant = mutate(seed, prng);
      const result = await runMutant(mutant);
      inputs++;
      work += result.work;
      const broken = violation(result);
      if (broken) failures.push(`${seed.name} #${i} (${mutant.description}): ${broken}`);
    }
  }
  const rssGrowth = Deno.memoryUsage().rss - rssBefore;
  console.error(
    `${inputs} mutated inputs from ${seeds.length} seeds, ${work} operations, RSS +${
      (rssGrowth / 1048576).toFixed(0)
    } MiB`,
  );
  deepStrictEqual(failures, []);
  ok(rssGrowth < RSS_MARGIN, `RSS grew by ${rssGrowth} bytes`);
});

Deno.test("mutation suite: the mutator is deterministic", () => {
  const [seed] = builtSeeds();
  const a = new Prng(7), b = new Prng(7);
  for (let i = 0; i < 50; i++) {
    const x = mutate(seed!, a), y = mutate(seed!, b);
    deepStrictEqual(x.description, y.description);
    deepStrictEqual(x.bytes, y.bytes);
  }
});
