/**
 * Reads the time bounds users type: ISO 8601 instants (UTC when no zone is
 * given) or a span back from now such as `30d`, `12h` or `45m`.
 *
 * @module
 */

const spanUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a time bound, or returns undefined when the text is neither form.
 *
 * @example
 * ```ts
 * import { parseTimeBound } from "./parse_time.ts";
 * const now = new Date("2026-11-28T00:00:00Z");
 * parseTimeBound("7d", now)?.toISOString(); // "2026-11-21T00:00:00.000Z"
 * ```
 */
export function parseTimeBound(text: string, now: Date = new Date()): Date | undefined {
  const trimmed = text.trim();
  const span = /^(\d+)\s*([mhd])$/i.exec(trimmed);
  if (span) return new Date(now.getTime() - Number(span[1]) * spanUnits[span[2]!.toLowerCase()]!);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const normalised = isDateOnly ? `${trimmed}T00:00:00Z` : hasZone ? trimmed : `${trimmed}Z`;
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
