/**
 * Reads the time bounds users type, the one parser behind every `--since` and
 * `--until` (scan, results, collect eventlog) and the task file's `since` and
 * `until`.
 *
 * Two forms:
 * - an ISO 8601 date or instant: `2026-11-01`, `2026-11-01T10:00`,
 *   `2026-11-01T10:00:30.5Z`, `2026-11-01T10:00+02:00`. **No zone given means
 *   UTC**, never the machine's local time (a scan task runs on hosts in many
 *   zones; an evidence timeline is UTC). Impossible dates (`2026-02-30`,
 *   `T24:00`) are refused, never rolled over.
 * - a span back from now: a number and a unit, `90s`, `15m`, `12h`, `30d`,
 *   `1.5d`.
 *
 * @module
 */

/** Milliseconds per span unit (case-insensitive). */
const spanUnits: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** The accepted forms, for messages. */
export const timeBoundForms =
  "an ISO 8601 date or time (2026-11-01, 2026-11-01T08:00, 2026-11-01T08:00+02:00; UTC when no " +
  "zone is given) or a span back from now (90s, 15m, 12h, 30d, 1.5d)";

const spanPattern = /^(\d+(?:\.\d+)?)\s*([smhd])$/i;
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A time bound read, or why the text is not one. */
export type TimeBoundReading = { date: Date } | { problem: string };

/**
 * Reads a time bound, saying what is wrong when it is not one.
 *
 * @example
 * ```ts
 * import { readTimeBound } from "./parse_time.ts";
 * readTimeBound("2026-02-30"); // { problem: "2026-02-30: February 2026 has no day 30" }
 * ```
 */
export function readTimeBound(text: string, now: Date = new Date()): TimeBoundReading {
  const trimmed = text.trim();
  const span = spanPattern.exec(trimmed);
  if (span) {
    const ms = Number(span[1]) * spanUnits[span[2]!.toLowerCase()]!;
    const date = new Date(now.getTime() - ms);
    return Number.isFinite(date.getTime())
      ? { date }
      : { problem: `"${trimmed}": the span reaches beyond the dates a time can hold` };
  }
  const iso = isoPattern.exec(trimmed);
  if (!iso) return { problem: `"${trimmed}" is not ${timeBoundForms}` };
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = iso;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12) return { problem: `"${trimmed}": there is no month ${month}` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return { problem: `"${trimmed}": ${monthNames[month - 1]} ${year} has no day ${day}` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { problem: `"${trimmed}": ${h}:${mi}:${s} is not a time of day` };
  }
  const offsetMinutes = zoneOffsetMinutes(zone);
  if (offsetMinutes === undefined) {
    return { problem: `"${trimmed}": ${zone} is not a zone offset (±HH:MM, at most 14 hours)` };
  }
  const ms = Math.floor(Number(`0.${fraction || "0"}`) * 1000);
  // setUTCFullYear, not Date.UTC, which would read the years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, ms);
  return Number.isFinite(date.getTime())
    ? { date }
    : { problem: `"${trimmed}" is outside the dates a time can hold` };
}

/**
 * Parses a time bound, or returns undefined when the text is neither form
 * (see {@linkcode readTimeBound} for the reason).
 *
 * @example
 * ```ts
 * import { parseTimeBound } from "./parse_time.ts";
 * const now = new Date("2026-11-28T00:00:00Z");
 * parseTimeBound("7d", now)?.toISOString(); // "2026-11-21T00:00:00.000Z"
 * ```
 */
export function parseTimeBound(text: string, now: Date = new Date()): Date | undefined {
  const reading = readTimeBound(text, now);
  return "date" in reading ? reading.date : undefined;
}

const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Minutes east of UTC; 0 without a zone (UTC); undefined for an impossible offset. */
function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}
