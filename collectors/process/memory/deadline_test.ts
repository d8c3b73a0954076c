import { strictEqual } from "node:assert/strict";
import { timedOut, withDeadline } from "./deadline.ts";

Deno.test("withDeadline gives the value in time, and timedOut after the deadline", async () => {
  strictEqual(await withDeadline(Promise.resolve(4), 1000), 4);
  strictEqual(await withDeadline(new Promise<number>(() => {}), 10), timedOut);
});

Deno.test("withDeadline: a failure after the deadline is swallowed", async () => {
  let fail: (error: Error) => void = () => {};
  const work = new Promise<number>((_, reject) => (fail = reject));
  strictEqual(await withDeadline(work, 5), timedOut);
  fail(new Error("too late"));
  await new Promise((resolve) => setTimeout(resolve, 5));
});
