import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { ActionEvent, DetectionEvent } from "../../contracts/events.ts";
import { openStore } from "../../store/mod.ts";
import { fakeBackend } from "./_fake_backend.ts";
import { createIsolationAction } from "./isolation_action.ts";

const detection: DetectionEvent = {
  type: "detection",
  runId: 9,
  ioc: {
    id: "ioc-7",
    sha256: "ab".repeat(32),
    name: "Beacon",
    file: "/iocs/b.ioc",
    version: "1.1",
  },
  evidence: [],
};

async function respond(whatIf: boolean, detections: DetectionEvent[]) {
  const store = await openStore(":memory:");
  const backend = fakeBackend();
  const events: ActionEvent[] = [];
  const action = createIsolationAction({
    store,
    backend,
    who: "root",
    durationMs: 3_600_000,
    dns: { servers: [], problems: [] },
    selfTest: { gateway: () => Promise.resolve(undefined) },
    installTasks: () => Promise.resolve("tasks: not installed by this test"),
  });
  await action.respond({
    runId: 9,
    detections,
    whatIf,
    signal: new AbortController().signal,
    report: (event) => events.push(event),
  });
  const isolations = await store.listIsolations();
  const audit = isolations[0] === undefined ? [] : await store.listIsolationAudit(isolations[0].id);
  await store.close();
  return { events, backend, isolations, audit };
}

Deno.test("createIsolationAction isolates on a detection, with the run id and IOC ids in the audit", async () => {
  const { events, backend, audit } = await respond(false, [detection, detection]);
  strictEqual(events.length, 1);
  strictEqual(events[0]?.action, "isolate");
  strictEqual(events[0]?.outcome, "isolated");
  strictEqual(events[0]?.runId, 9);
  deepStrictEqual(events[0]?.iocs, [{ id: "ioc-7", sha256: "ab".repeat(32) }]);
  ok(backend.held !== undefined);
  deepStrictEqual(audit[0]?.iocIds, ["ioc-7"]);
  strictEqual(audit[0]?.runId, 9);
  strictEqual(audit[0]?.reason, "detections: Beacon");
});

Deno.test("createIsolationAction: what-if changes nothing; no detection, no isolation", async () => {
  const whatIf = await respond(true, [detection]);
  strictEqual(whatIf.events[0]?.outcome, "what-if");
  ok(/would isolate until .*rule set sha256/.test(whatIf.events[0]?.detail ?? ""));
  deepStrictEqual(whatIf.backend.calls, []);
  deepStrictEqual(whatIf.isolations, []);
  const clean = await respond(false, []);
  deepStrictEqual(clean.events, []);
  deepStrictEqual(clean.backend.calls, []);
});
