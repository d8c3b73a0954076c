/**
 * `scan --action isolate` for real, in network namespaces only (never this machine's own): the
 * lab of tests/_isolation_lab/lab.ts, the real CLI run inside the lab's "host" namespace. A scan
 * with a detection isolates (one `isolated` action event, the audit naming the run and the IOC,
 * `isolation status` and `results --run` showing it); one without a detection does not; with
 * `--what-if` nothing changes; a bad option value is a usage error before anything runs. Skips
 * loudly when not root or when `ip`/`nft`/`ss` is missing.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildLab, type Lab, labUnavailable, skipLoudly } from "./_isolation_lab/lab.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";
import type { CliEvent } from "./_cli.ts";

const unavailable = await labUnavailable();
if (unavailable !== undefined) skipLoudly(unavailable);

const C2 = "tcp:10.9.0.20:8080";
const MGMT = "tcp:10.9.0.10:8443";

function eventsOf(run: { events: CliEvent[] }, type: string): CliEvent[] {
  return run.events.filter((event) => event.type === type);
}

async function md5Hex(text: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("md5").update(text).digest("hex");
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function assertOpen(lab: Lab, label: string): Promise<void> {
  const probes = await lab.probe(C2, MGMT);
  strictEqual(probes[C2]?.outcome, "answered", `${label}: C2 ${probes[C2]?.detail}`);
}

Deno.test({
  name:
    "scan --action isolate in a network namespace: isolates on a detection (audit with run and IOC ids, status, results), not without one, --what-if changes nothing, bad options exit 2",
  ignore: unavailable !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const lab = await buildLab();
    const dir = await Deno.makeTempDir({ prefix: "iocscan-isolate-action-" });
    const db = join(dir, "results.db");
    const units = join(dir, "units");
    const scanned = join(dir, "scanned");
    const iocs = join(dir, "iocs");
    const quiet = join(dir, "quiet-iocs");
    await Deno.mkdir(scanned);
    await Deno.mkdir(iocs);
    await Deno.mkdir(quiet);
    const content = "beacon config for the isolation test\n";
    await Deno.writeTextFile(join(scanned, "beacon.cfg"), content);
    await Deno.writeTextFile(
      join(iocs, "beacon.ioc"),
      oneItemIoc("iso-beacon", "FileItem", "FileItem/Md5sum", "is", "md5", await md5Hex(content)),
    );
    await Deno.writeTextFile(
      join(quiet, "other.ioc"),
      oneItemIoc("iso-other", "FileItem", "FileItem/Md5sum", "is", "md5", "0".repeat(32)),
    );
    const env = { IOCSCAN_ISOLATION_UNIT_DIR: units };
    const scanArgs = (iocDir: string, ...more: string[]) => [
      "scan",
      "--ioc",
      iocDir,
      "--scope",
      scanned,
      "--db",
      db,
      "--json",
      "--action",
      "isolate",
      "--isolation-allow",
      "mgmt.lab:8443/tcp",
      "--isolation-probe",
      "10.9.0.20:8080",
      ...more,
    ];
    try {
      await t.step("a bad --isolation-duration is a usage error; nothing runs", async () => {
        const run = await lab.cli(scanArgs(iocs, "--isolation-duration", "0m"), env);
        strictEqual(run.code, 2, run.stderr);
        ok(/1 minute/.test(run.stderr), run.stderr);
        ok(!(await exists(db)), "no store written");
        const late = await lab.cli(scanArgs(iocs, "--isolation-allow", "not a peer!"), env);
        strictEqual(late.code, 2, late.stderr);
        ok(/--isolation-allow/.test(late.stderr), late.stderr);
        ok(!(await exists(db)), "no store written");
        strictEqual(await lab.hasTable(), false);
      });

      await t.step("a task file's bad isolationDuration is a usage error", async () => {
        const task = join(dir, "task.json");
        await Deno.writeTextFile(
          task,
          JSON.stringify({
            version: 1,
            iocPaths: [iocs],
            scopes: [scanned],
            actions: ["isolate"],
            isolationDuration: "forever",
          }),
        );
        const run = await lab.cli(["scan", "--task", task, "--json"], env);
        strictEqual(run.code, 2, run.stderr);
        ok(/isolationDuration/.test(run.stderr), run.stderr);
      });

      await t.step("no detection: no isolation, no action event", async () => {
        const run = await lab.cli(scanArgs(quiet), env);
        strictEqual(run.code, 0, run.stderr);
        deepStrictEqual(eventsOf(run, "action"), []);
        strictEqual(await lab.hasTable(), false);
        await assertOpen(lab, "after a clean scan");
      });

      await t.step("--what-if: a what-if action event, nothing changed", async () => {
        const before = await lab.ruleset();
        const run = await lab.cli(scanArgs(iocs, "--what-if"), env);
        strictEqual(run.code, 1, run.stderr);
        const actions = eventsOf(run, "action");
        strictEqual(actions.length, 1, JSON.stringify(actions));
        strictEqual(actions[0]?.outcome, "what-if");
        ok(/would isolate until .*10\.9\.0\.10:8443/.test(String(actions[0]?.detail)));
        deepStrictEqual(await lab.ruleset(), before);
        await assertOpen(lab, "after what-if");
      });

      let runId = 0;
      await t.step("a detection isolates: event, audit, status, results", async () => {
        const run = await lab.cli(scanArgs(iocs, "--isolation-duration", "10m"), env);
        strictEqual(run.code, 1, run.stderr);
        const actions = eventsOf(run, "action");
        strictEqual(actions.length, 1, `${JSON.stringify(actions)} ${run.stderr}`);
        const action = actions[0]!;
        strictEqual(action.action, "isolate");
        strictEqual(action.outcome, "isolated", String(action.detail));
        deepStrictEqual((action.iocs as { id: string }[]).map((ioc) => ioc.id), ["iso-beacon"]);
        runId = Number(action.runId);
        ok(runId > 0);
        const summary = eventsOf(run, "summary")[0];
        deepStrictEqual(summary?.actions, { isolated: 1 });
        strictEqual(await lab.hasTable(), true);
        // The local record the boot and tamper tasks fall back on without the store.
        const record = JSON.parse(
          await Deno.readTextFile(join(lab.stateDir, "isolation.json")),
        ) as { id?: string; isolation?: { id?: string } };
        strictEqual(
          record.isolation?.id ?? record.id,
          action.entry,
          "local record of the isolation",
        );
        const probes = await lab.probe(C2, MGMT);
        strictEqual(probes[C2]?.outcome, "refused", probes[C2]?.detail);
        strictEqual(probes[MGMT]?.outcome, "answered", probes[MGMT]?.detail);

        const status = await lab.cli(["isolation", "status", "--db", db, "--json"]);
        strictEqual(status.code, 0, status.stderr);
        const report = status.events[0] as CliEvent & {
          state: string;
          runId: number;
          iocIds: string[];
          id: string;
          audit: { step: string; outcome: string }[];
        };
        strictEqual(report.state, "active");
        strictEqual(report.id, action.entry);
        strictEqual(report.runId, runId);
        deepStrictEqual(report.iocIds, ["iso-beacon"]);
        // The boot and tamper tasks are installed (the first `apply` record) before the rules go in.
        deepStrictEqual(report.audit.map((record) => [record.step, record.outcome]), [
          ["apply", "ok"],
          ["apply", "ok"],
          ["self-test", "ok"],
        ]);
        ok(await exists(join(units, "iocscan-isolation-boot.service")), "boot unit written");

        const results = await lab.cli(["results", "--db", db, "--run", String(runId), "--json"]);
        strictEqual(results.code, 0, results.stderr);
        const stored = eventsOf(results, "action");
        strictEqual(stored.length, 1, results.stdout);
        strictEqual(stored[0]?.outcome, "isolated");
      });

      await t.step("release restores the network", async () => {
        const released = await lab.cli(["isolation", "release", "--db", db, "--json"]);
        strictEqual(released.code, 0, released.stderr);
        strictEqual(await lab.hasTable(), false);
        await assertOpen(lab, "after release");
      });
    } finally {
      await lab.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
