import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { testBackends } from "./_test_backends.ts";

Deno.test("ResultStore isolations: stored, updated, listed by state, with their audit in order (SQLite and PostgreSQL)", async () => {
  for (const backend of await testBackends()) {
    const store = await backend.open();
    try {
      const plan = { id: "iso-1", expiresAt: "2026-12-07T14:00:00.000Z", allow: [] };
      await store.addIsolation({
        id: "iso-1",
        started: "2026-12-07T06:00:00.000Z",
        expiresAt: plan.expiresAt,
        state: "active",
        plan,
        reason: "C2 beacon\u0000seen",
        iocIds: ["ioc-a", "ioc-b"],
        runId: 7,
        who: "root",
      });
      await rejects(
        store.addIsolation({
          id: "iso-1",
          started: "x",
          expiresAt: "x",
          state: "active",
          plan,
          iocIds: [],
          who: "root",
        }),
      );
      await store.addIsolationAudit({
        isolationId: "iso-1",
        step: "apply",
        at: "2026-12-07T06:00:01.000Z",
        who: "root",
        iocIds: ["ioc-a"],
        runId: 7,
        rulesetHash: "ab".repeat(32),
        outcome: "ok",
      });
      await store.addIsolationAudit({
        isolationId: "iso-1",
        step: "self-test",
        at: "2026-12-07T06:00:02.000Z",
        who: "root",
        selfTest: { allowed: { passed: true }, forbidden: {} },
        outcome: "ok",
        detail: "both halves",
      });
      await store.updateIsolation("iso-1", {
        expiresAt: "2026-12-07T16:00:00.000Z",
        state: "released",
      });
      await rejects(store.updateIsolation("nope", { state: "expired" }), /no isolation nope/);
      const stored = await store.getIsolation("iso-1");
      strictEqual(stored?.state, "released", backend.name);
      strictEqual(stored?.expiresAt, "2026-12-07T16:00:00.000Z");
      strictEqual(stored?.reason, "C2 beacon\u2400seen");
      deepStrictEqual(stored?.iocIds, ["ioc-a", "ioc-b"]);
      strictEqual(stored?.runId, 7);
      deepStrictEqual(stored?.plan, plan);
      deepStrictEqual((await store.listIsolations("active")).length, 0);
      deepStrictEqual((await store.listIsolations("released")).map((row) => row.id), ["iso-1"]);
      const audit = await store.listIsolationAudit("iso-1");
      deepStrictEqual(audit.map((record) => record.step), ["apply", "self-test"]);
      deepStrictEqual(audit[0], {
        isolationId: "iso-1",
        step: "apply",
        at: "2026-12-07T06:00:01.000Z",
        who: "root",
        iocIds: ["ioc-a"],
        runId: 7,
        rulesetHash: "ab".repeat(32),
        outcome: "ok",
      });
      deepStrictEqual(audit[1]?.selfTest, { allowed: { passed: true }, forbidden: {} });
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});
