import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { bestOf, bestOfAsync, median, ratio, repeatRuns } from "./timing.ts";

Deno.test("median takes the middle value, the upper middle for an even count", () => {
  strictEqual(median([5, 1, 3]), 3);
  strictEqual(median([4, 1, 3, 2]), 3);
  ok(Number.isNaN(median([])));
});

Deno.test("bestOf runs N times and keeps the fastest", () => {
  let calls = 0;
  const ms = bestOf(4, () => void calls++);
  strictEqual(calls, 4);
  ok(ms >= 0 && ms < 1000);
});

Deno.test("bestOfAsync keeps the smallest figure measured", async () => {
  const figures = [30, 10, 20];
  strictEqual(await bestOfAsync(3, () => Promise.resolve(figures.shift()!)), 10);
});

Deno.test("repeatRuns drops the warm-up runs", async () => {
  let run = 0;
  deepStrictEqual(await repeatRuns(3, () => Promise.resolve(++run), 2), [3, 4, 5]);
});

Deno.test("ratio prints reference over measured with ×", () => {
  strictEqual(ratio(0.92, 0.42), "2.19×");
  strictEqual(ratio(3, 2, 1), "1.5×");
});
