/**
 * The kysely {@linkcode Driver} for `node:sqlite`: one connection, transactions
 * and savepoints.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import {
  CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  IdentifierNode,
  type QueryCompiler,
  RawNode,
  type TransactionSettings,
} from "kysely";
import { NodeSqliteConnection } from "./node_sqlite_connection.ts";

/**
 * How `BEGIN` takes its locks. `immediate` (the default) takes the write lock
 * at once, so a writer waiting for another process waits in the busy handler
 * instead of failing with SQLITE_BUSY when a read transaction tries to upgrade.
 */
export type SqliteTransactionMode = "deferred" | "immediate" | "exclusive";

/** How to open and set up the database. */
export interface NodeSqliteDialectConfig {
  /** An open database, or a function opening it when kysely first needs it. */
  database: DatabaseSync | (() => DatabaseSync | Promise<DatabaseSync>);
  /** Runs once on the new connection, e.g. to set pragmas. */
  onCreateConnection?: (connection: DatabaseConnection) => Promise<void>;
  /** The locking of read-write transactions; read-only ones are always deferred. */
  transactionMode?: SqliteTransactionMode;
}

/** Drives one {@linkcode DatabaseSync} for kysely. */
export class NodeSqliteDriver implements Driver {
  readonly #config: NodeSqliteDialectConfig;
  #db: DatabaseSync | undefined;
  #connection: NodeSqliteConnection | undefined;

  /** Keeps the configuration; nothing is opened until {@linkcode init}. */
  constructor(config: NodeSqliteDialectConfig) {
    this.#config = { ...config };
  }

  /** Opens the database and runs `onCreateConnection`. */
  async init(): Promise<void> {
    const { database } = this.#config;
    this.#db = typeof database === "function" ? await database() : database;
    this.#connection = new NodeSqliteConnection(this.#db);
    await this.#config.onCreateConnection?.(this.#connection);
  }

  /** Returns the single connection (kysely serialises its users). */
  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#connection) return Promise.reject(new Error("the SQLite driver is not initialised"));
    return Promise.resolve(this.#connection);
  }

  /** Starts a transaction; SQLite has one isolation level, so only the access mode matters. */
  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const mode = settings.accessMode === "read only"
      ? "deferred"
      : this.#config.transactionMode ?? "immediate";
    await connection.executeQuery(CompiledQuery.raw(`begin ${mode}`));
  }

  /** Commits the open transaction. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  /**
   * Rolls the open transaction back, unless SQLite already did: after SQLITE_FULL (a full
   * disk), SQLITE_IOERR or SQLITE_NOMEM it may roll the whole transaction back itself, and a
   * ROLLBACK then fails with "cannot rollback - no transaction is active", an error that
   * kysely would throw in place of the one that says what went wrong.
   */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#db?.isTransaction === false) return;
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  /** Sets a savepoint inside the open transaction. */
  async savepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await connection.executeQuery(savepointCommand("savepoint", savepointName, compileQuery));
  }

  /** Undoes everything since a savepoint. */
  async rollbackToSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await connection.executeQuery(savepointCommand("rollback to", savepointName, compileQuery));
  }

  /** Forgets a savepoint, keeping its changes in the transaction. */
  async releaseSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await connection.executeQuery(savepointCommand("release", savepointName, compileQuery));
  }

  /** Nothing to do: the single connection stays open until {@linkcode destroy}. */
  releaseConnection(): Promise<void> {
    return Promise.resolve();
  }

  /** Closes the database. */
  destroy(): Promise<void> {
    if (this.#db?.isOpen) this.#db.close();
    this.#db = undefined;
    this.#connection = undefined;
    return Promise.resolve();
  }
}

/**
 * `SAVEPOINT name` and friends, with the name quoted by the compiler (kysely
 * does the same in its own SQLite driver, whose helper it does not export).
 */
function savepointCommand(
  command: "savepoint" | "rollback to" | "release",
  savepointName: string,
  compileQuery: QueryCompiler["compileQuery"],
): CompiledQuery {
  const node = RawNode.createWithChildren([
    RawNode.createWithSql(`${command} `),
    IdentifierNode.create(savepointName),
  ]);
  return compileQuery(node, createQueryId());
}
