import { strictEqual } from "node:assert/strict";
import { filetimeToIso } from "./time.ts";

function parts(ms: number, ticks = 0): [number, number] {
  const t = BigInt(ms + 11644473600000) * 10000n + BigInt(ticks);
  return [Number(t & 0xffffffffn), Number(t >> 32n)];
}

Deno.test("filetimeToIso formats with 100 ns precision across epochs and leap days", () => {
  const cases: [number, number, string][] = [
    [Date.UTC(1601, 0, 1), 0, "1601-01-01T00:00:00.0000000Z"],
    [0, 0, "1970-01-01T00:00:00.0000000Z"],
    [Date.UTC(2000, 1, 29, 23, 59, 59, 999), 9999, "2000-02-29T23:59:59.9999999Z"],
    [Date.UTC(2013, 9, 23, 16, 22, 39, 973), 5000, "2013-10-23T16:22:39.9735000Z"],
    [Date.UTC(2013, 9, 23, 1, 2, 3, 4), 5, "2013-10-23T01:02:03.0040005Z"],
    [Date.UTC(2100, 2, 1), 1, "2100-03-01T00:00:00.0000001Z"],
    [Date.UTC(2013, 9, 24), 0, "2013-10-24T00:00:00.0000000Z"],
  ];
  for (const [ms, ticks, expected] of cases) {
    strictEqual(filetimeToIso(...parts(ms, ticks)), expected);
  }
});
