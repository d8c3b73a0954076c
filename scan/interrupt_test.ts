import { deepStrictEqual, ok } from "node:assert/strict";
import {
  interruptionOf,
  RELAYED_SIGNAL_WINDOW_MS,
  ScanInterruption,
  watchInterrupts,
} from "./interrupt.ts";

/** Lets the signal listeners run. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 50));

Deno.test({
  name: "watchInterrupts: the first signal aborts with its exit code, a second one exits at once",
  ignore: Deno.build.os === "windows",
  async fn() {
    const exits: number[] = [];
    const notices: string[] = [];
    const watch = watchInterrupts({
      exit: (code) => exits.push(code),
      notice: (text) => notices.push(text),
    });
    try {
      deepStrictEqual(watch.signals, ["SIGINT", "SIGTERM", "SIGHUP"]);
      deepStrictEqual(watch.signal.aborted, false);
      Deno.kill(Deno.pid, "SIGHUP");
      await turn();
      const interruption = interruptionOf(watch.signal);
      ok(interruption instanceof ScanInterruption);
      deepStrictEqual([interruption.signal, interruption.exitCode], ["SIGHUP", 129]);
      deepStrictEqual(exits, []);
      Deno.kill(Deno.pid, "SIGTERM");
      await turn();
      deepStrictEqual(exits, [143]);
      deepStrictEqual(interruptionOf(watch.signal)?.signal, "SIGHUP");
      ok(notices[0]?.includes("interrupted by SIGHUP"), notices[0]);
      ok(notices[1]?.includes("SIGTERM again: exiting at once"), notices[1]);
    } finally {
      watch.dispose();
    }
  },
});

Deno.test("watchInterrupts: the end of stdin counts as SIGINT once asked for, and never exits at once", async () => {
  const exits: number[] = [];
  let close = () => {};
  const stdin = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1]));
      close = () => controller.close();
    },
  });
  const watch = watchInterrupts({ stdin, exit: (code) => exits.push(code), notice: () => {} });
  try {
    await turn();
    deepStrictEqual(watch.signal.aborted, false);
    close();
    await turn();
    const interruption = interruptionOf(watch.signal);
    deepStrictEqual([interruption?.signal, interruption?.exitCode, interruption?.via], [
      "SIGINT",
      130,
      "stdin",
    ]);
    deepStrictEqual(exits, []);
  } finally {
    watch.dispose();
  }
});

Deno.test("watchInterrupts: disposing stops reading stdin without interrupting", async () => {
  const stdin = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
  const watch = watchInterrupts({ stdin, notice: () => {} });
  watch.dispose();
  await turn();
  deepStrictEqual(watch.signal.aborted, false);
});

Deno.test("interruptionOf: only an interruption counts, not another abort", () => {
  const controller = new AbortController();
  deepStrictEqual(interruptionOf(controller.signal), undefined);
  controller.abort(new Error("the store failed"));
  deepStrictEqual(interruptionOf(controller.signal), undefined);
});

Deno.test({
  name:
    "watchInterrupts: the same signal again within RELAYED_SIGNAL_WINDOW_MS is the relayed copy of the first, not a second stop",
  ignore: Deno.build.os === "windows",
  async fn() {
    // SIGHUP, not SIGINT, which `deno test` takes for itself.
    const exits: number[] = [];
    let clock = 1_000;
    const watch = watchInterrupts({
      exit: (code) => exits.push(code),
      notice: () => {},
      now: () => clock,
    });
    try {
      Deno.kill(Deno.pid, "SIGHUP");
      await turn();
      clock += RELAYED_SIGNAL_WINDOW_MS - 1;
      Deno.kill(Deno.pid, "SIGHUP");
      await turn();
      deepStrictEqual(exits, []);
      clock += 2;
      Deno.kill(Deno.pid, "SIGHUP");
      await turn();
      deepStrictEqual(exits, [129]);
    } finally {
      watch.dispose();
    }
  },
});
