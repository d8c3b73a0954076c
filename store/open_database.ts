/**
 * Opens the results database, SQLite file or PostgreSQL URL, as a typed kysely
 * instance with the schema migrated to the latest version.
 *
 * @module
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CamelCasePlugin, Kysely, PostgresDialect } from "kysely";
import { type DatabaseKind, migrateToLatest } from "./migrations.ts";
import { NodeSqliteDialect } from "./node_sqlite_dialect.ts";
import type { StoreDatabase } from "./schema.ts";
import { StoreOpenError } from "./store_open_error.ts";
import { type ConnectionParameters, lookUpPassword } from "./postgres_password.ts";
import { isPostgresUrl, passwordInUrl, withoutPassword } from "./postgres_url.ts";

/** How long a SQLite writer waits for another process's write lock before failing. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** How to open the database. */
export interface OpenDatabaseOptions {
  /** SQLite busy timeout in milliseconds (at least 5000 is advised; default 10,000). */
  busyTimeoutMs?: number;
  /**
   * Create the SQLite file (and its folders) when missing (default true);
   * false makes a missing file an error.
   */
  create?: boolean;
  /**
   * The PostgreSQL password, handed over apart from the URL. Without it, a
   * password in the URL is used, then the sources of store/postgres_password.ts.
   */
  password?: string;
}

/** An open, migrated results database. */
export interface OpenedDatabase {
  db: Kysely<StoreDatabase>;
  kind: DatabaseKind;
  /** The path, or the URL without its password: the only form that is stored or shown. */
  location: string;
}

export { isPostgresUrl } from "./postgres_url.ts";

/**
 * Opens `location` (a SQLite file path, `:memory:`, or a PostgreSQL URL) and
 * migrates it.
 *
 * SQLite is opened with `busy_timeout` (set first, so that even switching to
 * WAL waits for a busy database), `journal_mode=WAL` (readers never block the
 * writer and two processes can take turns writing), `foreign_keys=ON` (purging
 * a run cascades to its rows) and `synchronous=NORMAL` (durable in WAL mode at
 * a fraction of the fsyncs).
 *
 * @throws StoreOpenError when the database cannot be opened or migrated.
 */
export async function openDatabase(
  location: string,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  const kind: DatabaseKind = isPostgresUrl(location) ? "postgres" : "sqlite";
  const shownLocation = withoutPassword(location);
  let db: Kysely<StoreDatabase>;
  try {
    db = kind === "postgres"
      ? await openPostgres(location, options.password ?? passwordInUrl(location))
      : openSqlite(location, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, options.create);
  } catch (error) {
    throw new StoreOpenError(shownLocation, errorMessage(error), { cause: error });
  }
  try {
    await migrateToLatest(db, kind);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new StoreOpenError(shownLocation, errorMessage(error), { cause: error });
  }
  return { db, kind, location: shownLocation };
}

function openSqlite(path: string, busyTimeoutMs: number, create = true): Kysely<StoreDatabase> {
  if (path !== ":memory:") {
    if (!existsSync(path)) {
      if (!create) throw new Error("no such file");
      // `--db reports/today/results.db`: make the folders, as the default location does.
      mkdirSync(dirname(path), { recursive: true });
    } else if (statSync(path).isDirectory()) {
      throw new Error("it is a folder, not a database file");
    }
  }
  const database = new DatabaseSync(path);
  try {
    database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    // The first read of a file that is not SQLite fails here ("file is not a database").
    // Where WAL is impossible (a file system without shared memory, such as
    // some network shares) SQLite keeps its rollback journal and says so
    // here; writers then still take turns through the busy timeout.
    database.prepare("PRAGMA journal_mode = WAL").get();
    database.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<StoreDatabase>({
    dialect: new NodeSqliteDialect({ database }),
    plugins: [new CamelCasePlugin()],
  });
}

async function openPostgres(
  url: string,
  given: string | undefined,
): Promise<Kysely<StoreDatabase>> {
  // Loaded on first use: every scan would otherwise pay for pg at start-up.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    // The password never sits in the connection string, so no pg message can echo it.
    connectionString: withoutPassword(url),
    // Asked for only when the server wants one; pg then skips its own env/pgpass lookup.
    password: (connection: ConnectionParameters) =>
      lookUpPassword(connection, given === undefined ? {} : { given }),
    max: 4,
    idleTimeoutMillis: 10_000,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  return new Kysely<StoreDatabase>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
