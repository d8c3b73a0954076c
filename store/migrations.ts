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
 * Every migration, by name. Names sort in the order they must run; add new
 * ones at the end with the next number and never edit a released one.
 *
 * @param kind The database the migrations will run on.
 * @returns The migrations for kysely's Migrator.
 */
export function storeMigrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    "0001_initial_schema": initialSchema(kind),
    "0003_detection_ioc_sha256": detectionIocSha256(),
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
