import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { testBackends } from "./_test_backends.ts";
import { sha256Hex } from "./sha256_hex.ts";

const day = 86_400_000;
const encoder = new TextEncoder();

Deno.test("ResultStore.purge() deletes old runs with their rows and unused IOC contents, never a running run", async () => {
  for (const backend of await testBackends()) {
    const now = new Date("2026-11-28T00:00:00Z");
    let clock = new Date(now.getTime() - 40 * day);
    const store = await backend.open({ clock: () => clock, purgeOnStart: false });
    try {
      const oldContent = {
        file: "/iocs/old.ioc",
        content: encoder.encode("old"),
        iocs: [{ id: "o", name: "Old" }],
      };
      const sharedContent = {
        file: "/iocs/shared.ioc",
        content: encoder.encode("shared"),
        iocs: [{ id: "s", name: "Shared" }],
      };
      // 40 days ago: a finished run, and one that never finished (still "running").
      const oldFinished = await store.startRun({ iocFiles: [oldContent, sharedContent] });
      await store.addDetections(oldFinished, [{
        type: "detection",
        ioc: {
          id: "o",
          sha256: await sha256Hex(oldContent.content),
          name: "Old",
          file: "/iocs/old.ioc",
          version: "1.0",
        },
        evidence: [],
      }]);
      await store.addSkipped(oldFinished, [{
        type: "skipped",
        collector: "file",
        object: "/x",
        reason: "loop",
      }]);
      await store.addWarnings(oldFinished, [{ type: "warning", code: "w", message: "m" }]);
      await store.finishRun(oldFinished, { status: "completed", counts: {} });
      const oldRunning = await store.startRun({ iocFiles: [oldContent] });
      // 31 and 29 days ago, failed and completed.
      clock = new Date(now.getTime() - 31 * day);
      const oldFailed = await store.startRun({ iocFiles: [] });
      await store.finishRun(oldFailed, { status: "failed", counts: {} });
      clock = new Date(now.getTime() - 29 * day);
      const recent = await store.startRun({ iocFiles: [sharedContent] });
      await store.finishRun(recent, { status: "completed", counts: {} });

      deepStrictEqual(await store.countRows(), {
        runs: 4,
        iocContents: 2,
        detections: 1,
        skippedObjects: 1,
        warnings: 1,
      });
      deepStrictEqual(await store.purge({ now }), { runs: 2, iocContents: 0 });
      deepStrictEqual((await store.listRuns()).map((run) => run.id), [oldRunning, recent]);
      // The old content is still used by the running run; the shared one by the recent run.
      deepStrictEqual(await store.countRows(), {
        runs: 2,
        iocContents: 2,
        detections: 0,
        skippedObjects: 0,
        warnings: 0,
      });

      clock = now;
      await store.finishRun(oldRunning, { status: "cancelled", counts: {} });
      deepStrictEqual(await store.purge({ now }), { runs: 1, iocContents: 1 });
      deepStrictEqual((await store.listRuns()).map((run) => run.id), [recent]);
      strictEqual((await store.getRun(recent))?.iocFiles[0]?.iocs[0]?.name, "Shared");

      // A shorter retention reaches the recent run too; purging again finds nothing.
      deepStrictEqual(await store.purge({ now, olderThanDays: 7 }), { runs: 1, iocContents: 1 });
      deepStrictEqual(await store.purge({ now, olderThanDays: 7 }), { runs: 0, iocContents: 0 });
      deepStrictEqual(await store.countRows(), {
        runs: 0,
        iocContents: 0,
        detections: 0,
        skippedObjects: 0,
        warnings: 0,
      });
      await rejects(store.purge({ olderThanDays: -1 }), RangeError);
    } catch (error) {
      throw new Error(`[${backend.name}] ${(error as Error).message}`, { cause: error });
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});

Deno.test("ResultStore.startRun() purges runs past the retention period but not the running one", async () => {
  for (const backend of await testBackends()) {
    const start = new Date("2026-10-01T00:00:00Z");
    let clock = start;
    const store = await backend.open({ clock: () => clock, retentionDays: 10 });
    try {
      const old = await store.startRun({ taskName: "old", iocFiles: [] });
      await store.finishRun(old, { status: "completed", counts: {} });
      const stillRunning = await store.startRun({ taskName: "running", iocFiles: [] });
      clock = new Date(start.getTime() + 11 * day);
      const fresh = await store.startRun({ taskName: "fresh", iocFiles: [] });
      deepStrictEqual((await store.listRuns()).map((run) => run.id), [stillRunning, fresh]);
      // A run with id 1 purged: ids are never reused.
      strictEqual(fresh > old, true);
    } catch (error) {
      throw new Error(`[${backend.name}] ${(error as Error).message}`, { cause: error });
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});

Deno.test("ResultStore purge-on-start can be switched off", async () => {
  const [backend] = await testBackends();
  let clock = new Date("2026-01-01T00:00:00Z");
  const store = await backend!.open({ clock: () => clock, purgeOnStart: false });
  try {
    const old = await store.startRun({ iocFiles: [] });
    await store.finishRun(old, { status: "completed", counts: {} });
    clock = new Date("2026-06-01T00:00:00Z");
    await store.startRun({ iocFiles: [] });
    strictEqual((await store.listRuns()).length, 2);
  } finally {
    await store.close();
    await backend!.dispose();
  }
});

Deno.test("ResultStore.purge() deletes old interrupted runs, and old runs found abandoned when the store opens", async () => {
  const ended = new Deno.Command(Deno.execPath(), { args: ["eval", "0"] }).spawn();
  await ended.status;
  for (const backend of await testBackends()) {
    const now = new Date("2026-11-28T00:00:00Z");
    const clock = new Date(now.getTime() - 40 * day);
    const store = await backend.open({ clock: () => clock, purgeOnStart: false });
    let running: number;
    try {
      const interrupted = await store.startRun({ iocFiles: [] });
      await store.finishRun(interrupted, { status: "interrupted", counts: { objects: 3 } });
      // A scan killed outright: its process is gone, the run is still "running".
      await store.startRun({ iocFiles: [], process: { pid: ended.pid, startedAt: null } });
      // This process's own run, really running.
      running = await store.startRun({ iocFiles: [] });
    } finally {
      await store.close();
    }
    const again = await backend.open({ purgeOnStart: false });
    try {
      deepStrictEqual(await again.purge({ now }), { runs: 2, iocContents: 0 }, backend.name);
      deepStrictEqual((await again.listRuns()).map((run) => [run.id, run.status]), [
        [running, "running"],
      ]);
    } finally {
      await again.close();
      await backend.dispose();
    }
  }
});
