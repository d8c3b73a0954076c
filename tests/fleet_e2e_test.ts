/**
 * The fleet store through the real CLI (docs/fleet.md): `store init-postgres`, endpoint logins
 * scanning and reading only their own runs, `results --host/--detections-only`, `fleet status`,
 * `fleet retention` as the admin, 20 endpoint processes writing at once, and a run kept in the
 * local store while the server is down (stopped mid-run), uploaded once by the next scan.
 * Needs IOCSCAN_TEST_PG_URL (skips loudly without it); the offline test starts and stops its
 * own throwaway server with tests/start_postgres.sh.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import pg from "pg";
import { testPostgresUrl } from "../store/_test_backends.ts";
import { serverQuery } from "../store/_test_fleet.ts";
import { type LooseEvent, runCli } from "./_cli.ts";

const demoIoc = new URL("../demo/iocs/invoice_dropper.ioc", import.meta.url).pathname;
const startPostgres = new URL("./start_postgres.sh", import.meta.url).pathname;

/** A fleet store made by the CLI on `serverUrl`, with endpoint logins made for the test. */
async function cliFleet(serverUrl: string) {
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const name = `iocscan_fleet_${suffix}`;
  await serverQuery(serverUrl, `CREATE DATABASE ${name}`);
  const admin = new URL(serverUrl);
  admin.pathname = `/${name}`;
  const adminUrl = admin.toString();
  const init = await runCli(["store", "init-postgres", "--admin-url", adminUrl, "--json"]);
  strictEqual(init.code, 0, init.stderr);
  const roles: string[] = [];
  return {
    adminUrl,
    async endpoint(label: string) {
      const role = `${label}_${suffix}`;
      const password = crypto.randomUUID();
      await serverQuery(
        serverUrl,
        `CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE iocscan_endpoint`,
      );
      roles.push(role);
      const url = new URL(adminUrl);
      url.username = role;
      url.password = "";
      return { url: url.toString(), env: { PGPASSWORD: password }, role };
    },
    async dispose() {
      await serverQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      for (const role of roles) await serverQuery(serverUrl, `DROP ROLE IF EXISTS ${role}`);
    },
  };
}

async function scanFolder(files: number, planted = false): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-fleet-" });
  await Deno.mkdir(join(dir, "scope"));
  for (let index = 0; index < files; index++) {
    await Deno.writeTextFile(join(dir, "scope", `f${index}.txt`), `file ${index}`);
  }
  // The demo IOC hits the demo dropper (demo/demo_tree.ts, demo/iocs/invoice_dropper.ioc).
  if (planted) {
    await Deno.writeTextFile(
      join(dir, "scope", "invoice_2026.pdf.exe"),
      "IOCSCAN-DEMO dropper payload. Harmless text planted by deno task demo.\n",
    );
  }
  return dir;
}

function scanArgs(dir: string, db: string): string[] {
  return [
    "scan",
    "--ioc",
    demoIoc,
    "--scope",
    join(dir, "scope"),
    "--local-db",
    join(dir, "local.db"),
    "--db",
    db,
    "--json",
  ];
}

function summaryOf(events: LooseEvent[]): LooseEvent {
  return events.find((event) => event.type === "summary");
}

Deno.test("fleet CLI: init, endpoint scans see only their own runs, the admin's views, retention", async () => {
  const server = await testPostgresUrl();
  if (server === undefined) return;
  const fleet = await cliFleet(server);
  const dir = await scanFolder(3, true);
  try {
    const a = await fleet.endpoint("host_a");
    const b = await fleet.endpoint("host_b");
    const scanA = await runCli<LooseEvent>(scanArgs(dir, a.url), { env: a.env });
    strictEqual(scanA.code, 1, scanA.stderr); // the planted file is a detection
    const fleetA = summaryOf(scanA.events).fleet;
    strictEqual(fleetA.pending, 0, scanA.stdout);
    ok(Number.isInteger(fleetA.runId));
    const scanB = await runCli<LooseEvent>(scanArgs(dir, b.url), { env: b.env });
    strictEqual(scanB.code, 1, scanB.stderr);
    const runB = summaryOf(scanB.events).fleet.runId;

    // An endpoint reads only its own runs.
    const listA = await runCli<LooseEvent>(["results", "--db", a.url, "--json"], { env: a.env });
    strictEqual(listA.code, 0, listA.stderr);
    deepStrictEqual(
      listA.events.filter((event) => event.type === "run").map((event) => event.id),
      [fleetA.runId],
    );
    const other = await runCli(["results", "--db", a.url, "--run", String(runB)], { env: a.env });
    strictEqual(other.code, 2);
    match(other.stderr, /there is no run/);

    // The admin reads the fleet.
    const all = await runCli<LooseEvent>([
      "results",
      "--db",
      fleet.adminUrl,
      "--host",
      "*",
      "--detections-only",
      "--since",
      "1h",
      "--json",
    ]);
    strictEqual(all.code, 0, all.stderr);
    strictEqual(summaryOf(all.events).runs, 2);
    const none = await runCli<LooseEvent>([
      "results",
      "--db",
      fleet.adminUrl,
      "--host",
      "no-such-host-*",
      "--json",
    ]);
    strictEqual(summaryOf(none.events).runs, 0);
    const status = await runCli<LooseEvent>(["fleet", "status", "--db", fleet.adminUrl, "--json"]);
    strictEqual(status.code, 0, status.stderr);
    const hosts = status.events.filter((event) => event.type === "host");
    strictEqual(hosts.length, 1); // both logins scanned this machine
    strictEqual(hosts[0].runs, 2);
    strictEqual(hosts[0].lastRun.status, "completed");
    strictEqual(hosts[0].complete, true);
    strictEqual(hosts[0].detections, 1);
    strictEqual(hosts[0].isolation, "none");
    const text = await runCli(["fleet", "status", "--db", fleet.adminUrl]);
    match(text.stdout, /HOST\s+LAST RUN\s+STATUS\s+COMPLETE\s+DETECTIONS\s+ISOLATION/);

    // Retention: refused to an endpoint, done by the admin.
    const denied = await runCli(
      ["fleet", "retention", "--db", a.url, "--retention-days", "0"],
      { env: a.env },
    );
    strictEqual(denied.code, 2);
    const purged = await runCli<LooseEvent>([
      "fleet",
      "retention",
      "--db",
      fleet.adminUrl,
      "--retention-days",
      "0",
      "--json",
    ]);
    strictEqual(purged.code, 0, purged.stderr);
    strictEqual(summaryOf(purged.events).purgedRuns, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await fleet.dispose();
  }
});

Deno.test("fleet CLI: 20 endpoint processes scan and upload at the same time", async () => {
  const server = await testPostgresUrl();
  if (server === undefined) return;
  const fleet = await cliFleet(server);
  const dir = await scanFolder(2);
  try {
    const endpoints = await Promise.all(
      Array.from({ length: 20 }, (_, index) => fleet.endpoint(`host_${index}`)),
    );
    const scans = await Promise.all(endpoints.map(async (endpoint, index) => {
      const local = join(dir, `local${index}.db`);
      const args = scanArgs(dir, endpoint.url).map((arg) =>
        arg === join(dir, "local.db") ? local : arg
      );
      return await runCli<LooseEvent>(args, { env: endpoint.env });
    }));
    for (const scan of scans) {
      strictEqual(scan.code, 0, scan.stderr + scan.stdout);
      strictEqual(summaryOf(scan.events).fleet.pending, 0, scan.stdout);
    }
    const client = new pg.Client({ connectionString: fleet.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select owner_role, count(*)::int as n from runs group by owner_role",
      );
      deepStrictEqual(
        new Map(rows.map((row: { owner_role: string; n: number }) => [row.owner_role, row.n])),
        new Map(endpoints.map((endpoint) => [endpoint.role, 1])),
      );
    } finally {
      await client.end();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await fleet.dispose();
  }
});

/** A throwaway server of this test's own, which it can stop and start again. */
async function ownServer() {
  const started = await new Deno.Command("bash", { args: [startPostgres], stderr: "piped" })
    .output();
  const stderr = new TextDecoder().decode(started.stderr);
  ok(started.success, stderr);
  const url = new TextDecoder().decode(started.stdout).trim();
  const dir = /cluster in (\S+) /.exec(stderr)![1]!;
  const port = new URL(url).port;
  const asOwner = async (command: string) => {
    const root = Deno.uid() === 0;
    const output = await new Deno.Command(root ? "su" : "sh", {
      args: root ? ["postgres", "-s", "/bin/sh", "-c", command] : ["-c", command],
      stdout: "null",
      stderr: "piped",
    }).output();
    ok(output.success, new TextDecoder().decode(output.stderr));
  };
  const pgCtl = (await new Deno.Command("bash", {
    args: ["-c", `ls -d /usr/lib/postgresql/*/bin | tail -1`],
    stdout: "piped",
  }).output()).stdout;
  const bin = new TextDecoder().decode(pgCtl).trim();
  return {
    url,
    dir,
    stop: () => asOwner(`'${bin}/pg_ctl' -D '${dir}/data' -m immediate -w stop`),
    start: () =>
      asOwner(
        `'${bin}/pg_ctl' -D '${dir}/data' -l '${dir}/server.log' -w -t 60 ` +
          `-o "-c listen_addresses=127.0.0.1 -p ${port} -k '${dir}'" start`,
      ),
    dispose: () =>
      new Deno.Command("bash", { args: [startPostgres, "--stop", dir], stderr: "null" }).output(),
  };
}

Deno.test("fleet CLI: a run made while the server is down (stopped mid-run) is kept locally and uploaded once", async () => {
  if (await testPostgresUrl() === undefined) return;
  const server = await ownServer();
  const dir = await scanFolder(3000);
  try {
    const fleet = await cliFleet(server.url);
    const a = await fleet.endpoint("host_a");
    let stopped = false;
    const offline = await runCli<LooseEvent>(scanArgs(dir, a.url), {
      env: a.env,
      async onEvent(event) {
        if (event.type === "progress" && !stopped) {
          stopped = true;
          await server.stop();
        }
      },
    });
    ok(stopped, "the server was stopped while the scan ran");
    strictEqual(offline.code, 0, offline.stderr);
    const warning = offline.events.find((event) => event.code === "fleet-upload-failed");
    ok(warning, offline.stdout);
    match(warning.message, /kept in .*local\.db and uploaded by the next scan/);
    deepStrictEqual(summaryOf(offline.events).fleet.pending, 1);
    const local = await runCli<LooseEvent>(["results", "--db", join(dir, "local.db"), "--json"]);
    strictEqual(summaryOf(local.events).runs, 1, "the run is in the local store");

    await server.start();
    const online = await runCli<LooseEvent>(scanArgs(dir, a.url), { env: a.env });
    strictEqual(online.code, 0, online.stderr);
    const upload = summaryOf(online.events).fleet;
    deepStrictEqual([upload.uploaded, upload.pending], [2, 0]);

    // A run uploaded but not marked (the process died in between) is not uploaded twice.
    const { DatabaseSync } = await import("node:sqlite");
    const sqlite = new DatabaseSync(join(dir, "local.db"));
    sqlite.exec("update runs set uploaded_at = null");
    sqlite.close();
    const again = await runCli<LooseEvent>(scanArgs(dir, a.url), { env: a.env });
    strictEqual(again.code, 0, again.stderr);
    deepStrictEqual(summaryOf(again.events).fleet.pending, 0);
    const listed = await runCli<LooseEvent>(["results", "--db", a.url, "--json"], { env: a.env });
    const runs = listed.events.filter((event) => event.type === "run");
    strictEqual(runs.length, 3, "three scans, three runs: none uploaded twice");
    const uids = await serverQuery(
      fleet.adminUrl,
      "select count(distinct run_uid)::int as n from runs",
    );
    strictEqual(uids.rows[0].n, 3);
    await fleet.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.dispose();
  }
});

/** A CA and a server certificate for localhost/127.0.0.1 signed by it, made with openssl. */
async function certificates(dir: string): Promise<{ ca: string; otherCa: string }> {
  const openssl = async (...args: string[]) => {
    const output = await new Deno.Command("openssl", { args, cwd: dir, stderr: "piped" }).output();
    ok(output.success, new TextDecoder().decode(output.stderr));
  };
  for (const name of ["ca", "other"]) {
    await openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=iocscan test ${name}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
    );
  }
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  );
  await Deno.writeTextFile(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.pem",
  );
  return { ca: join(dir, "ca.pem"), otherCa: join(dir, "other.pem") };
}

Deno.test("fleet CLI: TLS with the server's name verified against --db-ca or the URL's sslrootcert", async () => {
  if (await testPostgresUrl() === undefined) return;
  const server = await ownServer();
  const dir = await scanFolder(1);
  try {
    const { ca, otherCa } = await certificates(dir);
    // The server's key and certificate, readable by the cluster's owner only.
    for (const file of ["server.key", "server.pem"]) {
      await Deno.copyFile(join(dir, file), join(server.dir, "data", file));
    }
    await Deno.chmod(join(server.dir, "data", "server.key"), 0o600);
    if (Deno.uid() === 0) {
      const files = ["server.key", "server.pem"].map((file) => join(server.dir, "data", file));
      const chown = await new Deno.Command("chown", { args: ["postgres", ...files] }).output();
      ok(chown.success);
    }
    await serverQuery(server.url, "ALTER SYSTEM SET ssl = on");
    await serverQuery(server.url, "ALTER SYSTEM SET ssl_cert_file = 'server.pem'");
    await serverQuery(server.url, "ALTER SYSTEM SET ssl_key_file = 'server.key'");
    await serverQuery(server.url, "SELECT pg_reload_conf()");
    const fleet = await cliFleet(server.url);
    const viaName = new URL(fleet.adminUrl);
    viaName.hostname = "localhost";
    const tls = await runCli<LooseEvent>(scanArgs(dir, viaName.toString()).concat("--db-ca", ca));
    strictEqual(tls.code, 0, tls.stderr + tls.stdout);
    strictEqual(summaryOf(tls.events).fleet.pending, 0, tls.stdout);
    const sslInUse = await runCli<LooseEvent>(
      ["results", "--db", viaName.toString(), "--db-ca", ca, "--json"],
    );
    strictEqual(summaryOf(sslInUse.events).runs, 1, sslInUse.stderr);

    const wrongCa = await runCli(["results", "--db", viaName.toString(), "--db-ca", otherCa]);
    strictEqual(wrongCa.code, 2);
    match(wrongCa.stderr, /certificate/i);
    // The name in the URL is checked: 127.0.0.2 is not in the certificate.
    const wrongName = new URL(viaName.toString());
    wrongName.hostname = "127.0.0.2";
    const misnamed = await runCli(["results", "--db", wrongName.toString(), "--db-ca", ca]);
    strictEqual(misnamed.code, 2);

    const inUrl = new URL(viaName.toString());
    inUrl.search = `?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`;
    const fromUrl = await runCli<LooseEvent>(["results", "--db", inUrl.toString(), "--json"]);
    strictEqual(fromUrl.code, 0, fromUrl.stderr);
    await fleet.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.dispose();
  }
});
