import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { openStore } from "../../store/mod.ts";
import { fakeBackend } from "./_fake_backend.ts";
import { extend, isolate, maintain, release } from "./isolation_service.ts";

const noForbiddenTarget = { gateway: () => Promise.resolve(undefined) };

function planUntil(expiresAt: string, id = "iso-1") {
  return { id, expiresAt, allow: [] };
}

Deno.test("isolate stores the state before applying, audits apply and self-test, refuses a second one", async () => {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  let storedBeforeApply = false;
  const apply = backend.apply;
  backend.apply = async (plan) => {
    storedBeforeApply = (await store.getIsolation(plan.id))?.state === "active";
    return apply(plan);
  };
  try {
    const deps = { store, backend, who: "root" };
    const outcome = await isolate(deps, {
      plan: planUntil("2099-01-01T00:00:00.000Z"),
      reason: "beacon",
      iocIds: ["ioc-1"],
      runId: 3,
      selfTest: noForbiddenTarget,
    });
    ok(outcome.ok);
    ok(storedBeforeApply, "the state was written before the rules were applied");
    deepStrictEqual(outcome.report.audit.map((record) => record.step), ["apply", "self-test"]);
    strictEqual(outcome.report.audit[0]?.detail, "fake; 2 existing connections cut");
    deepStrictEqual(outcome.report.audit[0]?.iocIds, ["ioc-1"]);
    strictEqual(outcome.report.audit[0]?.runId, 3);
    strictEqual(outcome.report.audit[1]?.selfTest?.forbidden.passed, undefined, "not run");
    await rejects(
      isolate(deps, { plan: planUntil("2099-01-01T00:00:00.000Z", "iso-2") }),
      /iso-1 is active until/,
    );
  } finally {
    await store.close();
  }
});

Deno.test("isolate records a refused rule set as failed and applies nothing", async () => {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  backend.failApply = true;
  try {
    const outcome = await isolate({ store, backend, who: "root" }, {
      plan: planUntil("2099-01-01T00:00:00.000Z"),
    });
    strictEqual(outcome.ok, false);
    strictEqual(outcome.report.state, "failed");
    deepStrictEqual(outcome.report.audit.map((r) => [r.step, r.outcome]), [["apply", "failed"]]);
    strictEqual(backend.held, undefined);
  } finally {
    await store.close();
  }
});

Deno.test("maintain: tamper re-apply before the deadline, auto-release after it; extend and release", async () => {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  let now = new Date("2026-12-07T06:00:00.000Z");
  const deps = { store, backend, who: "root", clock: () => now };
  try {
    await isolate(deps, {
      plan: planUntil("2026-12-07T07:00:00.000Z"),
      selfTest: noForbiddenTarget,
    });
    strictEqual(await maintain(deps, "check"), undefined, "in place: nothing to do");
    backend.held = undefined; // someone deleted the table
    const reapplied = await maintain(deps, "check");
    strictEqual(reapplied?.report.audit.at(-1)?.step, "tamper-reapply");
    strictEqual(
      (backend as { held?: { expiresAt: string } }).held?.expiresAt,
      "2026-12-07T07:00:00.000Z",
      "the same deadline",
    );
    const extended = await extend(deps, 2 * 3_600_000);
    strictEqual(extended.report.expiresAt, "2026-12-07T08:00:00.000Z");
    strictEqual(
      (backend as { held?: { expiresAt: string } }).held?.expiresAt,
      "2026-12-07T08:00:00.000Z",
    );
    now = new Date("2026-12-07T08:00:01.000Z");
    const cleaned = await maintain(deps, "boot");
    strictEqual(cleaned?.report.state, "expired");
    strictEqual(cleaned?.report.audit.at(-1)?.step, "boot-cleanup");
    strictEqual(backend.held, undefined);
    strictEqual(await release(deps), undefined, "nothing active to release");
  } finally {
    await store.close();
  }
});

Deno.test("maintain re-applies only the well-formed rules of a stored plan", async () => {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  try {
    await store.addIsolation({
      id: "iso-x",
      started: "2026-12-07T06:00:00.000Z",
      expiresAt: "2099-01-01T00:00:00.000Z",
      state: "active",
      plan: {
        allow: [
          { address: "10.0.0.1", port: 443, why: "ok" },
          { address: "1.1.1.1 ) or ( dst 0.0.0.0/0", why: "shaped" },
          { address: "10.0.0.2", port: 70_000, why: "bad port" },
        ],
      },
      iocIds: [],
      who: "root",
    });
    await maintain({ store, backend, who: "root" }, "boot");
    deepStrictEqual((backend as { held?: { allow: readonly unknown[] } }).held?.allow, [
      { address: "10.0.0.1", port: 443, why: "ok" },
    ]);
  } finally {
    await store.close();
  }
});

Deno.test("isolate installs the boot and tamper tasks BEFORE applying: a crash after the apply leaves them in place", async () => {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  try {
    const outcome = await isolate({ store, backend, who: "root" }, {
      plan: planUntil("2099-01-01T00:00:00.000Z"),
      selfTest: noForbiddenTarget,
      installTasks: () => {
        backend.calls.push("tasks");
        return Promise.resolve("units written");
      },
    });
    ok(outcome.ok);
    deepStrictEqual(backend.calls.slice(0, 2), ["tasks", "apply 2099-01-01T00:00:00.000Z"]);
    deepStrictEqual(outcome.report.audit.map((record) => [record.step, record.detail]), [
      ["apply", "boot and tamper tasks: units written"],
      ["apply", "fake; 2 existing connections cut"],
      ["self-test", undefined],
    ]);
  } finally {
    await store.close();
  }
});

Deno.test("the check removes our rules, armed or not, when the store says their isolation ended (a check that raced a release re-applied them)", async () => {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  try {
    const deps = { store, backend, who: "root" };
    const outcome = await isolate(deps, {
      plan: planUntil("2099-01-01T00:00:00.000Z"),
      selfTest: noForbiddenTarget,
    });
    ok(outcome.ok);
    const held = backend.held;
    await release(deps);
    // The race: a check saw "active, rules gone" between the delete and the store's update,
    // and applied them again.
    backend.held = held;
    strictEqual(await maintain(deps, "check"), undefined);
    strictEqual(backend.held, undefined, "the rules of a released isolation were removed");
    const audit = await store.listIsolationAudit("iso-1");
    deepStrictEqual(audit.at(-1)?.step, "auto-release");
    ok(/released/.test(audit.at(-1)?.detail ?? ""), audit.at(-1)?.detail);
  } finally {
    await store.close();
  }
});
