/**
 * `iocscan isolate` and `iocscan isolation` where nothing is applied, so they run anywhere (no
 * root, no namespace): option errors, `--what-if` (nothing changed, nothing created), and a status
 * with no isolation. Everything that applies rules is in tests/isolation_lab_test.ts.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";

Deno.test("iocscan isolate refuses a duration out of range and a bad --allow (exit 2)", async () => {
  for (
    const [args, message] of [
      [["--duration", "30s"], /from 1 minute \(1m\) to 9,999 hours/],
      [["--duration", "10000h"], /from 1 minute/],
      [["--allow", "a b"], /is not HOST\[:PORT\]\[\/PROTO\]/],
      [["--probe", "10.0.0.1"], /expected HOST:PORT/],
    ] as const
  ) {
    const run = await runCli(["isolate", ...args, "--what-if"]);
    strictEqual(run.code, 2, run.stderr);
    ok(message.test(run.stderr), run.stderr);
  }
});

Deno.test("iocscan isolate --what-if prints the plan and the rule set and creates nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = join(dir, "results.db");
    const run = await runCli([
      "isolate",
      "--what-if",
      "--allow",
      "192.0.2.7:443/tcp",
      "--duration",
      "90m",
      "--db",
      db,
      "--json",
    ]);
    strictEqual(run.code, 0, run.stderr);
    strictEqual(run.events.length, 1);
    const report = run.events[0] as unknown as {
      state: string;
      allow: { address: string; port?: number }[];
      ruleset: { nftables: unknown[] };
      expiresAt: string;
    };
    strictEqual(report.state, "what-if");
    ok(report.allow.some((rule) => rule.address === "192.0.2.7" && rule.port === 443));
    ok(report.ruleset.nftables.length > 10);
    const left = Date.parse(report.expiresAt) - Date.now();
    ok(left > 89 * 60_000 && left <= 90 * 60_000, report.expiresAt);
    deepStrictEqual(await Array.fromAsync(Deno.readDir(dir)), [], "no store created");
    const text = await runCli(["isolate", "--what-if", "--allow", "192.0.2.7", "--db", db]);
    strictEqual(text.code, 0, text.stderr);
    ok(text.stdout.includes("allowed: 192.0.2.7 (--allow 192.0.2.7)"), text.stdout);
    ok(text.stdout.endsWith("Nothing was changed.\n"), text.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan isolation status with no isolation says so (exit 0)", async () => {
  if (Deno.build.os !== "linux") return;
  const dir = await Deno.makeTempDir();
  try {
    const db = join(dir, "results.db");
    const json = await runCli(["isolation", "status", "--db", db, "--json"]);
    strictEqual(json.code, 0, json.stderr);
    deepStrictEqual(json.events, [{ type: "isolation", state: "none", database: db }]);
    const text = await runCli(["isolation", "status", "--db", db]);
    strictEqual(text.stdout, `No isolation is stored in ${db}.\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
