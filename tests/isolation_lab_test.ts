/**
 * Host isolation for real, in network namespaces only (never this machine's own): the lab of
 * tests/_isolation_lab/lab.ts, the real CLI run inside the lab's "host" namespace. Skips loudly
 * when not root or when `ip`/`nft`/`ss` is missing.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { createServer as createNetServer } from "node:net";
import { connect } from "node:net";
import { buildLab, type Lab, labUnavailable, skipLoudly } from "./_isolation_lab/lab.ts";
import { type IsolationReport, isolationRuleset } from "../actions/isolation/mod.ts";
import { openStore } from "../store/mod.ts";
import { testPostgresUrl } from "../store/_test_backends.ts";
import pg from "pg";

const unavailable = await labUnavailable();
if (unavailable !== undefined) skipLoudly(unavailable);

const MGMT = ["tcp:10.9.0.10:8443", "tcp:[fd00:9::10]:8443"];
const C2 = ["tcp:10.9.0.20:8080", "tcp:fd00:9::20:8080"];
const DNS = "dns:10.9.0.1";
const TABLE = "iocscan_isolation";

type Report = IsolationReport & { ruleset?: { nftables: unknown[] } };

function reportOf(run: { events: unknown[]; stderr: string; code: number }): Report {
  const events = run.events as Report[];
  ok(events.length === 1, `one JSON object (code ${run.code}): ${run.stderr}`);
  return events[0] as Report;
}

async function assertOpen(lab: Lab, label: string): Promise<void> {
  const probes = await lab.probe(...MGMT, ...C2, DNS, "loopback");
  for (const [spec, probe] of Object.entries(probes)) {
    strictEqual(probe.outcome, "answered", `${label}: ${spec} ${probe.detail}`);
  }
}

async function assertIsolated(lab: Lab, label: string): Promise<void> {
  const probes = await lab.probe(...MGMT, ...C2, DNS, "loopback");
  for (const spec of [...MGMT, DNS, "loopback"]) {
    strictEqual(
      probes[spec]?.outcome,
      "answered",
      `${label}: allowed ${spec} ${probes[spec]?.detail}`,
    );
  }
  for (const spec of C2) {
    strictEqual(
      probes[spec]?.outcome,
      "refused",
      `${label}: forbidden ${spec} ${probes[spec]?.detail}`,
    );
    ok(
      (probes[spec]?.ms ?? 1e9) < 100,
      `${label}: ${spec} refused within 100 ms (${probes[spec]?.ms} ms)`,
    );
  }
}

Deno.test({
  name:
    "iocscan isolate/isolation in a network namespace: allow-list, C2 cut, tamper, boot, extend, release, what-if, rollback, dead-man timer",
  ignore: unavailable !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const lab = await buildLab();
    const dir = await Deno.makeTempDir({ prefix: "iocscan-isolation-lab-" });
    const db = join(dir, "results.db");
    const units = join(dir, "units");
    const isolateArgs = [
      "isolate",
      "--allow",
      "mgmt.lab:8443/tcp",
      "--probe",
      "10.9.0.20:8080",
      "--reason",
      "C2 beacon",
      "--db",
      db,
      "--unit-dir",
      units,
      "--json",
    ];
    try {
      await t.step("before: every peer answers", () => assertOpen(lab, "before"));

      await t.step(
        "--what-if prints the resolved allow-list and the exact rule set, changes nothing",
        async () => {
          const before = await lab.ruleset();
          const run = await lab.cli([...isolateArgs, "--duration", "2h", "--what-if"]);
          strictEqual(run.code, 0, run.stderr);
          const report = reportOf(run);
          strictEqual(report.state, "what-if");
          deepStrictEqual(
            report.allow.map((rule) => `${rule.address}|${rule.port}|${rule.protocol}`),
            ["10.9.0.1|53|udp", "10.9.0.1|53|tcp", "10.9.0.10|8443|tcp", "fd00:9::10|8443|tcp"],
          );
          const elements = (report.ruleset?.nftables[5] as {
            add: { element: { elem: { elem: { timeout: number } }[] } };
          }).add.element.elem;
          const timeout = elements[0]?.elem.timeout ?? 0;
          ok(timeout > 7_190 && timeout <= 7_200, `timeout ${timeout} s is the duration`);
          const hash =
            (report.ruleset?.nftables[9] as { add: { rule: { comment: string } } }).add.rule
              .comment.split(" ")[2];
          deepStrictEqual(
            report.ruleset,
            isolationRuleset(
              { id: report.id, expiresAt: report.expiresAt, allow: report.allow },
              timeout,
              hash,
            ),
          );
          deepStrictEqual(await lab.ruleset(), before, "no rule changed");
          ok(!(await Deno.stat(db).then(() => true, () => false)), "no store written");
          await assertOpen(lab, "after what-if");
        },
      );

      await t.step("a broken rule set changes nothing", async () => {
        const before = await lab.ruleset();
        const broken = lab.start("apply_plan.ts", [JSON.stringify({
          id: "broken",
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
          allow: [{ address: "10.9.0.999", why: "broken" }],
        })]);
        const line = await broken.line("");
        ok(line.startsWith("refused nft refused the rule set, nothing changed"), line);
        deepStrictEqual(await lab.ruleset(), before);
        await assertOpen(lab, "after a broken rule set");
      });

      const holder = lab.start("holder.ts", ["10.9.0.20", "8080"]);
      await holder.line("connected");
      let isolationId = "";
      await t.step(
        "isolate: applied, self-tested, C2 cut (v4, v6, existing connection), allowed peers and DNS open, loopback intact",
        async () => {
          const run = await lab.cli([...isolateArgs, "--duration", "10m"]);
          strictEqual(run.code, 0, run.stderr);
          const report = reportOf(run);
          isolationId = report.id;
          strictEqual(report.state, "active");
          strictEqual(report.applied, true);
          strictEqual(report.reason, "C2 beacon");
          deepStrictEqual(report.audit.map((record) => [record.step, record.outcome]), [
            ["apply", "ok"], // the boot and tamper tasks, installed first
            ["apply", "ok"],
            ["self-test", "ok"],
          ]);
          const selfTest = report.audit[2]?.selfTest;
          strictEqual(selfTest?.allowed.passed, true);
          strictEqual(selfTest?.allowed.target, "10.9.0.10:8443/tcp");
          strictEqual(selfTest?.forbidden.passed, true);
          strictEqual(selfTest?.forbidden.target, "10.9.0.20:8080/tcp");
          ok((selfTest?.forbidden.ms ?? 1e9) < 5_000);
          ok(
            // The holder's connection, and the self-test's probe of C2 before the isolation
            // when its closing socket is still listed.
            /[12] existing connections cut/.test(report.audit[1]?.detail ?? ""),
            report.audit[1]?.detail,
          );
          ok(/^closed /.test(await holder.line("closed")), "the long-lived C2 connection was cut");
          await assertIsolated(lab, "isolated");
          const written = (await Array.fromAsync(Deno.readDir(units))).map((entry) => entry.name)
            .sort();
          deepStrictEqual(written, [
            "iocscan-isolation-boot.service",
            "iocscan-isolation-check.service",
            "iocscan-isolation-check.timer",
          ]);
          const boot = await Deno.readTextFile(join(units, "iocscan-isolation-boot.service"));
          ok(boot.includes(`isolation boot --db ${db}`), boot);
          // A second isolation is refused while this one is active.
          const again = await lab.cli([...isolateArgs, "--duration", "10m"]);
          strictEqual(again.code, 2);
          ok(/is active until/.test(again.stderr), again.stderr);
        },
      );
      await holder.kill();

      await t.step("another table's accept does not reopen C2; nor does iptables'", async () => {
        const foreign = JSON.stringify({
          nftables: [
            { add: { table: { family: "inet", name: "foreign" } } },
            {
              add: {
                chain: {
                  family: "inet",
                  table: "foreign",
                  name: "out",
                  type: "filter",
                  hook: "output",
                  prio: 0,
                  policy: "accept",
                },
              },
            },
            {
              add: {
                rule: {
                  family: "inet",
                  table: "foreign",
                  chain: "out",
                  expr: [
                    {
                      match: {
                        op: "==",
                        left: { payload: { protocol: "ip", field: "daddr" } },
                        right: "10.9.0.20",
                      },
                    },
                    { accept: null },
                  ],
                },
              },
            },
          ],
        });
        const added = await lab.run("sh", ["-c", `printf '%s' '${foreign}' | nft -j -f -`]);
        strictEqual(added.code, 0, added.stderr);
        const iptables = await lab.run("iptables", [
          "-A",
          "OUTPUT",
          "-d",
          "10.9.0.20",
          "-j",
          "ACCEPT",
        ])
          .catch(() => undefined);
        if (iptables === undefined || iptables.code !== 0) {
          console.error(
            `\n*** SKIPPING the iptables half: iptables is not usable here (${
              iptables?.stderr.trim() ?? "not installed"
            }) ***\n`,
          );
        }
        await assertIsolated(lab, "with foreign accepts");
        await lab.run("nft", ["delete", "table", "inet", "foreign"]);
        if (iptables?.code === 0) await lab.run("iptables", ["-F", "OUTPUT"]);
      });

      await t.step(
        "tamper: the table deleted, isolation check re-applies it and audits",
        async () => {
          strictEqual((await lab.run("nft", ["delete", "table", "inet", TABLE])).code, 0);
          strictEqual((await lab.probe(C2[0] ?? ""))[C2[0] ?? ""]?.outcome, "answered");
          const run = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(run.code, 0, run.stderr);
          const report = reportOf(run);
          const last = report.audit.at(-1);
          strictEqual(last?.step, "tamper-reapply");
          strictEqual(last?.outcome, "ok");
          ok(/the rules were gone/.test(last?.detail ?? ""), last?.detail);
          ok(last?.who.endsWith("(iocscan isolation check)"), last?.who);
          await assertIsolated(lab, "after tamper re-apply");
          // In place, the check does nothing.
          const quiet = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(reportOf(quiet).state, "none");
        },
      );

      await t.step("simulated reboot before the deadline: isolation boot re-applies", async () => {
        strictEqual((await lab.run("nft", ["delete", "table", "inet", TABLE])).code, 0);
        const run = await lab.cli(["isolation", "boot", "--db", db, "--json"]);
        strictEqual(run.code, 0, run.stderr);
        strictEqual(reportOf(run).audit.at(-1)?.step, "boot-reapply");
        await assertIsolated(lab, "after boot re-apply");
      });

      await t.step("extend: a new deadline in the kernel's set and the store", async () => {
        const run = await lab.cli([
          "isolation",
          "extend",
          "--duration",
          "3h",
          "--db",
          db,
          "--json",
        ]);
        strictEqual(run.code, 0, run.stderr);
        const report = reportOf(run);
        const left = Date.parse(report.expiresAt) - Date.now();
        ok(left > 3 * 3_600_000 - 60_000 && left <= 3 * 3_600_000, `deadline ${report.expiresAt}`);
        strictEqual(report.audit.at(-1)?.step, "extend");
        const state = nftStateOf(await lab.ruleset());
        ok(state > 3 * 3_600 - 60 && state <= 3 * 3_600, `kernel expiry ${state} s`);
        await assertIsolated(lab, "after extend");
        const status = await lab.cli(["isolation", "status", "--db", db, "--json"]);
        strictEqual(reportOf(status).expiresAt, report.expiresAt);
        const text = await lab.cli(["isolation", "status", "--db", db]);
        ok(text.stdout.includes(`Isolation ${isolationId}: active (rules in place)`), text.stdout);
      });

      await t.step("release restores everything", async () => {
        const run = await lab.cli(["isolation", "release", "--db", db, "--json"]);
        strictEqual(run.code, 0, run.stderr);
        const report = reportOf(run);
        strictEqual(report.state, "released");
        strictEqual(report.audit.at(-1)?.step, "release");
        ok(!(await lab.hasTable()));
        await assertOpen(lab, "after release");
      });

      await t.step("after the deadline: boot and check clean up, state expired", async () => {
        // Without --probe, the forbidden half tries TCP 443 of the default gateway (10.9.0.1).
        const withoutProbe = isolateArgs.filter((arg, at) =>
          arg !== "--probe" && isolateArgs[at - 1] !== "--probe"
        );
        const run = await lab.cli([...withoutProbe, "--duration", "1m"]);
        strictEqual(run.code, 0, run.stderr);
        const id = reportOf(run).id;
        const forbidden = reportOf(run).audit[2]?.selfTest?.forbidden;
        strictEqual(forbidden?.target, "10.9.0.1:443/tcp");
        // 10.9.0.1 does not listen on 443: it refused before the isolation too, so the probe
        // proves nothing about our rules (not "passed").
        strictEqual(forbidden?.passed, undefined, JSON.stringify(forbidden));
        const store = await openStore(db);
        await store.updateIsolation(id, { expiresAt: new Date(Date.now() - 1_000).toISOString() });
        await store.close();
        // Reboot after the deadline: the table is gone, boot cleans up.
        strictEqual((await lab.run("nft", ["delete", "table", "inet", TABLE])).code, 0);
        const boot = await lab.cli(["isolation", "boot", "--db", db, "--json"]);
        strictEqual(boot.code, 0, boot.stderr);
        const report = reportOf(boot);
        strictEqual(report.state, "expired");
        strictEqual(report.audit.at(-1)?.step, "boot-cleanup");
        ok(!(await lab.hasTable()), "boot applied nothing after the deadline");
        await assertOpen(lab, "after boot cleanup");
      });

      await t.step("a failed self-test rolls back and says so (exit 2)", async () => {
        const run = await lab.cli([
          "isolate",
          "--allow",
          "10.9.0.10:9/tcp",
          "--probe",
          "10.9.0.20:8080",
          "--db",
          db,
          "--unit-dir",
          units,
          "--duration",
          "10m",
          "--json",
        ]);
        strictEqual(run.code, 2);
        const report = reportOf(run);
        strictEqual(report.state, "rolled-back");
        deepStrictEqual(report.audit.map((record) => [record.step, record.outcome]), [
          ["apply", "ok"],
          ["apply", "ok"],
          ["self-test", "failed"],
          ["rollback", "ok"],
        ]);
        ok(/self-test failed/.test(run.stderr), run.stderr);
        ok(!(await lab.hasTable()));
        await assertOpen(lab, "after rollback");
      });

      await t.step(
        "dead-man: a 3-second isolation lifts by itself with its process killed",
        async () => {
          const applier = lab.start("apply_plan.ts", [JSON.stringify({
            id: "dead-man",
            expiresAt: new Date(Date.now() + 3_000).toISOString(),
            allow: [],
          })]);
          strictEqual(await applier.line(""), "applied");
          await applier.kill();
          const during = await lab.probe(...C2);
          for (const spec of C2) strictEqual(during[spec]?.outcome, "refused", spec);
          await new Promise((resolve) => setTimeout(resolve, 3_500));
          await assertOpen(lab, "after the kernel's deadline");
          // The inert table is then removed by the check (no active isolation behind it).
          const check = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(check.code, 0, check.stderr);
          ok(!(await lab.hasTable()));
        },
      );

      await t.step("PostgreSQL-backed state and audit", async () => {
        const url = await testPostgresUrl();
        if (url === undefined) return;
        await pgThroughLab(lab, url, isolateArgs);
      });
    } finally {
      await lab.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** The armed set's longest remaining `expires`, in seconds. */
function nftStateOf(ruleset: { nftables: Record<string, unknown>[] }): number {
  let most = 0;
  for (const object of ruleset.nftables) {
    const set = object.set as
      | { name?: string; elem?: { elem?: { expires?: number } }[] }
      | undefined;
    if (set?.name !== "armed") continue;
    for (const element of set.elem ?? []) most = Math.max(most, element.elem?.expires ?? 0);
  }
  return most;
}

/**
 * Runs isolate/status/release against a fresh PostgreSQL database, reached from inside the lab
 * through a Unix socket the test serves (so no interface is added to this machine's namespace).
 */
async function pgThroughLab(lab: Lab, serverUrl: string, isolateArgs: readonly string[]) {
  const name = `iocscan_iso_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const server = new URL(serverUrl);
  const socketDir = await Deno.makeTempDir({ prefix: "iocscan-iso-pg-" });
  const socketPath = join(socketDir, "pg.sock");
  // The database "goes down" when the bridge drops every connection.
  let databaseDown = false;
  const bridge = createNetServer((client) => {
    if (databaseDown) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: server.hostname, port: Number(server.port || 5432) });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => bridge.listen(socketPath, () => resolve()));
  const forward = lab.start("forward.ts", ["15432", socketPath]);
  try {
    await forward.line("ready");
    const url = new URL(serverUrl);
    url.hostname = "127.0.0.1";
    url.port = "15432";
    url.pathname = `/${name}`;
    const db = url.toString();
    const args = [...isolateArgs];
    args[args.indexOf("--db") + 1] = db;
    const run = await lab.cli([...args, "--duration", "5m"]);
    strictEqual(run.code, 0, run.stderr);
    const report = reportOf(run);
    strictEqual(report.state, "active");
    ok(
      !report.allow.some((rule) => rule.address === "127.0.0.1"),
      "a database on loopback needs no rule: loopback is always open",
    );
    const units = args[args.indexOf("--unit-dir") + 1] ?? "";
    const bootUnit = await Deno.readTextFile(join(units, "iocscan-isolation-boot.service"));
    ok(
      bootUnit.includes(`--state-dir ${lab.stateDir}`),
      `the boot unit names the record: ${bootUnit}`,
    );
    const record = join(lab.stateDir, "isolation.json");
    strictEqual((await Deno.stat(record)).mode! & 0o777, 0o600, "the local record is root's only");
    strictEqual((await Deno.stat(lab.stateDir)).mode! & 0o777, 0o700);

    // A reboot with the database unreachable: the boot task re-applies from the local record.
    databaseDown = true;
    strictEqual((await lab.run("nft", ["delete", "table", "inet", TABLE])).code, 0);
    await assertOpen(lab, "after the reboot, before the boot task");
    const boot = await lab.cli(["isolation", "boot", "--db", db, "--json"]);
    strictEqual(boot.code, 3, `worked from the local record: exit 3 (${boot.stderr})`);
    ok(/worked from the local record/.test(boot.stderr), boot.stderr);
    ok(/1 audit records queued/.test(boot.stderr), boot.stderr);
    strictEqual(reportOf(boot).audit.at(-1)?.step, "boot-reapply");
    await assertIsolated(lab, "re-applied from the local record");

    // A tampered record is refused and the rules are left as they are.
    const good = await Deno.readTextFile(record);
    await Deno.chmod(record, 0o644);
    strictEqual((await lab.run("nft", ["delete", "table", "inet", TABLE])).code, 0);
    const refused = await lab.cli(["isolation", "boot", "--db", db, "--json"]);
    strictEqual(refused.code, 2, refused.stderr);
    ok(/refused, the rules are left as they are/.test(refused.stderr), refused.stderr);
    ok(!(await lab.hasTable()), "nothing applied from a tampered record");
    await Deno.chmod(record, 0o600);
    strictEqual((await lab.cli(["isolation", "check", "--db", db, "--json"])).code, 3);
    await assertIsolated(lab, "the check re-applied from the local record");

    // After the local record's deadline, the boot task cleans up (the record says when).
    const lapsed = JSON.parse(good);
    const past = new Date(Date.now() - 1_000).toISOString();
    lapsed.isolation.expiresAt = lapsed.isolation.plan.expiresAt = past;
    await Deno.writeTextFile(record, JSON.stringify(lapsed), { mode: 0o600 });
    const cleanup = await lab.cli(["isolation", "boot", "--db", db, "--json"]);
    strictEqual(cleanup.code, 3, cleanup.stderr);
    strictEqual(reportOf(cleanup).audit.at(-1)?.step, "boot-cleanup");
    ok(!(await lab.hasTable()), "cleaned up after the deadline");
    ok(!(await Deno.stat(record).then(() => true, () => false)), "the record removed");
    await assertOpen(lab, "after the local record's deadline");

    // The database is back: the store still says active (the local record never lifts that), so
    // the check applies the isolation again; the queued audit reached the store first.
    databaseDown = false;
    const back = await lab.cli(["isolation", "check", "--db", db, "--json"]);
    strictEqual(back.code, 0, back.stderr);
    ok(/3 queued audit records moved into the store/.test(back.stderr), back.stderr);
    await assertIsolated(lab, "the store's isolation, applied again");
    ok(await Deno.stat(record).then(() => true, () => false), "the record written again");

    const released = await lab.cli(["isolation", "release", "--db", db, "--json"]);
    strictEqual(released.code, 0, released.stderr);
    ok(!(await Deno.stat(record).then(() => true, () => false)), "released: the record removed");
    const rows = await new pg.Client({
      connectionString: new URL(`/${name}`, serverUrl).toString(),
    });
    await rows.connect();
    const audit = await rows.query("select step from isolation_audit order by id");
    await rows.end();
    deepStrictEqual(audit.rows.map((row: { step: string }) => row.step), [
      "apply",
      "apply",
      "self-test",
      "boot-reapply",
      "tamper-reapply",
      "boot-cleanup",
      "tamper-reapply",
      "release",
    ]);
  } finally {
    await forward.kill();
    bridge.close();
    await Deno.remove(socketDir, { recursive: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
