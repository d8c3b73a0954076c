import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import type { IsolationPlan } from "./contract.ts";
import { FakeBfe } from "./_fake_bfe.ts";
import { engineSelfCommand } from "./engine_command.ts";
import {
  buildWfpFilters,
  toFilterRecord,
  wfpProviderKey,
  wfpRulesetHash,
  wfpSublayerKey,
} from "./wfp_filters.ts";
import { type IsolationTaskScheduler, schtasksScheduler } from "./windows_release_tasks.ts";
import { wfpBackend } from "./windows_wfp_backend.ts";

const plan: IsolationPlan = {
  id: "iso-7",
  expiresAt: "2026-12-07T14:00:00.000Z",
  allow: [{ address: "10.0.0.10", port: 8443, protocol: "tcp", why: "management" }],
};

function tasks(fail?: Error) {
  const calls: string[] = [];
  const scheduler: IsolationTaskScheduler = {
    register(p) {
      calls.push(`register ${p.expiresAt}`);
      return fail ? Promise.reject(fail) : Promise.resolve();
    },
    remove() {
      calls.push("remove");
      return Promise.resolve();
    },
  };
  return { calls, scheduler };
}

const noSever = { readRows: () => Promise.reject(new Error("not used")), setTcpEntry: () => 0 };

function setup(fail?: Error) {
  const bfe = new FakeBfe();
  const scheduled = tasks(fail);
  const backend = wfpBackend({ api: bfe, tasks: scheduled.scheduler, sever: noSever });
  return { bfe, scheduled, backend };
}

Deno.test("wfpBackend.apply: provider, sublayer and every filter in one transaction, then the release tasks", async () => {
  const { bfe, scheduled, backend } = setup();
  strictEqual(backend.mechanism, "wfp");
  await backend.apply(plan);
  const filters = buildWfpFilters(plan);
  deepStrictEqual(bfe.calls, [
    "FwpmEngineOpen0",
    "FwpmTransactionBegin0",
    "FwpmFilterEnum0",
    "FwpmFilterEnum0",
    "FwpmFilterEnum0",
    "FwpmFilterEnum0",
    "FwpmSubLayerDeleteByKey0",
    "FwpmProviderDeleteByKey0",
    "FwpmProviderAdd0",
    "FwpmSubLayerAdd0",
    ...filters.map(() => "FwpmFilterAdd0"),
    "FwpmTransactionCommit0",
    "FwpmEngineClose0",
  ]);
  deepStrictEqual([...bfe.state.providers], [wfpProviderKey]);
  deepStrictEqual([...bfe.state.sublayers], [wfpSublayerKey]);
  // What reached the BFE, decoded from its bytes, is what the builder said.
  const hash = await wfpRulesetHash(plan);
  const tag = new TextEncoder().encode(
    JSON.stringify({ isolationId: "iso-7", expiresAt: plan.expiresAt, rulesetHash: hash }),
  );
  deepStrictEqual(
    bfe.filters().map(({ filterId: _id, filterKey: _key, ...rest }) => rest),
    filters.map((spec) => toFilterRecord(spec, tag)),
  );
  deepStrictEqual(scheduled.calls, ["register 2026-12-07T14:00:00.000Z"]);
  deepStrictEqual(await backend.state(), {
    applied: true,
    rulesetHash: hash,
    expiresAt: plan.expiresAt,
  });
});

Deno.test("wfpBackend.apply: a filter add failing mid-transaction aborts, leaves nothing and registers no task", async () => {
  const { bfe, scheduled, backend } = setup();
  bfe.failures.set("FwpmFilterAdd0#5", 0x80320035);
  await rejects(
    backend.apply(plan),
    /FwpmFilterAdd0 \(iocscan isolation: permit dhcp at ALE_AUTH_CONNECT_V4\) failed with 0x80320035/,
  );
  ok(bfe.calls.includes("FwpmTransactionAbort0"));
  strictEqual(bfe.calls.includes("FwpmTransactionCommit0"), false);
  strictEqual(bfe.calls.at(-1), "FwpmEngineClose0");
  deepStrictEqual(bfe.filters(), []);
  deepStrictEqual([...bfe.state.providers, ...bfe.state.sublayers], []);
  deepStrictEqual(scheduled.calls, []);
  deepStrictEqual(await backend.state(), { applied: false });
});

Deno.test("wfpBackend.apply: a failure while an isolation is in place keeps the old one whole", async () => {
  const { bfe, backend } = setup();
  await backend.apply(plan);
  const before = bfe.filters();
  bfe.failures.set("FwpmFilterAdd0#21", 5);
  await rejects(
    backend.apply({ ...plan, expiresAt: "2026-12-08T00:00:00.000Z" }),
    /failed with 0x00000005/,
  );
  deepStrictEqual(bfe.filters(), before);
  strictEqual((await backend.state()).expiresAt, plan.expiresAt);
});

Deno.test("wfpBackend.apply again (extend): the rule set is replaced, not doubled", async () => {
  const { bfe, scheduled, backend } = setup();
  await backend.apply(plan);
  const count = bfe.filters().length;
  await backend.apply({ ...plan, expiresAt: "2026-12-08T00:00:00.000Z" });
  strictEqual(bfe.filters().length, count);
  strictEqual((await backend.state()).expiresAt, "2026-12-08T00:00:00.000Z");
  deepStrictEqual(scheduled.calls, [
    "register 2026-12-07T14:00:00.000Z",
    "register 2026-12-08T00:00:00.000Z",
  ]);
});

Deno.test("wfpBackend.apply: a bad allow rule fails before the BFE is opened", async () => {
  const { bfe, backend } = setup();
  await rejects(
    backend.apply({ ...plan, allow: [{ address: "c2.example", why: "x" }] }),
    /not an IP address/,
  );
  deepStrictEqual(bfe.calls, []);
});

Deno.test("wfpBackend.apply: a store the release task cannot hold fails before the BFE is opened", async () => {
  const bfe = new FakeBfe();
  const backend = wfpBackend({
    api: bfe,
    sever: noSever,
    tasks: schtasksScheduler({
      command: { program: "C:\\IocScan\\bin\\iocscan.exe", arguments: [] },
      tail: ["--db", "postgres://scan:s3cret@db/iocs"],
      run: () => ({ code: 0, output: "" }),
    }),
  });
  await rejects(backend.apply(plan), /a database password cannot go into a scheduled task/);
  deepStrictEqual(bfe.calls, []);
});

Deno.test("wfpBackend.apply: when the release task cannot be registered the filters are removed again", async () => {
  const { bfe, backend } = setup(new Error("Task Scheduler refused \\IocScan\\IsolationRelease"));
  await rejects(
    backend.apply(plan),
    /release task could not be registered, so the filters were removed again/,
  );
  deepStrictEqual(bfe.filters(), []);
  deepStrictEqual([...bfe.state.providers, ...bfe.state.sublayers], []);
});

Deno.test("wfpBackend.release: filters by id, then sublayer and provider, in a transaction; then the tasks; twice is fine", async () => {
  const { bfe, scheduled, backend } = setup();
  await backend.apply(plan);
  const count = bfe.filters().length;
  bfe.calls.length = 0;
  await backend.release();
  deepStrictEqual(bfe.calls, [
    "FwpmEngineOpen0",
    "FwpmTransactionBegin0",
    "FwpmFilterEnum0",
    "FwpmFilterEnum0",
    "FwpmFilterEnum0",
    "FwpmFilterEnum0",
    ...new Array(count).fill("FwpmFilterDeleteById0"),
    "FwpmSubLayerDeleteByKey0",
    "FwpmProviderDeleteByKey0",
    "FwpmTransactionCommit0",
    "FwpmEngineClose0",
  ]);
  deepStrictEqual(bfe.filters(), []);
  deepStrictEqual([...bfe.state.providers, ...bfe.state.sublayers], []);
  await backend.release();
  deepStrictEqual(scheduled.calls.slice(1), ["remove", "remove"]);
  deepStrictEqual(await backend.state(), { applied: false });
});

Deno.test("wfpBackend.release: a delete the BFE refuses aborts and keeps the isolation and its tasks", async () => {
  const { bfe, scheduled, backend } = setup();
  await backend.apply(plan);
  bfe.failures.set("FwpmFilterDeleteById0#3", 0x8032000a);
  await rejects(backend.release(), /FwpmFilterDeleteById0 \(\d+\) failed with 0x8032000a/);
  strictEqual((await backend.state()).applied, true);
  deepStrictEqual(scheduled.calls, ["register 2026-12-07T14:00:00.000Z"]);
});

Deno.test("wfpBackend.state: a block filter removed by someone else is no isolation in place", async () => {
  const { bfe, backend } = setup();
  await backend.apply(plan);
  const block = [...bfe.state.filters.keys()].at(-1)!;
  bfe.state.filters.delete(block);
  strictEqual((await backend.state()).applied, false);
});

Deno.test("wfpBackend: access denied opening the engine says it needs an administrator", async () => {
  const { bfe, backend } = setup();
  bfe.failures.set("FwpmEngineOpen0", 5);
  await rejects(
    backend.apply(plan),
    /FwpmEngineOpen0 failed with 0x00000005: isolation needs an administrator or SYSTEM/,
  );
  await rejects(backend.state(), /FwpmEngineOpen0/);
});

Deno.test("wfpBackend.render and rulesetHash: the builder's JSON and its hash", async () => {
  const { backend } = setup();
  strictEqual(JSON.parse(backend.render(plan)).filters.length, 16);
  strictEqual(await backend.rulesetHash(plan), await wfpRulesetHash(plan));
});

Deno.test("engineSelfCommand: a compiled engine alone; deno with the script, --allow-all and the config of a checkout", () => {
  deepStrictEqual(
    engineSelfCommand("C:\\IocScan\\bin\\iocscan.exe", "file:///C:/IocScan/bin/iocscan.exe"),
    {
      program: "C:\\IocScan\\bin\\iocscan.exe",
      arguments: [],
    },
  );
  deepStrictEqual(engineSelfCommand("/usr/bin/deno", "file:///src/iocscan/cli/main.ts"), {
    program: "/usr/bin/deno",
    arguments: [
      "run",
      "-q",
      "--allow-all",
      "--v8-flags=--max-semi-space-size=4",
      "--config",
      "/src/iocscan/deno.json",
      "/src/iocscan/cli/main.ts",
    ],
  });
  deepStrictEqual(
    engineSelfCommand("/usr/bin/deno", "file:///opt/IocScan/bin/iocscan.js").arguments.at(-1),
    "/opt/IocScan/bin/iocscan.js",
  );
});
