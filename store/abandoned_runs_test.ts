import { deepStrictEqual, ok } from "node:assert/strict";
import { hostname } from "node:os";
import { testBackends } from "./_test_backends.ts";
import { currentProcess, processStartTime, processState } from "./process_identity.ts";

/** The pid of a process that has ended and been reaped. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "0"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await child.status;
  return child.pid;
}

Deno.test("openStore: marks abandoned the running runs of this host whose process is gone, never a live one nor another host's", async () => {
  const dead = await deadPid();
  for (const backend of await testBackends()) {
    try {
      const store = await backend.open();
      const gone = await store.startRun({ iocFiles: [], process: { pid: dead, startedAt: null } });
      const live = await store.startRun({ iocFiles: [] });
      const elsewhere = await store.startRun({
        iocFiles: [],
        host: `not-${hostname()}`,
        process: { pid: dead, startedAt: null },
      });
      const finished = await store.startRun({
        iocFiles: [],
        process: { pid: dead, startedAt: null },
      });
      await store.finishRun(finished, { status: "completed", counts: {} });
      await store.close();

      const again = await backend.open();
      try {
        const runs = await again.listRuns();
        deepStrictEqual(runs.map((run) => [run.id, run.status]), [
          [gone, "abandoned"],
          [live, "running"],
          [elsewhere, "running"],
          [finished, "completed"],
        ], backend.name);
        ok(runs[0]!.finished !== null);
        const details = await again.getRun(gone);
        deepStrictEqual(details?.warnings.map((warning) => warning.code), ["run-abandoned"]);
        ok(details?.warnings[0]?.message.includes(`pid ${dead}`));
      } finally {
        await again.close();
      }
    } finally {
      await backend.dispose();
    }
  }
});

Deno.test("openStore: a pid reused by a process that started at another time is not the run's process", async () => {
  for (const backend of await testBackends()) {
    try {
      const store = await backend.open();
      const reused = await store.startRun({
        iocFiles: [],
        process: { pid: Deno.pid, startedAt: "2001-01-01T00:00:00.000Z" },
      });
      await store.close();
      const again = await backend.open();
      try {
        const status = (await again.listRuns())[0]?.status;
        // The start time is read from /proc, which Deno opens only with all permissions:
        // without it, liveness rests on the pid alone and the run stays running.
        const readable = (await processStartTime(Deno.pid)) !== undefined;
        deepStrictEqual([reused, status], [1, readable ? "abandoned" : "running"], backend.name);
        if (!readable) {
          console.error(
            "\n*** processStartTime: /proc is not readable with these permissions " +
              "(deno test -A reads it); the pid-reuse case is checked by pid alone ***\n",
          );
        }
      } finally {
        await again.close();
      }
    } finally {
      await backend.dispose();
    }
  }
});

Deno.test("openStore: markAbandoned false leaves every running run as it is", async () => {
  const dead = await deadPid();
  for (const backend of await testBackends()) {
    try {
      const store = await backend.open();
      await store.startRun({ iocFiles: [], process: { pid: dead, startedAt: null } });
      await store.close();
      const again = await backend.open({ markAbandoned: false });
      try {
        deepStrictEqual((await again.listRuns()).map((run) => run.status), ["running"]);
      } finally {
        await again.close();
      }
    } finally {
      await backend.dispose();
    }
  }
});

Deno.test("processState: this process is alive, a reaped child is gone", async () => {
  deepStrictEqual(await processState(await currentProcess()), "alive");
  deepStrictEqual(await processState({ pid: await deadPid(), startedAt: null }), "gone");
});

Deno.test({
  name: "processStartTime: reads /proc/<pid>/stat when Deno may (all permissions, Linux)",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const startedAt = await processStartTime(Deno.pid);
    if (startedAt === undefined) {
      console.error(
        "\n*** processStartTime: /proc not readable here; run with -A to check it ***\n",
      );
      return;
    }
    const age = Date.now() - Date.parse(startedAt);
    ok(age >= -2_000 && age < 10 * 60_000, `this process started ${age} ms ago?`);
  },
});
