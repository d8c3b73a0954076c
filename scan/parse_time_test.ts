import { deepStrictEqual } from "node:assert/strict";
import { parseTimeBound, readTimeBound } from "./parse_time.ts";

Deno.test("parseTimeBound() reads ISO instants, dates and spans", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  deepStrictEqual(
    parseTimeBound("2026-11-01T10:00:00Z")?.toISOString(),
    "2026-11-01T10:00:00.000Z",
  );
  deepStrictEqual(parseTimeBound("2026-11-01T10:00:00")?.toISOString(), "2026-11-01T10:00:00.000Z");
  deepStrictEqual(
    parseTimeBound("2026-11-01T10:00:00+02:00")?.toISOString(),
    "2026-11-01T08:00:00.000Z",
  );
  deepStrictEqual(parseTimeBound("2026-11-01")?.toISOString(), "2026-11-01T00:00:00.000Z");
  deepStrictEqual(parseTimeBound("30d", now)?.toISOString(), "2026-10-29T12:00:00.000Z");
  deepStrictEqual(parseTimeBound("12h", now)?.toISOString(), "2026-11-28T00:00:00.000Z");
  deepStrictEqual(parseTimeBound("15M", now)?.toISOString(), "2026-11-28T11:45:00.000Z");
  deepStrictEqual(parseTimeBound("yesterday"), undefined);
  deepStrictEqual(parseTimeBound("2026-13-45T99:00:00Z"), undefined);
});

Deno.test("parseTimeBound() reads every zone-less form as UTC, seconds and fractional spans", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  deepStrictEqual(parseTimeBound("2026-11-01T10:00")?.toISOString(), "2026-11-01T10:00:00.000Z");
  deepStrictEqual(parseTimeBound("2026-11-01 10:00:05")?.toISOString(), "2026-11-01T10:00:05.000Z");
  deepStrictEqual(
    parseTimeBound("2026-11-01T10:00:05.25")?.toISOString(),
    "2026-11-01T10:00:05.250Z",
  );
  deepStrictEqual(
    parseTimeBound("2026-11-01T10:00-0130")?.toISOString(),
    "2026-11-01T11:30:00.000Z",
  );
  deepStrictEqual(parseTimeBound("2024-02-29")?.toISOString(), "2024-02-29T00:00:00.000Z");
  deepStrictEqual(parseTimeBound("0099-01-01")?.toISOString(), "0099-01-01T00:00:00.000Z");
  deepStrictEqual(parseTimeBound("90s", now)?.toISOString(), "2026-11-28T11:58:30.000Z");
  deepStrictEqual(
    parseTimeBound("1.5d", now)?.toISOString(),
    "2026-11-27T00:00:00.000Z",
  );
});

Deno.test("readTimeBound() refuses impossible dates and times, naming what is wrong", () => {
  for (
    const [text, problem] of [
      ["2026-02-30", "February 2026 has no day 30"],
      ["2025-02-29", "February 2025 has no day 29"],
      ["2026-04-31", "April 2026 has no day 31"],
      ["2026-13-01", "no month 13"],
      ["2026-11-01T24:00", "not a time of day"],
      ["2026-11-01T10:60", "not a time of day"],
      ["2026-11-01T10:00+15:00", "not a zone offset"],
      ["yesterday", "is not an ISO 8601 date"],
      ["30 days", "is not an ISO 8601 date"],
      ["", "is not an ISO 8601 date"],
    ] as const
  ) {
    const reading = readTimeBound(text);
    deepStrictEqual(
      "problem" in reading && reading.problem.includes(problem),
      true,
      `${text}: ${JSON.stringify(reading)}`,
    );
  }
});
