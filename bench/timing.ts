/**
 * The benchmarks' one timing helper: a run's milliseconds, best-of-N and
 * median-of-N figures, and ratios to a reference tool printed one way.
 *
 * A best-of-N figure suits work of milliseconds, where one GC pause or
 * preemption would otherwise decide the figure; a median of N suits whole
 * processes, whose spread is real. Every benchmark under bench/ takes its
 * figures from here.
 *
 * @module
 */

/** Milliseconds `run` takes, once. */
export function elapsedMs(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Milliseconds `run` takes to settle, once. */
export async function elapsedMsAsync(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * The fastest of `runs` runs of `run`, in milliseconds.
 *
 * @example
 * ```ts
 * import { bestOf } from "./timing.ts";
 * const ms = bestOf(5, () => JSON.stringify({ a: 1 }));
 * // ms ≥ 0
 * ```
 */
export function bestOf(runs: number, run: () => void): number {
  let fastest = Infinity;
  for (let count = 0; count < runs; count++) fastest = Math.min(fastest, elapsedMs(run));
  return fastest;
}

/** The smallest of `runs` figures `measure` returns (its own milliseconds, say). */
export async function bestOfAsync(runs: number, measure: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let count = 0; count < runs; count++) best = Math.min(best, await measure());
  return best;
}

/**
 * The results of `runs` runs of `measure`, after `warmUps` runs whose results
 * are dropped (page cache, JIT tiers, a results database created).
 */
export async function repeatRuns<T>(
  runs: number,
  measure: () => Promise<T>,
  warmUps = 0,
): Promise<T[]> {
  for (let count = 0; count < warmUps; count++) await measure();
  const results: T[] = [];
  for (let count = 0; count < runs; count++) results.push(await measure());
  return results;
}

/**
 * The median of `values`: the middle one, the upper of the two middle ones for
 * an even count. NaN for none.
 *
 * @example
 * ```ts
 * import { median } from "./timing.ts";
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 3
 * ```
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * How many times `measured` goes into `reference`, printed `2.19×`: the
 * reference tool's time over ours is above 1 when ours is faster (and ours
 * over the reference's for rates).
 *
 * @example
 * ```ts
 * import { ratio } from "./timing.ts";
 * ratio(0.92, 0.42); // "2.19×"
 * ratio(3, 2, 1); // "1.5×"
 * ```
 */
export function ratio(reference: number, measured: number, digits = 2): string {
  return `${(reference / measured).toFixed(digits)}×`;
}
