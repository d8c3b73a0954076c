import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseTimeBound } from "./parse_time.ts";

Deno.test("parseTimeBound() reads ISO instants, dates and spans", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  assertEquals(parseTimeBound("2026-11-01T10:00:00Z")?.toISOString(), "2026-11-01T10:00:00.000Z");
  assertEquals(parseTimeBound("2026-11-01T10:00:00")?.toISOString(), "2026-11-01T10:00:00.000Z");
  assertEquals(
    parseTimeBound("2026-11-01T10:00:00+02:00")?.toISOString(),
    "2026-11-01T08:00:00.000Z",
  );
  assertEquals(parseTimeBound("2026-11-01")?.toISOString(), "2026-11-01T00:00:00.000Z");
  assertEquals(parseTimeBound("30d", now)?.toISOString(), "2026-10-29T12:00:00.000Z");
  assertEquals(parseTimeBound("12h", now)?.toISOString(), "2026-11-28T00:00:00.000Z");
  assertEquals(parseTimeBound("15M", now)?.toISOString(), "2026-11-28T11:45:00.000Z");
  assertEquals(parseTimeBound("yesterday"), undefined);
  assertEquals(parseTimeBound("2026-13-45T99:00:00Z"), undefined);
});
