/**
 * The mutation suite at scale: `--count N` mutated inputs (default 2,000),
 * spread over every seed (built with code, corpus files read in place), each
 * driven through the parser entry points the collectors use. Prints the
 * inputs per second per parser and every rule broken (a throw out of an entry
 * point, work or a buffer over its bound); exits 1 when one was.
 * The reference is the same inputs through a plain read of their bytes
 * (a CRC-32 pass), so the figure says what parsing costs over touching them.
 *
 * `deno run -P=test bench/mutation_fuzz.ts --count 2000 [--seed 123]`
 */
import { crc32 } from "../formats/evtx/mod.ts";
import {
  builtSeeds,
  corpusSeeds,
  type FuzzKind,
  type Mutant,
  mutate,
  Prng,
  runMutant,
  violation,
} from "../tests/mutation_fuzz.ts";

function argument(name: string, fallback: number): number {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Number(Deno.args[at + 1]) : fallback;
}

const count = argument("--count", 2000);
const seedValue = argument("--seed", 0x10c5ca9);
const seeds = [...builtSeeds(), ...await corpusSeeds()];
const prng = new Prng(seedValue);
const mutants: Mutant[] = Array.from(
  { length: count },
  (_, i) => mutate(seeds[i % seeds.length]!, prng),
);

const perKind = new Map<FuzzKind, { inputs: number; ms: number; bytes: number }>();
const broken: string[] = [];
const rssBefore = Deno.memoryUsage().rss;
const start = performance.now();
for (const [index, mutant] of mutants.entries()) {
  const began = performance.now();
  const result = await runMutant(mutant);
  const figures = perKind.get(mutant.seed.kind) ?? { inputs: 0, ms: 0, bytes: 0 };
  figures.inputs++;
  figures.ms += performance.now() - began;
  figures.bytes += mutant.bytes.length;
  perKind.set(mutant.seed.kind, figures);
  const rule = violation(result);
  if (rule) broken.push(`#${index} ${mutant.seed.name} (${mutant.description}): ${rule}`);
}
const elapsed = performance.now() - start;
const referenceStart = performance.now();
for (const mutant of mutants) crc32(mutant.bytes);
const reference = performance.now() - referenceStart;

console.log(`${count} mutated inputs from ${seeds.length} seeds (seed ${seedValue})`);
for (const [kind, figures] of perKind) {
  console.log(
    `  ${kind}: ${figures.inputs} inputs, ${
      (figures.inputs / (figures.ms / 1000)).toFixed(0)
    } inputs/s, ` +
      `${(figures.bytes / 1048576 / (figures.ms / 1000)).toFixed(1)} MiB/s`,
  );
}
console.log(
  `all: ${(count / (elapsed / 1000)).toFixed(0)} inputs/s; reference (CRC-32 of the same bytes): ` +
    `${(count / (reference / 1000)).toFixed(0)} inputs/s; RSS +${
      ((Deno.memoryUsage().rss - rssBefore) / 1048576).toFixed(0)
    } MiB`,
);
console.log(`rules broken: ${broken.length}`);
for (const line of broken.slice(0, 50)) console.log(`  ${line}`);
if (broken.length > 0) Deno.exit(1);
