/**
 * A fleet store for tests: a database of its own on the test server, set up by
 * `initPostgresStore`, and endpoint login roles made for the test (dropped with it). The group
 * roles `iocscan_admin` and `iocscan_endpoint` are cluster-wide and shared by every test
 * database, so they are left in place (NOLOGIN, owning nothing once the databases are gone).
 * Test-only.
 *
 * @module
 */
import pg from "pg";
import { testPostgresUrl } from "./_test_backends.ts";
import { initPostgresStore } from "./fleet_init.ts";
import { FLEET_ENDPOINT_ROLE } from "./fleet_roles.ts";

/** A fleet store on the test server. */
export interface TestFleet {
  /** The store's URL as its administrator (the test server's superuser). */
  adminUrl: string;
  /** Creates an endpoint login (member of iocscan_endpoint); returns its URL and password. */
  endpoint(name: string): Promise<{ url: string; password: string; role: string }>;
  /** Drops the database and the endpoint logins. */
  dispose(): Promise<void>;
}

/** A new fleet store, or undefined (after a loud notice) without a test server. */
export async function testFleet(): Promise<TestFleet | undefined> {
  const serverUrl = await testPostgresUrl();
  if (serverUrl === undefined) return undefined;
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const name = `iocscan_fleet_${suffix}`;
  await serverQuery(serverUrl, `CREATE DATABASE ${name}`);
  const adminUrl = withPath(serverUrl, name);
  await initPostgresStore(adminUrl);
  const roles: string[] = [];
  return {
    adminUrl,
    async endpoint(label: string) {
      const role = `${label}_${suffix}`;
      const password = crypto.randomUUID();
      await serverQuery(
        serverUrl,
        `CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE ${FLEET_ENDPOINT_ROLE}`,
      );
      roles.push(role);
      const url = new URL(adminUrl);
      url.username = role;
      url.password = "";
      return { url: url.toString(), password, role };
    },
    async dispose() {
      await serverQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      for (const role of roles) await serverQuery(serverUrl, `DROP ROLE IF EXISTS ${role}`);
    },
  };
}

/** Runs one statement on the test server's maintenance database. */
export async function serverQuery(url: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

function withPath(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
