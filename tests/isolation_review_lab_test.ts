/**
 * The second read of host isolation (issue 21), for real in network namespaces only (never this
 * machine's own): the lab of tests/_isolation_lab/lab.ts, the real CLI run inside its "host"
 * namespace. Tamper that keeps our table and its comment, a self-test whose forbidden half must
 * not pass for a reason other than our rule, and the kernel's deadline moved by a new apply.
 * Skips loudly when not root or when `ip`/`nft`/`ss` is missing.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildLab, type Lab, labUnavailable, skipLoudly } from "./_isolation_lab/lab.ts";
import type { IsolationReport } from "../actions/isolation/mod.ts";

const unavailable = await labUnavailable();
if (unavailable !== undefined) skipLoudly(unavailable);

const C2 = "tcp:10.9.0.20:8080";
const MGMT = "tcp:10.9.0.10:8443";
const TABLE = "iocscan_isolation";

function reportOf(run: { events: unknown[]; stderr: string; code: number }): IsolationReport {
  const events = run.events as IsolationReport[];
  ok(events.length === 1, `one JSON object (code ${run.code}): ${run.stderr}`);
  return events[0] as IsolationReport;
}

async function outcomeOf(lab: Lab, spec: string): Promise<string | undefined> {
  return (await lab.probe(spec))[spec]?.outcome;
}

async function nft(lab: Lab, ...args: string[]): Promise<void> {
  const result = await lab.run("nft", args);
  strictEqual(result.code, 0, `nft ${args.join(" ")}: ${result.stderr}`);
}

Deno.test({
  name:
    "isolation review: tamper inside our table, the forbidden half's proof, extend in the kernel",
  ignore: unavailable !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const lab = await buildLab();
    const dir = await Deno.makeTempDir({ prefix: "iocscan-isolation-review-" });
    const db = join(dir, "results.db");
    const base = [
      "isolate",
      "--allow",
      "mgmt.lab:8443/tcp",
      "--db",
      db,
      "--unit-dir",
      join(dir, "units"),
      "--duration",
      "10m",
      "--json",
    ];
    const released = async () => {
      await lab.cli(["isolation", "release", "--db", db]);
    };
    try {
      await t.step(
        "the default probe (the gateway's 443, which refuses by itself) proves nothing: not 'passed'",
        async () => {
          strictEqual(await outcomeOf(lab, "tcp:10.9.0.1:443"), "refused", "refuses un-isolated");
          const run = await lab.cli(base);
          strictEqual(run.code, 0, run.stderr);
          const forbidden = reportOf(run).audit[2]?.selfTest?.forbidden;
          strictEqual(forbidden?.target, "10.9.0.1:443/tcp");
          strictEqual(forbidden?.passed, undefined, JSON.stringify(forbidden));
          ok(/before the isolation/.test(forbidden?.detail ?? ""), forbidden?.detail);
        },
      );
      await released();

      await t.step(
        "a forbidden target with no route (silent before and after) proves nothing either",
        async () => {
          const run = await lab.cli([...base, "--probe", "198.51.100.7:80"]);
          strictEqual(run.code, 0, run.stderr);
          const forbidden = reportOf(run).audit[2]?.selfTest?.forbidden;
          strictEqual(forbidden?.passed, undefined, JSON.stringify(forbidden));
        },
      );
      await released();

      await t.step(
        "tamper inside our table (an armed element deleted; an accept inserted) is found and re-applied",
        async () => {
          const run = await lab.cli([...base, "--probe", "10.9.0.20:8080"]);
          strictEqual(run.code, 0, run.stderr);
          const forbidden = reportOf(run).audit[2]?.selfTest?.forbidden;
          strictEqual(forbidden?.passed, true, JSON.stringify(forbidden));
          strictEqual(await outcomeOf(lab, C2), "refused");

          // TCP's element removed from the armed set: the table and its comment stay.
          await nft(lab, "delete", "element", "inet", TABLE, "armed", "{ tcp }");
          strictEqual(await outcomeOf(lab, C2), "answered", "the tamper reopened C2");
          const first = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(first.code, 0, first.stderr);
          const firstAudit = reportOf(first).audit.at(-1);
          strictEqual(firstAudit?.step, "tamper-reapply");
          ok(/the rules were changed/.test(firstAudit?.detail ?? ""), firstAudit?.detail);
          strictEqual(await outcomeOf(lab, C2), "refused", "re-applied");

          // Accepts for C2 inserted at the head of our own input and output chains.
          await nft(
            lab,
            "insert",
            "rule",
            "inet",
            TABLE,
            "output",
            "ip",
            "daddr",
            "10.9.0.20",
            "accept",
          );
          await nft(
            lab,
            "insert",
            "rule",
            "inet",
            TABLE,
            "input",
            "ip",
            "saddr",
            "10.9.0.20",
            "accept",
          );
          strictEqual(await outcomeOf(lab, C2), "answered", "the tamper reopened C2");
          const second = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(second.code, 0, second.stderr);
          strictEqual(reportOf(second).audit.at(-1)?.step, "tamper-reapply");
          strictEqual(await outcomeOf(lab, C2), "refused", "re-applied");
          strictEqual(await outcomeOf(lab, MGMT), "answered");

          // One element given a short timeout: the kernel would open TCP early.
          await nft(lab, "delete", "element", "inet", TABLE, "armed", "{ tcp }");
          await nft(lab, "add", "element", "inet", TABLE, "armed", "{ tcp timeout 30s }");
          const third = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(reportOf(third).audit.at(-1)?.step, "tamper-reapply");

          // Untouched: the check does nothing.
          const quiet = await lab.cli(["isolation", "check", "--db", db, "--json"]);
          strictEqual(reportOf(quiet).state, "none");
        },
      );
      await released();

      await t.step(
        "a new apply moves the kernel's deadline: 3 s, then 7 s with every process killed",
        async () => {
          const plan = (seconds: number) =>
            JSON.stringify({
              id: "moved",
              expiresAt: new Date(Date.now() + seconds * 1_000).toISOString(),
              allow: [],
            });
          const first = lab.start("apply_plan.ts", [plan(3)]);
          strictEqual(await first.line(""), "applied");
          await first.kill();
          const second = lab.start("apply_plan.ts", [plan(7)]);
          strictEqual(await second.line(""), "applied");
          await second.kill();
          await new Promise((resolve) => setTimeout(resolve, 4_000));
          strictEqual(await outcomeOf(lab, C2), "refused", "still isolated after the first 3 s");
          await new Promise((resolve) => setTimeout(resolve, 3_500));
          deepStrictEqual(await outcomeOf(lab, C2), "answered", "lifted at the moved deadline");
          await nft(lab, "delete", "table", "inet", TABLE);
        },
      );
    } finally {
      await lab.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
