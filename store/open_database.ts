/**
 * Opens the results database, SQLite file or PostgreSQL URL, as a typed kysely
 * instance: for writing with the schema migrated to the latest version, or for
 * reading only, changing nothing.
 *
 * @module
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { CamelCasePlugin, Kysely, PostgresDialect } from "kysely";
import { checkReadableSchema, type DatabaseKind, migrateToLatest } from "./migrations.ts";
import { NodeSqliteDialect } from "./node_sqlite_dialect.ts";
import {
  checkStoreFolder,
  createStoreFolder,
  protectStoreFiles,
  refuseStoreLinks,
} from "./store_permissions.ts";
import type { StoreDatabase } from "./schema.ts";
import { StoreOpenError } from "./store_open_error.ts";
import { checkCurrentSchema, type FleetRole, fleetRoleOf, isFleetStore } from "./fleet_roles.ts";
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
   * Open for reading only (default false): never create, migrate or write.
   * SQLite is opened read-only (and `immutable` when its folder cannot hold
   * the `-shm` file, as on read-only media); PostgreSQL sessions default to
   * read-only transactions. An older schema this version can read is read as
   * it is; a database without iocscan's migration table is "not an iocscan
   * store", and one migrated by a newer iocscan is refused.
   */
  readOnly?: boolean;
  /**
   * The PostgreSQL password, handed over apart from the URL. Without it, a
   * password in the URL is used, then the sources of store/postgres_password.ts.
   */
  password?: string;
  /**
   * PostgreSQL: the role every session takes (`SET ROLE`), as `iocscan store init-postgres` and
   * the fleet's retention take the admin role.
   */
  sessionRole?: string;
  /**
   * PostgreSQL: a CA certificate file (PEM) the server's certificate must chain to; the
   * connection is then TLS with the host name verified (`sslmode=verify-full`). The URL's own
   * `sslmode=verify-full&sslrootcert=FILE` does the same.
   */
  caFile?: string;
}

/** An open, migrated results database. */
export interface OpenedDatabase {
  db: Kysely<StoreDatabase>;
  kind: DatabaseKind;
  /** The path, or the URL without its password: the only form that is stored or shown. */
  location: string;
  /**
   * PostgreSQL fleet stores (docs/fleet.md): `endpoint` for an endpoint login, which never
   * migrates or purges; `admin` for any other login. Undefined elsewhere.
   */
  fleetRole?: FleetRole;
}

export { isPostgresUrl } from "./postgres_url.ts";

/**
 * Opens `location` (a SQLite file path, `:memory:`, or a PostgreSQL URL) and
 * migrates it, or with `readOnly` checks that it is an iocscan store this
 * version can read.
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
  const readOnly = options.readOnly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: Kysely<StoreDatabase>;
  try {
    db = kind === "postgres"
      ? await openPostgres(location, options.password ?? passwordInUrl(location), readOnly, options)
      : sqliteKysely(
        readOnly
          ? openSqliteReadOnly(location, busyTimeoutMs)
          : openSqlite(location, busyTimeoutMs, options.create),
      );
  } catch (error) {
    throw new StoreOpenError(shownLocation, errorMessage(error), { cause: error });
  }
  let fleetRole: FleetRole | undefined;
  try {
    if (readOnly) {
      await checkReadableSchema(db, kind);
    } else if (kind === "postgres" && await isFleetStore(db)) {
      // Only `iocscan store init-postgres` migrates a fleet store: its tables stay the admin
      // role's, with their policies, and an endpoint never runs DDL.
      await checkCurrentSchema(db, kind);
      fleetRole = await fleetRoleOf(db);
    } else {
      await migrateToLatest(db, kind);
    }
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new StoreOpenError(shownLocation, errorMessage(error), { cause: error });
  }
  return { db, kind, location: shownLocation, ...(fleetRole ? { fleetRole } : {}) };
}

function openSqlite(path: string, busyTimeoutMs: number, create = true): DatabaseSync {
  if (path !== ":memory:") {
    refuseStoreLinks(path);
    if (!existsSync(path)) {
      if (!create) throw new Error("no such file");
      // `--db reports/today/results.db`: make the folders, as the default location does.
      createStoreFolder(dirname(path));
    } else if (statSync(path).isDirectory()) {
      throw new Error("it is a folder, not a database file");
    }
    checkStoreFolder(path);
    protectStoreFiles(path);
  }
  const database = new DatabaseSync(path);
  try {
    database.exec(busyTimeoutPragma(busyTimeoutMs));
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
  return database;
}

/**
 * Opens an existing SQLite file read-only. A WAL database needs its `-shm`
 * file, which SQLite creates beside it; where it cannot (a read-only folder or
 * medium) the file is opened `immutable`: nothing can be writing it there.
 * `immutable` ignores a `-wal` file, so a non-empty one makes that an error
 * rather than a reading that misses the runs it holds.
 */
function openSqliteReadOnly(path: string, busyTimeoutMs: number): DatabaseSync {
  if (path !== ":memory:") {
    refuseStoreLinks(path);
    if (!existsSync(path)) throw new Error("no such file");
    if (statSync(path).isDirectory()) throw new Error("it is a folder, not a database file");
  }
  const attempt = (target: string | URL) => {
    const database = new DatabaseSync(target, { readOnly: true });
    try {
      database.exec(busyTimeoutPragma(busyTimeoutMs));
      // The first read: "file is not a database", or the -shm file cannot be made.
      database.prepare("SELECT count(*) FROM sqlite_schema").get();
      return database;
    } catch (error) {
      database.close();
      throw error;
    }
  };
  try {
    return attempt(path);
  } catch (error) {
    if (path === ":memory:" || /not a database/i.test(errorMessage(error))) throw error;
    // `immutable` ignores the write-ahead log: reading without it would miss its runs.
    if ((statIfPresent(`${path}-wal`)?.size ?? 0) > 0) {
      throw new Error(
        `${errorMessage(error)}; its write-ahead log (${path}-wal) cannot be read where SQLite ` +
          "cannot create the -shm file beside it: copy the database with its -wal to writable storage",
        { cause: error },
      );
    }
    const immutable = pathToFileURL(path);
    immutable.searchParams.set("immutable", "1");
    try {
      return attempt(immutable);
    } catch {
      throw error;
    }
  }
}

function statIfPresent(path: string): { size: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function sqliteKysely(database: DatabaseSync): Kysely<StoreDatabase> {
  return new Kysely<StoreDatabase>({
    dialect: new NodeSqliteDialect({ database }),
    plugins: [new CamelCasePlugin()],
  });
}

function busyTimeoutPragma(busyTimeoutMs: number): string {
  return `PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`;
}

/**
 * Connects to a PostgreSQL URL as {@linkcode openDatabase} does (password lookup, session
 * settings, TLS) without checking or migrating anything: for `iocscan store init-postgres`.
 */
export function connectPostgres(
  url: string,
  options: Pick<OpenDatabaseOptions, "password" | "sessionRole" | "caFile"> = {},
): Promise<Kysely<StoreDatabase>> {
  return openPostgres(url, options.password ?? passwordInUrl(url), false, options);
}

async function openPostgres(
  url: string,
  given: string | undefined,
  readOnly: boolean,
  { sessionRole, caFile }: Pick<OpenDatabaseOptions, "sessionRole" | "caFile"> = {},
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
    // A reading command's session refuses every write the server would otherwise take.
    ...(sessionOptions(readOnly, sessionRole) ?? {}),
    ...(caFile === undefined ? {} : { ssl: verifiedTls(caFile) }),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  return new Kysely<StoreDatabase>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
}

/** The server settings of every session: read-only transactions, the role to take. */
function sessionOptions(
  readOnly: boolean,
  role: string | undefined,
): { options: string } | undefined {
  const settings = [
    ...(readOnly ? ["-c default_transaction_read_only=on"] : []),
    ...(role === undefined ? [] : [`-c role=${role.replace(/[^a-z0-9_]/gi, "")}`]),
  ];
  return settings.length > 0 ? { options: settings.join(" ") } : undefined;
}

/** TLS that trusts only `caFile`'s certificates and checks the server's name (verify-full). */
function verifiedTls(caFile: string): { ca: string; rejectUnauthorized: true } {
  let ca: string;
  try {
    ca = readFileSync(caFile, "utf8");
  } catch (error) {
    throw new Error(`cannot read the CA file ${caFile} (--db-ca): ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return { ca, rejectUnauthorized: true };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
