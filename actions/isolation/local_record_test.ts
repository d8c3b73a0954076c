import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../store/mod.ts";
import type { IsolationPlan } from "./contract.ts";
import { fakeBackend } from "./_fake_backend.ts";
import { extend, isolate, release } from "./isolation_service.ts";
import { maintainFromLocalRecord } from "./local_fallback.ts";
import {
  AUDIT_QUEUE_FILE,
  AUDIT_QUEUE_LIMIT,
  flushAuditQueue,
  LOCAL_RECORD_FILE,
  LocalRecordRefused,
  queueAudit,
  queuedAudit,
  readLocalRecord,
} from "./local_record.ts";
import { withLocalRecord } from "./local_record_store.ts";

const noForbiddenTarget = { gateway: () => Promise.resolve(undefined) };
const FUTURE = new Date(Date.now() + 7_200_000).toISOString();
const SOON = new Date(Date.now() + 120_000).toISOString();
const RULE = { address: "10.9.0.10", port: 8443, protocol: "tcp", why: "--allow mgmt" } as const;
const NOBODY = 65_534;
const posix = Deno.build.os !== "windows";

async function tempPlace() {
  const root = await Deno.makeTempDir({ prefix: "iocscan-local-record-" });
  return { root, place: { folder: join(root, "state") } };
}

Deno.test("the local record is written before the rules go in, follows extend, goes with release", async () => {
  const { root, place } = await tempPlace();
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  let recordedBeforeApply: string | undefined;
  const apply = backend.apply;
  backend.apply = async (plan) => {
    recordedBeforeApply ??= (await readLocalRecord(place))?.expiresAt;
    return apply(plan);
  };
  try {
    const deps = { store: withLocalRecord(store, place), backend, who: "root" };
    const outcome = await isolate(deps, {
      plan: { id: "iso-1", expiresAt: FUTURE, allow: [RULE] },
      selfTest: noForbiddenTarget,
    });
    ok(outcome.ok, outcome.problem);
    strictEqual(recordedBeforeApply, FUTURE, "durable before the apply");
    if (posix) {
      strictEqual((await Deno.stat(join(place.folder, LOCAL_RECORD_FILE))).mode! & 0o777, 0o600);
      strictEqual((await Deno.stat(place.folder)).mode! & 0o777, 0o700);
    }
    deepStrictEqual((await readLocalRecord(place))?.plan, {
      id: "iso-1",
      expiresAt: FUTURE,
      allow: [RULE],
    });
    const extended = await extend(deps, 3_600_000);
    ok(extended.ok);
    strictEqual((await readLocalRecord(place))?.expiresAt, extended.report.expiresAt);
    await release(deps);
    strictEqual(await readLocalRecord(place), undefined, "removed on release");
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a rolled-back or refused isolation leaves no local record", async () => {
  const { root, place } = await tempPlace();
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  backend.failApply = true;
  try {
    const deps = { store: withLocalRecord(store, place), backend, who: "root" };
    const outcome = await isolate(deps, {
      plan: { id: "iso-1", expiresAt: FUTURE, allow: [] },
      selfTest: noForbiddenTarget,
    });
    ok(!outcome.ok);
    strictEqual(await readLocalRecord(place), undefined);
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("without the store, boot re-applies from the local record, queues the audit, and the queue reaches the store", async () => {
  const { root, place } = await tempPlace();
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  try {
    const deps = { store: withLocalRecord(store, place), backend, who: "root" };
    ok(
      (await isolate(deps, {
        plan: { id: "iso-1", expiresAt: FUTURE, allow: [RULE] },
        selfTest: noForbiddenTarget,
      })).ok,
    );
    backend.held = undefined; // the reboot
    const done = await maintainFromLocalRecord(place, backend, "root (boot)", "boot");
    ok(done.found && done.outcome?.ok === true);
    const held = backend.held as IsolationPlan | undefined;
    strictEqual(held?.id, "iso-1", "applied again");
    deepStrictEqual(held?.allow, [RULE]);
    strictEqual(done.queued, 1);
    deepStrictEqual((await queuedAudit(place)).map((record) => record.step), ["boot-reapply"]);
    strictEqual(await flushAuditQueue(place, (record) => store.addIsolationAudit(record)), 1);
    deepStrictEqual(
      (await store.listIsolationAudit("iso-1")).map((record) => record.step),
      ["apply", "self-test", "boot-reapply"],
    );
    deepStrictEqual(await queuedAudit(place), [], "the queue is emptied");
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("without the store, boot cleans up after the local record's deadline and removes it", async () => {
  const { root, place } = await tempPlace();
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  try {
    const deps = { store: withLocalRecord(store, place), backend, who: "root" };
    ok(
      (await isolate(deps, {
        plan: { id: "iso-1", expiresAt: SOON, allow: [] },
        selfTest: noForbiddenTarget,
      })).ok,
    );
    const later = () => new Date(Date.parse(SOON) + 1_000);
    const done = await maintainFromLocalRecord(place, backend, "root", "boot", later);
    ok(done.outcome?.ok);
    strictEqual(backend.held, undefined, "our rules removed");
    strictEqual(await readLocalRecord(place), undefined, "the record removed");
    deepStrictEqual((await queuedAudit(place)).map((record) => record.step), ["boot-cleanup"]);
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
});

/** Each way a record is not ours, and what makes it so. */
const tampering: Record<string, (path: string, good: string) => Promise<void>> = {
  "bad JSON": (path) => Deno.writeTextFile(path, "{not json", { mode: 0o600 }),
  "an allow-all rule": async (path, good) => {
    const record = JSON.parse(good);
    record.isolation.plan.allow = [{ address: "0.0.0.0/0", why: "x" }];
    await Deno.writeTextFile(path, JSON.stringify(record));
  },
  "a rule that is not an address": async (path, good) => {
    const record = JSON.parse(good);
    record.isolation.plan.allow = [{ address: "10.0.0.1; flush ruleset", why: "x" }];
    await Deno.writeTextFile(path, JSON.stringify(record));
  },
  "a plan for another deadline": async (path, good) => {
    const record = JSON.parse(good);
    record.isolation.expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    await Deno.writeTextFile(path, JSON.stringify(record));
  },
  "a deadline beyond the longest isolation": async (path, good) => {
    const record = JSON.parse(good);
    record.isolation.expiresAt = record.isolation.plan.expiresAt = "2999-01-01T00:00:00.000Z";
    await Deno.writeTextFile(path, JSON.stringify(record));
  },
  ...(posix && Deno.uid() === 0
    ? { "another owner": (path: string) => Deno.chown(path, NOBODY, NOBODY) }
    : {}),
  ...(posix
    ? {
      "group and others' bits": (path: string) => Deno.chmod(path, 0o644),
      "a symbolic link": async (path: string, good: string) => {
        const elsewhere = `${path}.elsewhere`;
        await Deno.writeTextFile(elsewhere, good, { mode: 0o600 });
        await Deno.remove(path);
        await Deno.symlink(elsewhere, path);
      },
      "a folder others can enter": (path: string) => Deno.chmod(join(path, ".."), 0o755),
    }
    : {}),
};

for (const [what, tamper] of Object.entries(tampering)) {
  Deno.test(`a local record with ${what} is refused, and the rules are left as they are`, async () => {
    const { root, place } = await tempPlace();
    const store = await openStore(":memory:");
    const backend = fakeBackend();
    try {
      const deps = { store: withLocalRecord(store, place), backend, who: "root" };
      ok(
        (await isolate(deps, {
          plan: { id: "iso-1", expiresAt: FUTURE, allow: [RULE] },
          selfTest: noForbiddenTarget,
        })).ok,
      );
      const path = join(place.folder, LOCAL_RECORD_FILE);
      await tamper(path, await Deno.readTextFile(path));
      backend.held = undefined;
      backend.calls.length = 0;
      await rejects(
        maintainFromLocalRecord(place, backend, "root", "boot"),
        (error) => error instanceof LocalRecordRefused,
      );
      deepStrictEqual(backend.calls, [], "the backend was not touched");
      deepStrictEqual(await queuedAudit(place), []);
    } finally {
      await store.close();
      await Deno.remove(root, { recursive: true });
    }
  });
}

Deno.test("the audit queue is bounded: a full queue refuses a record rather than drop one", async () => {
  const { root, place } = await tempPlace();
  try {
    const record = {
      isolationId: "iso-1",
      step: "boot-reapply" as const,
      at: FUTURE,
      who: "root",
      outcome: "ok" as const,
    };
    const lines = Array.from({ length: AUDIT_QUEUE_LIMIT }, () => JSON.stringify(record));
    await Deno.mkdir(place.folder, { mode: 0o700 });
    await Deno.writeTextFile(join(place.folder, AUDIT_QUEUE_FILE), lines.join("\n") + "\n", {
      mode: 0o600,
    });
    await rejects(queueAudit(place, record), /is not kept/);
    strictEqual((await queuedAudit(place)).length, AUDIT_QUEUE_LIMIT);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a flush the store stops half-way keeps the rest queued, in order, and nothing twice", async () => {
  const { root, place } = await tempPlace();
  try {
    const steps = ["boot-reapply", "tamper-reapply", "auto-release"] as const;
    for (const step of steps) {
      await queueAudit(place, {
        isolationId: "iso-1",
        step,
        at: FUTURE,
        who: "root",
        outcome: "ok",
      });
    }
    const taken: string[] = [];
    await rejects(
      flushAuditQueue(place, (record) => {
        if (taken.length === 1) return Promise.reject(new Error("connection lost"));
        taken.push(record.step);
        return Promise.resolve();
      }),
      /connection lost/,
    );
    deepStrictEqual(taken, ["boot-reapply"]);
    deepStrictEqual((await queuedAudit(place)).map((record) => record.step), [
      "tamper-reapply",
      "auto-release",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
