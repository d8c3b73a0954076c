import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { ActionEvent } from "../contracts/events.ts";
import { testBackends } from "./_test_backends.ts";

function action(object: string, outcome: ActionEvent["outcome"], extra: Partial<ActionEvent> = {}) {
  return {
    type: "action",
    action: "quarantine",
    object,
    outcome,
    time: "2026-12-07T05:00:00.000Z",
    ...extra,
  } as ActionEvent;
}

Deno.test("ResultStore.addActions stores a run's action events and listActions reads them back in order", async () => {
  for (const backend of await testBackends()) {
    const store = await backend.open();
    try {
      const runId = await store.startRun({
        taskName: null,
        host: "h",
        user: "u",
        options: {},
        iocFiles: [],
      });
      const events: ActionEvent[] = [
        action("/srv/a\u001b[2J.exe", "quarantined", {
          entry: "q-1",
          sha256: "a".repeat(64),
          iocs: [{ id: "ioc-1", sha256: "b".repeat(64) }],
          detail: "1 hard link",
        }),
        action("/srv/b", "refused", { reason: "max-actions", detail: "limit 2 reached" }),
      ];
      await store.addActions(runId, events);
      const read = await store.listActions(runId);
      deepStrictEqual(read, events.map((event) => ({ ...event, runId })), backend.name);
      deepStrictEqual(await store.listActions(runId + 1), [], backend.name);
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});

Deno.test("ResultStore.purge deletes a run's actions with the run", async () => {
  for (const backend of await testBackends()) {
    let now = new Date("2026-01-01T00:00:00Z");
    const store = await backend.open({ clock: () => now, purgeOnStart: false });
    try {
      const runId = await store.startRun({
        taskName: null,
        host: "h",
        user: "u",
        options: {},
        iocFiles: [],
      });
      await store.addActions(runId, [action("/x", "what-if", { detail: "would quarantine" })]);
      await store.finishRun(runId, { status: "completed", counts: {} });
      strictEqual((await store.listActions(runId)).length, 1);
      now = new Date("2026-03-01T00:00:00Z");
      const purged = await store.purge({ olderThanDays: 30 });
      strictEqual(purged.runs, 1);
      deepStrictEqual(await store.listActions(runId), []);
      ok((await store.countRows()).runs === 0);
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});
