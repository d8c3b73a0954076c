import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { readCommandOutput } from "./command_output.ts";
import { recordedCommand } from "./command_runner.ts";

Deno.test("readCommandOutput returns the recorded text", async () => {
  const output = await readCommandOutput("ip", ["-j", "route"], {
    maxBytes: 100,
    timeoutMs: 1000,
    runner: recordedCommand('[{"dst":"default"}]'),
  });
  if (!output.ok) throw new Error(output.reason);
  deepStrictEqual(JSON.parse(output.text), [{ dst: "default" }]);
});

Deno.test("readCommandOutput fails past the byte cap, naming the tool", async () => {
  const output = await readCommandOutput("ip", ["-j", "neigh"], {
    maxBytes: 4,
    timeoutMs: 1000,
    runner: recordedCommand("0123456789"),
  });
  if (output.ok) throw new Error("expected a failure");
  ok(output.reason.includes("ip -j neigh printed more than 4 bytes"), output.reason);
});

Deno.test("readCommandOutput fails on a non-zero exit with the tool's first stderr line", async () => {
  const output = await readCommandOutput("resolvectl", ["show-cache"], {
    maxBytes: 100,
    timeoutMs: 1000,
    runner: recordedCommand("", 1, "Failed to connect\nmore\n"),
  });
  if (output.ok) throw new Error("expected a failure");
  strictEqual(output.reason, "resolvectl show-cache exited with 1: Failed to connect");
});

Deno.test("readCommandOutput says a missing tool is missing", async () => {
  const output = await readCommandOutput("iocscan-no-such-tool", [], {
    maxBytes: 100,
    timeoutMs: 1000,
  });
  if (output.ok) throw new Error("expected a failure");
  ok(output.missing);
});

Deno.test("readCommandOutput kills a tool that outlives its deadline", async () => {
  const started = Date.now();
  const output = await readCommandOutput("sleep", ["10"], { maxBytes: 100, timeoutMs: 200 });
  if (output.ok) throw new Error("expected a failure");
  ok(output.reason.includes("did not finish within 200 ms"), output.reason);
  ok(Date.now() - started < 5000);
});
