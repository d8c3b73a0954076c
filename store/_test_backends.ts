/**
 * The databases the store tests run against: a temporary SQLite file always,
 * and PostgreSQL when IOCSCAN_TEST_PG_URL names a server (each test gets a
 * database of its own, dropped afterwards). Test-only.
 *
 * @module
 */
import pg from "pg";
import { openStore, type ResultStore, type StoreOptions } from "./result_store.ts";

/** A database a test can open stores on. */
export interface TestBackend {
  name: "sqlite" | "postgres";
  /** Opens a store on this test's database (call it again for a second connection). */
  open(options?: StoreOptions): Promise<ResultStore>;
  /** The location string `openStore` takes (a path or a URL). */
  location: string;
  /** Deletes the database. */
  dispose(): Promise<void>;
}

let warnedAboutPostgres = false;

/** The PostgreSQL server URL for tests, or undefined after saying loudly why those tests skip. */
export async function testPostgresUrl(): Promise<string | undefined> {
  const url = Deno.env.get("IOCSCAN_TEST_PG_URL");
  let reason: string | undefined;
  if (!url) {
    reason = "IOCSCAN_TEST_PG_URL is not set (start one with: " +
      'export IOCSCAN_TEST_PG_URL="$(tests/start_postgres.sh)")';
  } else if ((await Deno.permissions.query({ name: "net" })).state !== "granted") {
    reason = "network permission missing (run deno test -P=test --allow-net …)";
  }
  if (reason !== undefined) {
    if (!warnedAboutPostgres) {
      console.error(`\n*** SKIPPING PostgreSQL store tests: ${reason} ***\n`);
      warnedAboutPostgres = true;
    }
    return undefined;
  }
  return url;
}

/** Creates a fresh database on each available backend. */
export async function testBackends(): Promise<TestBackend[]> {
  const backends: TestBackend[] = [await sqliteBackend()];
  const url = await testPostgresUrl();
  if (url !== undefined) backends.push(await postgresBackend(url));
  return backends;
}

async function sqliteBackend(): Promise<TestBackend> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-store-test-" });
  const location = `${dir}/results.db`;
  return {
    name: "sqlite",
    location,
    open: (options = {}) => openStore(location, options),
    dispose: () => Deno.remove(dir, { recursive: true }),
  };
}

async function postgresBackend(serverUrl: string): Promise<TestBackend> {
  const name = `iocscan_test_${crypto.randomUUID().replaceAll("-", "")}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const location = url.toString();
  return {
    name: "postgres",
    location,
    open: (options = {}) => openStore(location, options),
    dispose: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
