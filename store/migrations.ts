/**
 * The results database schema as kysely migrations, provided in code (no
 * file-system discovery, so a bundled or compiled binary carries them), and
 * the function that brings a database up to date.
 *
 * One set of migrations serves SQLite and PostgreSQL. The two differ only in
 * how an auto-numbered key and a byte column are declared; the builders below
 * take the database kind for that.
 *
 * @module
 */
import { type ColumnDefinitionBuilder, type Kysely, sql } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";

/** Which SQL database a store runs on. */
export type DatabaseKind = "sqlite" | "postgres";

// deno-lint-ignore no-explicit-any
type AnyDatabase = Kysely<any>;

/** An auto-numbered primary key; SQLite's AUTOINCREMENT keeps purged run ids from coming back. */
function autoId(kind: DatabaseKind) {
  return (column: ColumnDefinitionBuilder) =>
    kind === "sqlite"
      ? column.primaryKey().autoIncrement()
      : column.primaryKey().generatedByDefaultAsIdentity();
}

function bytesType(kind: DatabaseKind) {
  return kind === "sqlite" ? "blob" : "bytea";
}

/** Version 1: runs, the IOC set snapshot, detections, skipped objects, skip counts, warnings. */
function initialSchema(kind: DatabaseKind): Migration {
  return {
    async up(db: AnyDatabase) {
      await db.schema.createTable("runs")
        .addColumn("id", "integer", autoId(kind))
        .addColumn("taskName", "text")
        .addColumn("host", "text", (column) => column.notNull())
        .addColumn("userName", "text", (column) => column.notNull())
        .addColumn("startedAt", "text", (column) => column.notNull())
        .addColumn("finishedAt", "text")
        .addColumn("status", "text", (column) => column.notNull())
        .addColumn("optionsJson", "text", (column) => column.notNull().defaultTo("{}"))
        .addColumn("countsJson", "text", (column) => column.notNull().defaultTo("{}"))
        .addCheckConstraint(
          "runsStatusKnown",
          sql`status in ('running', 'completed', 'failed', 'cancelled')`,
        )
        .execute();
      await db.schema.createIndex("runsStartedAt").on("runs").column("startedAt").execute();

      await db.schema.createTable("iocContents")
        .addColumn("id", "integer", autoId(kind))
        .addColumn("sha256", "text", (column) => column.notNull().unique())
        .addColumn("content", bytesType(kind), (column) => column.notNull())
        .addColumn("sizeBytes", "integer", (column) => column.notNull())
        .addColumn("firstSeenAt", "text", (column) => column.notNull())
        .execute();

      await db.schema.createTable("iocContentIocs")
        .addColumn(
          "contentId",
          "integer",
          (column) => column.notNull().references("iocContents.id").onDelete("cascade"),
        )
        .addColumn("iocId", "text", (column) => column.notNull())
        .addColumn("name", "text", (column) => column.notNull())
        .addPrimaryKeyConstraint("iocContentIocsKey", ["contentId", "iocId"])
        .execute();

      await db.schema.createTable("runIocFiles")
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn("file", "text", (column) => column.notNull())
        .addColumn(
          "contentId",
          "integer",
          (column) => column.notNull().references("iocContents.id"),
        )
        .addPrimaryKeyConstraint("runIocFilesKey", ["runId", "file"])
        .execute();
      await db.schema.createIndex("runIocFilesContent").on("runIocFiles").column("contentId")
        .execute();

      await db.schema.createTable("detections")
        .addColumn("id", "integer", autoId(kind))
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn(
          "contentId",
          "integer",
          (column) => column.references("iocContents.id").onDelete("set null"),
        )
        .addColumn("iocId", "text", (column) => column.notNull())
        .addColumn("iocName", "text", (column) => column.notNull())
        .addColumn("iocFile", "text", (column) => column.notNull())
        .addColumn("iocVersion", "text", (column) => column.notNull())
        .addColumn("evidenceJson", "text", (column) => column.notNull())
        .addColumn("storedAt", "text", (column) => column.notNull())
        .execute();
      await db.schema.createIndex("detectionsRun").on("detections").column("runId").execute();
      await db.schema.createIndex("detectionsContent").on("detections").column("contentId")
        .execute();

      await db.schema.createTable("skippedObjects")
        .addColumn("id", "integer", autoId(kind))
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn("collector", "text", (column) => column.notNull())
        .addColumn("object", "text", (column) => column.notNull())
        .addColumn("reason", "text", (column) => column.notNull())
        .addColumn("detail", "text")
        .execute();
      await db.schema.createIndex("skippedObjectsRun").on("skippedObjects").column("runId")
        .execute();

      await db.schema.createTable("skipCounts")
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn("collector", "text", (column) => column.notNull())
        .addColumn("reason", "text", (column) => column.notNull())
        .addColumn("count", "integer", (column) => column.notNull())
        .addPrimaryKeyConstraint("skipCountsKey", ["runId", "collector", "reason"])
        .execute();

      await db.schema.createTable("warnings")
        .addColumn("id", "integer", autoId(kind))
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn("code", "text", (column) => column.notNull())
        .addColumn("message", "text", (column) => column.notNull())
        .addColumn("file", "text")
        .addColumn("detailJson", "text")
        .execute();
      await db.schema.createIndex("warningsRun").on("warnings").column("runId").execute();
    },
    async down(db: AnyDatabase) {
      for (
        const table of [
          "warnings",
          "skipCounts",
          "skippedObjects",
          "detections",
          "runIocFiles",
          "iocContentIocs",
          "iocContents",
          "runs",
        ]
      ) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}

/** The statuses version 2 allows: the run outcomes of docs/store.md. */
const runStatusesV2 = sql`status in (${
  sql.join(
    ["running", "completed", "incomplete", "interrupted", "abandoned", "failed", "cancelled"].map(
      (status) => sql.lit(status),
    ),
  )
})`;

/**
 * Version 2: the statuses `incomplete`, `interrupted` and `abandoned`, and the
 * process that runs a run (`pid`, `processStartedAt`), so that a later command
 * can tell a run whose process is gone.
 *
 * PostgreSQL swaps the check constraint. SQLite cannot alter one, so `runs`
 * (and with it the tables whose foreign keys name it) is rebuilt inside the
 * migration's transaction: see {@linkcode rebuildSqliteTable}.
 */
function runOutcomes(kind: DatabaseKind): Migration {
  return {
    async up(db: AnyDatabase) {
      if (kind === "postgres") {
        await sql`alter table runs drop constraint runs_status_known`.execute(db);
        await sql`alter table runs add constraint runs_status_known check (${runStatusesV2})`
          .execute(db);
        await db.schema.alterTable("runs").addColumn("pid", "integer").execute();
        await db.schema.alterTable("runs").addColumn("processStartedAt", "text").execute();
        return;
      }
      await rebuildSqliteTable(db, "runs", async () => {
        await db.schema.createTable("runs")
          .addColumn("id", "integer", autoId(kind))
          .addColumn("taskName", "text")
          .addColumn("host", "text", (column) => column.notNull())
          .addColumn("userName", "text", (column) => column.notNull())
          .addColumn("startedAt", "text", (column) => column.notNull())
          .addColumn("finishedAt", "text")
          .addColumn("status", "text", (column) => column.notNull())
          .addColumn("optionsJson", "text", (column) => column.notNull().defaultTo("{}"))
          .addColumn("countsJson", "text", (column) => column.notNull().defaultTo("{}"))
          .addColumn("pid", "integer")
          .addColumn("processStartedAt", "text")
          .addCheckConstraint("runsStatusKnown", runStatusesV2)
          .execute();
        await db.schema.createIndex("runsStartedAt").on("runs").column("startedAt").execute();
      });
    },
  };
}

/** The suffix a table being rebuilt carries while it is set aside. */
const asideSuffix = "_before_rebuild";

/**
 * Rebuilds a SQLite table under a new definition, inside the caller's
 * transaction (where `PRAGMA foreign_keys` cannot be switched off, and
 * node:sqlite's defensive mode forbids editing `sqlite_schema`).
 *
 * Renaming `table` aside makes SQLite point every foreign key that named it at
 * the renamed table, so each such child table is rebuilt too, from its own
 * stored definition with the reference turned back to `table`. Rows keep their
 * ids, and AUTOINCREMENT counters are carried over so that purged ids never
 * come back. The aside tables are dropped last, when nothing refers to them.
 *
 * @param create Creates `table` (and its indexes) under the new definition.
 */
async function rebuildSqliteTable(
  db: AnyDatabase,
  table: string,
  create: () => Promise<void>,
): Promise<void> {
  const aside = `${table}${asideSuffix}`;
  const children = await sql<{ name: string; sql: string }>`select name, sql from sqlite_schema
    where type = 'table' and name != ${table} and sql like ${`%references "${table}"%`}`
    .execute(db).then((result) => result.rows);
  await sql`alter table ${sql.id(table)} rename to ${sql.id(aside)}`.execute(db);
  // Its indexes went aside with it, under their names: free the names for `create`.
  const asideIndexes = await sql<{ name: string }>`select name from sqlite_schema
    where type = 'index' and tbl_name = ${aside} and sql is not null`
    .execute(db).then((result) => result.rows);
  for (const index of asideIndexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  await create();
  await copyRowsAndCounter(db, aside, table);
  for (const child of children) {
    const indexes = await sql<{ sql: string }>`select sql from sqlite_schema
      where type = 'index' and tbl_name = ${child.name} and sql is not null`
      .execute(db).then((result) => result.rows);
    const childAside = `${child.name}${asideSuffix}`;
    await sql`alter table ${sql.id(child.name)} rename to ${sql.id(childAside)}`.execute(db);
    // Its definition as read before the parent was renamed still names `table`.
    await sql.raw(child.sql).execute(db);
    await copyRowsAndCounter(db, childAside, child.name);
    await sql`drop table ${sql.id(childAside)}`.execute(db);
    for (const index of indexes) await sql.raw(index.sql).execute(db);
  }
  await sql`drop table ${sql.id(aside)}`.execute(db);
}

/**
 * Copies every row of `from` into `to` (whose columns are `from`'s and maybe
 * more, left to their defaults), and `from`'s AUTOINCREMENT counter.
 */
async function copyRowsAndCounter(db: AnyDatabase, from: string, to: string): Promise<void> {
  const columns = await sql<{ name: string }>`select name from pragma_table_info(${from})`
    .execute(db).then((result) => sql.join(result.rows.map((row) => sql.id(row.name))));
  await sql`insert into ${sql.id(to)} (${columns}) select ${columns} from ${sql.id(from)}`
    .execute(db);
  const counter = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${from}`
    .execute(db).then((result) => result.rows[0]?.seq);
  if (counter === undefined) return;
  await sql`delete from sqlite_sequence where name = ${to}`.execute(db);
  await sql`insert into sqlite_sequence (name, seq) values (${to}, ${counter})`.execute(db);
}

/**
 * Version 3 (0002 is another branch's): detections record the SHA-256 of their IOC's content, as
 * an IOC is its id and its content hash (two files may share an id). Rows stored before take the
 * hash of the content they are linked to.
 */
function detectionIocSha256(): Migration {
  return {
    async up(db: AnyDatabase) {
      await db.schema.alterTable("detections").addColumn("iocSha256", "text").execute();
      await db.updateTable("detections")
        .set((eb) => ({
          iocSha256: eb.selectFrom("iocContents").select("iocContents.sha256")
            .whereRef("iocContents.id", "=", "detections.contentId"),
        }))
        .execute();
      await db.schema.createIndex("detectionsIocSha256").on("detections").column("iocSha256")
        .execute();
    },
    async down(db: AnyDatabase) {
      await db.schema.dropIndex("detectionsIocSha256").ifExists().execute();
      await db.schema.alterTable("detections").dropColumn("iocSha256").execute();
    },
  };
}

/**
 * Version 5: host isolations and their audit (docs/isolation.md). An
 * isolation's row is written before its rules are applied, so that the boot and tamper tasks
 * know its deadline whatever happens next.
 */
function isolations(kind: DatabaseKind): Migration {
  return {
    async up(db: AnyDatabase) {
      await db.schema.createTable("isolations")
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("startedAt", "text", (column) => column.notNull())
        .addColumn("expiresAt", "text", (column) => column.notNull())
        .addColumn("state", "text", (column) => column.notNull())
        .addColumn("planJson", "text", (column) => column.notNull())
        .addColumn("reason", "text")
        .addColumn("iocIdsJson", "text", (column) => column.notNull().defaultTo("[]"))
        .addColumn("runId", "integer")
        .addColumn("who", "text", (column) => column.notNull())
        .addCheckConstraint(
          "isolationsStateKnown",
          sql`state in ('active', 'released', 'expired', 'rolled-back', 'failed')`,
        )
        .execute();
      await db.schema.createIndex("isolationsState").on("isolations").column("state").execute();
      await db.schema.createTable("isolationAudit")
        .addColumn("id", "integer", autoId(kind))
        .addColumn(
          "isolationId",
          "text",
          (column) => column.notNull().references("isolations.id").onDelete("cascade"),
        )
        .addColumn("step", "text", (column) => column.notNull())
        .addColumn("at", "text", (column) => column.notNull())
        .addColumn("who", "text", (column) => column.notNull())
        .addColumn("reason", "text")
        .addColumn("iocIdsJson", "text")
        .addColumn("runId", "integer")
        .addColumn("rulesetHash", "text")
        .addColumn("selfTestJson", "text")
        .addColumn("outcome", "text", (column) => column.notNull())
        .addColumn("detail", "text")
        .execute();
      await db.schema.createIndex("isolationAuditIsolation").on("isolationAudit")
        .column("isolationId").execute();
    },
    async down(db: AnyDatabase) {
      await db.schema.dropTable("isolationAudit").ifExists().execute();
      await db.schema.dropTable("isolations").ifExists().execute();
    },
  };
}

/**
 * Version 4: the `actions` table, one row per `action` event of a run (docs/actions.md): what a
 * response action did to one object. Its rows go with their run (ON DELETE CASCADE).
 */
function runActions(kind: DatabaseKind): Migration {
  return {
    async up(db: AnyDatabase) {
      await db.schema.createTable("actions")
        .addColumn("id", "integer", autoId(kind))
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn("action", "text", (column) => column.notNull())
        .addColumn("object", "text", (column) => column.notNull())
        .addColumn("outcome", "text", (column) => column.notNull())
        .addColumn("reason", "text")
        .addColumn("detail", "text")
        .addColumn("entry", "text")
        .addColumn("sha256", "text")
        .addColumn("iocsJson", "text")
        .addColumn("time", "text", (column) => column.notNull())
        .execute();
      await db.schema.createIndex("actionsRun").on("actions").column("runId").execute();
    },
    async down(db: AnyDatabase) {
      await db.schema.dropTable("actions").ifExists().execute();
    },
  };
}

/**
 * Version 6: findings, the results of a run that come from a
 * source other than an IOC (an antivirus's verdict, executable memory no file backs, a kernel
 * module of unknown origin; docs/critical-scan.md). Deleted with their run.
 */
function findingsTable(kind: DatabaseKind): Migration {
  return {
    async up(db: AnyDatabase) {
      await db.schema.createTable("findings")
        .addColumn("id", "integer", autoId(kind))
        .addColumn(
          "runId",
          "integer",
          (column) => column.notNull().references("runs.id").onDelete("cascade"),
        )
        .addColumn("source", "text", (column) => column.notNull())
        .addColumn("kind", "text", (column) => column.notNull())
        .addColumn("object", "text", (column) => column.notNull())
        .addColumn("severity", "text", (column) => column.notNull())
        .addColumn("detail", "text", (column) => column.notNull())
        .addColumn("foundAt", "text", (column) => column.notNull())
        .addColumn("dataJson", "text")
        .addCheckConstraint(
          "findingsSeverityKnown",
          sql`severity in ('detection', 'incomplete', 'notice')`,
        )
        .execute();
      await db.schema.createIndex("findingsRunId").on("findings").column("runId").execute();
    },
    async down(db: AnyDatabase) {
      await db.schema.dropTable("findings").ifExists().execute();
    },
  };
}

/**
 * Version 7: the fleet store (docs/fleet.md). A run gets a stable identity (`run_uid`, unique) so
 * that a run kept in a local store while the fleet server was out of reach is uploaded once, and
 * the local store records where a run is to be uploaded and when it was. On PostgreSQL, runs and
 * isolations record the login role that wrote them (`owner_role`, default `current_user`): the
 * row-level security `iocscan store init-postgres` sets up keys on it. An isolation records the
 * host it isolates, for `iocscan fleet status`.
 */
function fleetStore(kind: DatabaseKind): Migration {
  const owner = (column: ColumnDefinitionBuilder) =>
    kind === "postgres" ? column.defaultTo(sql`current_user`) : column;
  return {
    async up(db: AnyDatabase) {
      await db.schema.alterTable("runs").addColumn("runUid", "text").execute();
      await db.schema.alterTable("runs").addColumn("ownerRole", "text", owner).execute();
      await db.schema.alterTable("runs").addColumn("uploadTarget", "text").execute();
      await db.schema.alterTable("runs").addColumn("uploadedAt", "text").execute();
      await db.schema.createIndex("runsRunUid").unique().on("runs").column("runUid").execute();
      await db.schema.createIndex("runsHost").on("runs").column("host").execute();
      await db.schema.alterTable("isolations").addColumn("ownerRole", "text", owner).execute();
      await db.schema.alterTable("isolations").addColumn("host", "text").execute();
    },
    async down(db: AnyDatabase) {
      await db.schema.alterTable("isolations").dropColumn("host").execute();
      await db.schema.alterTable("isolations").dropColumn("ownerRole").execute();
      await db.schema.dropIndex("runsHost").ifExists().execute();
      await db.schema.dropIndex("runsRunUid").ifExists().execute();
      for (const column of ["uploadedAt", "uploadTarget", "ownerRole", "runUid"]) {
        await db.schema.alterTable("runs").dropColumn(column).execute();
      }
    },
  };
}

/**
 * Every migration, by name. Names sort in the order they must run; add new
 * ones at the end with the next number and never edit a released one.
 *
 * @param kind The database the migrations will run on.
 * @returns The migrations for kysely's Migrator.
 */
export function storeMigrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    "0001_initial_schema": initialSchema(kind),
    "0002_run_outcomes": runOutcomes(kind),
    "0003_detection_ioc_sha256": detectionIocSha256(),
    "0004_run_actions": runActions(kind),
    "0005_isolations": isolations(kind),
    "0006_findings": findingsTable(kind),
    "0007_fleet_store": fleetStore(kind),
  };
}

/**
 * The in-code {@linkcode MigrationProvider} for kysely's Migrator.
 *
 * @param kind The database the migrations will run on.
 */
export function storeMigrationProvider(kind: DatabaseKind): MigrationProvider {
  return { getMigrations: () => Promise.resolve(storeMigrations(kind)) };
}

/** What {@linkcode migrateToLatest} did. */
export interface MigrationReport {
  /** Migrations applied by this call (empty when the database was already current). */
  applied: string[];
}

/**
 * Applies every pending migration. Running it again does nothing; running it
 * from two processes at once is safe (SQLite: one `BEGIN IMMEDIATE`
 * transaction; PostgreSQL: kysely's advisory lock).
 *
 * @param db The store's kysely instance.
 * @param kind The database it runs on.
 * @throws Error naming the migration that failed.
 */
export async function migrateToLatest(
  db: AnyDatabase,
  kind: DatabaseKind,
): Promise<MigrationReport> {
  if (await appliedExactly(db, Object.keys(storeMigrations(kind)))) return { applied: [] };
  const migrator = new Migrator({
    db,
    provider: storeMigrationProvider(kind),
    migrationTableName: "iocscan_migration",
    migrationLockTableName: "iocscan_migration_lock",
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error");
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not migrate the results database${
        failed ? ` (migration ${failed.migrationName})` : ""
      }: ${message}`,
      { cause: error },
    );
  }
  return {
    applied: results.filter((result) => result.status === "Success").map((result) =>
      result.migrationName
    ),
  };
}

/**
 * Whether the database has applied exactly `names`: one query, where the
 * Migrator takes about ten (10 ms of a scan's start-up). Anything else (no
 * migration table yet, a migration missing or one this version does not know)
 * is for the Migrator to handle, under its lock.
 */
async function appliedExactly(db: AnyDatabase, names: readonly string[]): Promise<boolean> {
  let rows: { name: string }[];
  try {
    rows = (await sql<{ name: string }>`select name from iocscan_migration`.execute(db)).rows;
  } catch {
    return false;
  }
  const applied = new Set(rows.map((row) => row.name));
  return applied.size === names.length && names.every((name) => applied.has(name));
}

/** The oldest migration whose schema this version reads: every read uses only its columns. */
const OLDEST_READABLE_MIGRATION = "0001_initial_schema";

/**
 * Checks, changing nothing, that `db` is an iocscan store this version can
 * read: it has iocscan's migration table, at least the oldest readable
 * migration, and no migration this version does not know (a newer iocscan's).
 *
 * @param db The store's kysely instance (opened read-only).
 * @param kind The database it runs on.
 * @throws Error "not an iocscan store", or naming the unknown migrations.
 */
export async function checkReadableSchema(db: AnyDatabase, kind: DatabaseKind): Promise<void> {
  let applied: string[];
  try {
    applied = (await sql<{ name: string }>`select name from iocscan_migration`.execute(db)).rows
      .map((row) => row.name);
  } catch (error) {
    if (!/no such table|does not exist/i.test(error instanceof Error ? error.message : "")) {
      throw error;
    }
    throw new Error("not an iocscan store (it has no iocscan_migration table)", { cause: error });
  }
  if (!applied.includes(OLDEST_READABLE_MIGRATION)) {
    throw new Error(`not an iocscan store (its schema lacks ${OLDEST_READABLE_MIGRATION})`);
  }
  const known = new Set(Object.keys(storeMigrations(kind)));
  const unknown = applied.filter((name) => !known.has(name)).sort();
  if (unknown.length > 0) {
    throw new Error(
      `its schema is newer than this iocscan reads (${unknown.join(", ")}); use a newer iocscan`,
    );
  }
}
