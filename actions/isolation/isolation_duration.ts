/**
 * How an isolation's duration is written (`isolate --duration`, `isolation extend --duration`,
 * `scan --isolation-duration`, the task file's `isolationDuration`): a span such as `8h`, `90m`,
 * `1h30m` or `2d` (units s, m, h, d), from 1 minute to 9,999 hours. One rule for every front end.
 *
 * @module
 */
import { MAX_ISOLATION_MS, MIN_ISOLATION_MS } from "./isolation_limits.ts";

/** The units of a duration, in milliseconds. */
const durationUnits: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Reads a duration: its milliseconds, or the problem with it.
 *
 * @example
 * ```ts
 * import { readIsolationDuration } from "./isolation_duration.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(readIsolationDuration("1h30m"), { ms: 5_400_000 });
 * ```
 */
export function readIsolationDuration(text: string): { ms: number } | { problem: string } {
  const compact = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(compact)) {
    return { problem: `expected a duration such as 8h, 90m, 1h30m or 2d, found "${text}"` };
  }
  let ms = 0;
  for (const [, amount = "", unit = ""] of compact.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) {
    ms += Number(amount) * (durationUnits[unit] ?? 0);
  }
  ms = Math.round(ms);
  if (ms < MIN_ISOLATION_MS || ms > MAX_ISOLATION_MS) {
    return { problem: "an isolation lasts from 1 minute (1m) to 9,999 hours (9999h)" };
  }
  return { ms };
}
