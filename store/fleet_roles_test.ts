import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import pg from "pg";
import { openStore, type ResultStore } from "./result_store.ts";
import { serverQuery, testFleet } from "./_test_fleet.ts";

const detection = {
  type: "detection" as const,
  ioc: { id: "ioc-1", sha256: "ab".repeat(32), name: "X", file: "/x.ioc", version: "1.1" as const },
  evidence: [],
};

async function recordRun(store: ResultStore, host: string): Promise<number> {
  const runId = await store.startRun({ host, user: "SYSTEM", iocFiles: [] });
  await store.addDetections(runId, [detection]);
  await store.addWarnings(runId, [{ type: "warning", code: "w", message: host }]);
  await store.addSkipped(runId, [{
    type: "skipped",
    collector: "file",
    object: "/a",
    reason: "symlink",
  }]);
  await store.finishRun(runId, { status: "completed", counts: { detections: 1 } });
  return runId;
}

/** Runs `statement` as `url`'s login and returns its error message (undefined: it worked). */
async function attempt(
  url: string,
  password: string,
  statement: string,
): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, password });
  await client.connect();
  try {
    await client.query(statement);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

Deno.test("fleet store: endpoints see and write only their own runs; the admin sees all", async () => {
  const fleet = await testFleet();
  if (fleet === undefined) return;
  try {
    const a = await fleet.endpoint("host_a");
    const b = await fleet.endpoint("host_b");
    const storeA = await openStore(a.url, { password: a.password });
    const storeB = await openStore(b.url, { password: b.password });
    try {
      strictEqual(storeA.fleetRole, "endpoint");
      const runA = await recordRun(storeA, "host-a");
      const runB = await recordRun(storeB, "host-b");
      deepStrictEqual((await storeA.listRuns()).map((run) => run.id), [runA]);
      deepStrictEqual((await storeB.listRuns()).map((run) => run.id), [runB]);
      strictEqual(await storeA.getRun(runB), undefined);
      strictEqual((await storeA.getRun(runA))?.detections.length, 1);
      // A run of another login cannot be finished (changed) by this one.
      await rejects(storeA.finishRun(runB, { status: "failed", counts: {} }), /there is no run/);
    } finally {
      await storeA.close();
      await storeB.close();
    }
    const admin = await openStore(fleet.adminUrl, { readOnly: true });
    try {
      strictEqual((await admin.listRuns()).length, 2);
    } finally {
      await admin.close();
    }
  } finally {
    await fleet.dispose();
  }
});

Deno.test("fleet store: an endpoint login's forbidden statements fail", async () => {
  const fleet = await testFleet();
  if (fleet === undefined) return;
  try {
    const a = await fleet.endpoint("host_a");
    const b = await fleet.endpoint("host_b");
    const storeB = await openStore(b.url, { password: b.password });
    const runB = await recordRun(storeB, "host-b");
    await storeB.close();
    const forbidden: [string, RegExp][] = [
      ["create table mine (x int)", /permission denied/],
      ["alter table runs add column x int", /must be owner/],
      ["drop table detections", /must be owner/],
      ["truncate runs", /permission denied/],
      ["delete from runs", /permission denied/],
      ["delete from detections", /permission denied/],
      ["update runs set owner_role = 'someone'", /permission denied/],
      ["update runs set host = 'elsewhere'", /permission denied/],
      ["create policy p on runs using (true)", /must be owner/],
      ["alter table runs disable row level security", /must be owner/],
      ["select * from iocscan_migration_lock", /permission denied/],
      [
        "insert into iocscan_migration (name, timestamp) values ('9999_x', 'now')",
        /permission denied/,
      ],
      [
        `insert into runs (host, user_name, started_at, status, owner_role) values ` +
        `('h', 'u', '2026-01-01', 'running', '${b.role}')`,
        /row-level security/,
      ],
      [
        `insert into detections (run_id, ioc_id, ioc_name, ioc_file, ioc_version, evidence_json, ` +
        `stored_at) values (${runB}, 'i', 'n', 'f', '1.1', '[]', 'now')`,
        /row-level security/,
      ],
      ["create temporary table t (x int)", /permission denied/],
    ];
    for (const [statement, expected] of forbidden) {
      const error = await attempt(a.url, a.password, statement);
      ok(error !== undefined, `the endpoint could run: ${statement}`);
      match(error!, expected, statement);
    }
    // What RLS hides is not an error, just nothing.
    strictEqual(
      await attempt(a.url, a.password, `update runs set status = 'failed' where id = ${runB}`),
      undefined,
    );
    const admin = await openStore(fleet.adminUrl, { readOnly: true });
    strictEqual((await admin.getRun(runB))?.run.status, "completed");
    await admin.close();
  } finally {
    await fleet.dispose();
  }
});

Deno.test("fleet store: an endpoint never migrates and refuses a schema older than it needs", async () => {
  const fleet = await testFleet();
  if (fleet === undefined) return;
  try {
    const a = await fleet.endpoint("host_a");
    await serverQuery(
      fleet.adminUrl,
      "delete from iocscan_migration where name = '0007_fleet_store'",
    );
    await rejects(
      openStore(a.url, { password: a.password }),
      /schema is older than this iocscan needs \(missing 0007_fleet_store\).*init-postgres/,
    );
    // Neither does the superuser's scan: only init-postgres migrates a fleet store.
    await rejects(openStore(fleet.adminUrl), /older than this iocscan needs/);
  } finally {
    await fleet.dispose();
  }
});
