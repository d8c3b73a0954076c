import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { migrateToLatest, storeMigrationProvider, storeMigrations } from "./migrations.ts";
import { NodeSqliteDialect } from "./node_sqlite_dialect.ts";
import { openDatabase } from "./open_database.ts";
import { testBackends } from "./_test_backends.ts";

const expectedTables = [
  "actions",
  "detections",
  "findings",
  "ioc_content_iocs",
  "ioc_contents",
  "isolation_audit",
  "isolations",
  "run_ioc_files",
  "runs",
  "skip_counts",
  "skipped_objects",
  "warnings",
];

Deno.test("migrateToLatest() creates every table once and is idempotent", async () => {
  for (const backend of await testBackends()) {
    try {
      const first = await openDatabase(backend.location);
      const tables = (await first.db.introspection.getTables())
        .map((table) => table.name)
        .filter((name) => !name.startsWith("iocscan_migration"))
        .sort();
      deepStrictEqual(tables, expectedTables, backend.name);
      deepStrictEqual(await migrateToLatest(first.db, first.kind), { applied: [] }, backend.name);
      await first.db.destroy();
      // Reopening migrates nothing and keeps the data.
      const second = await openDatabase(backend.location);
      deepStrictEqual(await migrateToLatest(second.db, second.kind), { applied: [] }, backend.name);
      await second.db.destroy();
    } finally {
      await backend.dispose();
    }
  }
});

Deno.test("migrateToLatest() reports the migrations it applied", async () => {
  const db = new Kysely<unknown>({
    dialect: new NodeSqliteDialect({ database: new DatabaseSync(":memory:") }),
    plugins: [new CamelCasePlugin()],
  });
  try {
    deepStrictEqual(await migrateToLatest(db, "sqlite"), {
      applied: Object.keys(storeMigrations("sqlite")),
    });
  } finally {
    await db.destroy();
  }
});

Deno.test("migrateToLatest() leaves a database with a migration it does not know to the Migrator", async () => {
  const db = new Kysely<unknown>({
    dialect: new NodeSqliteDialect({ database: new DatabaseSync(":memory:") }),
    plugins: [new CamelCasePlugin()],
  });
  try {
    await migrateToLatest(db, "sqlite");
    // A newer iocscan migrated this database further: this one must refuse it, not skip the check.
    await sql`insert into iocscan_migration (name, timestamp) values ('9999_from_the_future', '')`
      .execute(db);
    await rejects(migrateToLatest(db, "sqlite"), /9999_from_the_future/);
  } finally {
    await db.destroy();
  }
});

Deno.test("storeMigrations() names sort in run order and match across databases", () => {
  const sqliteNames = Object.keys(storeMigrations("sqlite"));
  deepStrictEqual(sqliteNames, [...sqliteNames].sort());
  deepStrictEqual(Object.keys(storeMigrations("postgres")), sqliteNames);
  ok(sqliteNames.every((name) => /^\d{4}_[a-z0-9_]+$/.test(name)));
});

Deno.test("openDatabase() sets WAL, the busy timeout and foreign keys", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { db } = await openDatabase(`${dir}/a.db`, { busyTimeoutMs: 7000 });
    await db.destroy();
    const raw = new DatabaseSync(`${dir}/a.db`);
    strictEqual(raw.prepare("pragma journal_mode").get()?.journal_mode, "wal");
    raw.close();
    // busy_timeout and foreign_keys are per connection: check them on the store's own.
    const reopened = await openDatabase(`${dir}/a.db`, { busyTimeoutMs: 7000 });
    const { sql } = await import("kysely");
    deepStrictEqual(
      (await sql<{ timeout: number }>`pragma busy_timeout`.execute(reopened.db)).rows,
      [{ timeout: 7000 }],
    );
    deepStrictEqual(
      (await sql<{ foreignKeys: number }>`pragma foreign_keys`.execute(reopened.db)).rows,
      [{ foreignKeys: 1 }],
    );
    await reopened.db.destroy();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openDatabase() rejects a non-database, a folder and (with create: false) a missing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/junk.db`, "this is not SQLite ".repeat(100));
    await rejects(
      openDatabase(`${dir}/junk.db`),
      /cannot open the results database .*junk\.db: .*not a database/,
    );
    await rejects(openDatabase(dir), /it is a folder/);
    await rejects(openDatabase(`${dir}/missing.db`, { create: false }), /no such file/);
    // Missing folders are created when the database may be created.
    const nested = await openDatabase(`${dir}/new/folder/results.db`);
    await nested.db.destroy();
    ok((await Deno.stat(`${dir}/new/folder/results.db`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("migration 0002 keeps a version-1 store's runs, their rows and the run-id counter, and allows the new statuses", async () => {
  for (const backend of await testBackends()) {
    const db = await openAtVersion1(backend.location);
    try {
      // Two runs, the second purged, and a detection and a warning under the first.
      await sql`insert into runs (host, user_name, started_at, status)
        values ('h', 'u', '2026-11-01T00:00:00.000Z', 'completed'),
               ('h', 'u', '2026-11-02T00:00:00.000Z', 'running')`.execute(db);
      await sql`delete from runs where id = 2`.execute(db);
      await sql`insert into detections (run_id, ioc_id, ioc_name, ioc_file, ioc_version,
          evidence_json, stored_at) values (1, 'i', 'n', 'f', '1.0', '[]', 's')`.execute(db);
      await sql`insert into warnings (run_id, code, message) values (1, 'c', 'm')`.execute(db);
      deepStrictEqual(await migrateToLatest(db, backend.name), {
        applied: [
          "0002_run_outcomes",
          "0003_detection_ioc_sha256",
          "0004_run_actions",
          "0005_isolations",
          "0006_findings",
          "0007_fleet_store",
        ],
      });

      const runs = await sql<{ id: number; status: string }>`select id, status from runs`
        .execute(db);
      deepStrictEqual(runs.rows.map((row) => [Number(row.id), row.status]), [[1, "completed"]]);
      const children = await sql<{ n: number }>`select
          (select count(*) from detections) + (select count(*) from warnings) as n`.execute(db);
      strictEqual(Number(children.rows[0]?.n), 2, `${backend.name}: children kept`);
      for (const status of ["incomplete", "interrupted", "abandoned"]) {
        await sql`insert into runs (host, user_name, started_at, status, pid)
          values ('h', 'u', 's', ${status}, 42)`.execute(db);
      }
      await rejects(
        sql`insert into runs (host, user_name, started_at, status) values ('h','u','s','odd')`
          .execute(db),
      );
      // Purged ids never come back, and purging a run still cascades to its rows.
      const ids = await sql<{ id: number }>`select id from runs order by id`.execute(db);
      deepStrictEqual(ids.rows.map((row) => Number(row.id)), [1, 3, 4, 5], backend.name);
      if (backend.name === "sqlite") await sql`pragma foreign_keys = on`.execute(db);
      await sql`delete from runs where id = 1`.execute(db);
      const left = await sql<{ n: number }>`select count(*) as n from detections`.execute(db);
      strictEqual(Number(left.rows[0]?.n), 0, `${backend.name}: cascade after the rebuild`);
    } finally {
      await db.destroy();
      await backend.dispose();
    }
  }
});

/** A database at migration 0001 only, as a version-1 iocscan left it. */
async function openAtVersion1(location: string): Promise<Kysely<unknown>> {
  const kind = location.startsWith("postgres") ? "postgres" : "sqlite";
  const db = kind === "sqlite"
    ? new Kysely<unknown>({
      dialect: new NodeSqliteDialect({ database: sqliteWithForeignKeys(location) }),
      plugins: [new CamelCasePlugin()],
    })
    : new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location, max: 1 }) }),
      plugins: [new CamelCasePlugin()],
    });
  const migrator = new Migrator({
    db,
    provider: storeMigrationProvider(kind),
    migrationTableName: "iocscan_migration",
    migrationLockTableName: "iocscan_migration_lock",
  });
  const { error } = await migrator.migrateTo("0001_initial_schema");
  if (error) throw error;
  return db;
}

function sqliteWithForeignKeys(location: string): DatabaseSync {
  const database = new DatabaseSync(location);
  database.exec("pragma foreign_keys = on");
  return database;
}

Deno.test("migration 0003 gives detections stored before it the hash of their linked content", async () => {
  const db = new Kysely<unknown>({
    dialect: new NodeSqliteDialect({ database: new DatabaseSync(":memory:") }),
    plugins: [new CamelCasePlugin()],
  });
  try {
    const migrator = new Migrator({
      db,
      provider: storeMigrationProvider("sqlite"),
      migrationTableName: "iocscan_migration",
      migrationLockTableName: "iocscan_migration_lock",
    });
    strictEqual((await migrator.migrateTo("0001_initial_schema")).error, undefined);
    await sql`insert into runs (host, user_name, started_at, status) values ('h', 'u', '', 'completed')`
      .execute(db);
    await sql`insert into ioc_contents (sha256, content, size_bytes, first_seen_at)
      values (${"ab".repeat(32)}, ${new Uint8Array([1])}, 1, '')`.execute(db);
    for (const contentId of [1, null]) {
      await sql`insert into detections
        (run_id, content_id, ioc_id, ioc_name, ioc_file, ioc_version, evidence_json, stored_at)
        values (1, ${contentId}, 'x', 'X', '/x.ioc', '1.1', '[]', '')`.execute(db);
    }
    deepStrictEqual(await migrateToLatest(db, "sqlite"), {
      applied: [
        "0002_run_outcomes",
        "0003_detection_ioc_sha256",
        "0004_run_actions",
        "0005_isolations",
        "0006_findings",
        "0007_fleet_store",
      ],
    });
    const rows = await sql<{ iocSha256: string | null }>`
      select ioc_sha256 from detections order by id`.execute(db);
    deepStrictEqual(rows.rows.map((row) => row.iocSha256), ["ab".repeat(32), null]);
  } finally {
    await db.destroy();
  }
});
