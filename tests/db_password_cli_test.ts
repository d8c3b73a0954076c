/**
 * A PostgreSQL password given in `--db` or a task file's `databasePath` is
 * used, warned about, and never stored or shown: not in any text column of any
 * table, not in `results` output (text or --json), not on stderr. Runs the real
 * CLI against IOCSCAN_TEST_PG_URL (skips loudly without it). The test server
 * trusts local connections, so it ignores the password: what is checked here is
 * where the password goes, which is the same either way.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import pg from "pg";
import { testPostgresUrl } from "../store/_test_backends.ts";
import { runCli } from "./_cli.ts";

const demoIoc = new URL("../demo/iocs/invoice_dropper.ioc", import.meta.url).pathname;
const secret = "Pw-7f3a-NeverStored";

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every text value of every table of the database, as one string per cell. */
async function allText(url: string): Promise<string[]> {
  const columns = await query<{ table_name: string; column_name: string }>(
    url,
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb')`,
  );
  ok(columns.length > 5, "the store's tables exist");
  const cells: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const rows = await query<{ v: string | null }>(
      url,
      `SELECT "${column}"::text AS v FROM "${table}"`,
    );
    for (const row of rows) if (row.v !== null) cells.push(row.v);
  }
  return cells;
}

Deno.test("a PostgreSQL password in --db or a task file is never stored, printed or logged", async () => {
  const server = await testPostgresUrl();
  if (server === undefined) return;
  const name = `iocscan_test_${crypto.randomUUID().replaceAll("-", "")}`;
  await query(server, `CREATE DATABASE ${name}`);
  const dir = await Deno.makeTempDir({ prefix: "iocscan-pw-" });
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    const plain = url.toString();
    url.password = secret;
    const withPassword = url.toString();
    ok(withPassword.includes(secret));
    await Deno.writeTextFile(join(dir, "a.txt"), "nothing here");
    const task = join(dir, "task.json");
    await Deno.writeTextFile(
      task,
      JSON.stringify({
        version: 1,
        iocPaths: [demoIoc],
        scopes: [dir],
        databasePath: withPassword,
        localDatabasePath: join(dir, "local.db"),
      }),
    );
    // A run for PostgreSQL is recorded in a local store first, then uploaded (docs/fleet.md).
    const scan = ["scan", "--ioc", demoIoc, "--scope", dir, "--local-db", join(dir, "local.db")];

    const runs = [
      await runCli([...scan, "--db", withPassword, "--json"]),
      await runCli([...scan, "--db", withPassword]),
      await runCli(["scan", "--task", task, "--json"]),
    ];
    for (const run of runs) {
      strictEqual(run.code, 0, run.stderr);
      ok(run.stderr.includes("holds a password"), `warned: ${run.stderr}`);
      ok(!run.stdout.includes(secret), `not on stdout: ${run.stdout}`);
      ok(!run.stderr.includes(secret), `not on stderr: ${run.stderr}`);
    }
    ok(runs[0]!.stderr.includes("command line"));
    ok(runs[2]!.stderr.includes("task file"));
    ok(runs[1]!.stdout.includes(`--db ${plain}`), runs[1]!.stdout);

    for (
      const args of [
        ["results", "--db", withPassword, "--json"],
        ["results", "--db", withPassword],
        ["results", "--db", withPassword, "--run", "1", "--json"],
        ["results", "--db", withPassword, "--run", "3"],
      ]
    ) {
      const shown = await runCli(args);
      strictEqual(shown.code, 0, shown.stderr);
      ok(!shown.stdout.includes(secret), `${args.join(" ")}: ${shown.stdout}`);
      ok(!shown.stderr.includes(secret), `${args.join(" ")}: ${shown.stderr}`);
    }
    const listed = (await runCli(["results", "--db", plain, "--json"])).stdout;
    strictEqual(listed.trimEnd().split("\n").filter((line) => line.includes('"run"')).length, 3);
    ok(listed.includes(plain), "the stored options keep the URL without its password");

    const cells = await allText(plain);
    ok(cells.length > 0);
    const leaking = cells.filter((cell) => cell.includes(secret));
    strictEqual(leaking.length, 0, `stored: ${leaking.join("\n")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await query(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});

Deno.test("a PostgreSQL password in the URL's query (?password=…) is never stored, printed or logged either", async () => {
  const server = await testPostgresUrl();
  if (server === undefined) return;
  const name = `iocscan_test_${crypto.randomUUID().replaceAll("-", "")}`;
  await query(server, `CREATE DATABASE ${name}`);
  const dir = await Deno.makeTempDir({ prefix: "iocscan-pw-" });
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    const plain = url.toString();
    await Deno.writeTextFile(join(dir, "a.txt"), "nothing here");
    for (const query of [`?password=${secret}`, `?sslmode=disable&password=${secret}`]) {
      const run = await runCli([
        "scan",
        "--ioc",
        demoIoc,
        "--scope",
        dir,
        "--local-db",
        join(dir, "local.db"),
        "--db",
        plain + query,
      ]);
      strictEqual(run.code, 0, run.stderr);
      ok(run.stderr.includes("holds a password"), `warned: ${run.stderr}`);
      ok(!run.stdout.includes(secret), `not on stdout: ${run.stdout}`);
      ok(!run.stderr.includes(secret), `not on stderr: ${run.stderr}`);
      const shown = await runCli(["results", "--db", plain + query, "--json"]);
      strictEqual(shown.code, 0, shown.stderr);
      ok(!shown.stdout.includes(secret), `results: ${shown.stdout}`);
    }
    const leaking = (await allText(plain)).filter((cell) => cell.includes(secret));
    strictEqual(leaking.length, 0, `stored: ${leaking.join("\n")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await query(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
