/**
 * The kysely {@linkcode DatabaseConnection} over one `node:sqlite`
 * {@linkcode DatabaseSync} handle.
 *
 * `node:sqlite` differs from better-sqlite3, which kysely's own SqliteDialect
 * expects: statements have no `reader` flag, parameters are spread rather than
 * passed as an array, and booleans and Dates cannot be bound. This connection
 * bridges those differences.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";

/** How many prepared statements a connection keeps for reuse. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * Converts one query parameter into a value `node:sqlite` can bind: booleans
 * become 0/1 (SQLite has no boolean type and `node:sqlite` rejects them), Dates
 * become ISO-8601 strings (they sort and compare as text), `undefined` becomes
 * NULL. Numbers, bigints, strings, null and byte arrays pass through.
 *
 * @param value A parameter of a compiled query.
 * @returns The value to bind.
 *
 * @example Booleans and Dates
 * ```ts
 * import { toSqliteValue } from "./node_sqlite_connection.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(toSqliteValue(true), 1);
 * strictEqual(toSqliteValue(new Date(0)), "1970-01-01T00:00:00.000Z");
 * ```
 */
export function toSqliteValue(value: unknown): SQLInputValue {
  switch (typeof value) {
    case "boolean":
      return value ? 1 : 0;
    case "undefined":
      return null;
    case "number":
    case "bigint":
    case "string":
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(
    `cannot bind a value of type ${describeType(value)} to a SQLite parameter ` +
      "(serialise objects to JSON text first)",
  );
}

/**
 * One connection: executes and streams compiled queries on a
 * {@linkcode DatabaseSync}. Kysely's SqliteAdapter makes the runtime serialise
 * every use of it, so it needs no locking of its own.
 */
export class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  /** Wraps an open database handle. */
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Runs one query. Statements that return columns (SELECT, PRAGMA, and
   * INSERT/UPDATE/DELETE … RETURNING) give their rows; the others give the
   * number of changed rows and the last inserted rowid.
   */
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql } = compiledQuery;
    try {
      const statement = this.#prepare(sql);
      const parameters = compiledQuery.parameters.map(toSqliteValue);
      if (statement.columns().length > 0) {
        return Promise.resolve({ rows: statement.all(...parameters).map(plainRow) as R[] });
      }
      const { changes, lastInsertRowid } = statement.run(...parameters);
      return Promise.resolve({
        rows: [],
        numAffectedRows: BigInt(changes),
        insertId: BigInt(lastInsertRowid),
      });
    } catch (error) {
      return Promise.reject(withSql(error, sql));
    }
  }

  /**
   * Streams the rows of a query, `chunkSize` rows at a time, without loading
   * them all. The statement is private to the stream so that other queries
   * cannot reset it half-way.
   */
  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 1,
  ): AsyncIterableIterator<QueryResult<R>> {
    const { sql } = compiledQuery;
    let statement: StatementSync;
    try {
      statement = this.#db.prepare(sql);
    } catch (error) {
      throw withSql(error, sql);
    }
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    if (statement.columns().length === 0) {
      yield await this.executeQuery<R>(compiledQuery);
      return;
    }
    let chunk: R[] = [];
    for (const row of statement.iterate(...parameters)) {
      chunk.push(plainRow(row as Record<string, unknown>) as R);
      if (chunk.length >= Math.max(1, chunkSize)) {
        yield { rows: chunk };
        chunk = [];
      }
    }
    if (chunk.length > 0) yield { rows: chunk };
  }

  /** Prepares `sql`, reusing a cached statement: batch inserts repeat the same SQL. */
  #prepare(sql: string): StatementSync {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Re-insert to keep the map in least-recently-used order.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    return statement;
  }
}

/** Adds the SQL to a SQLite error: `node:sqlite` messages do not say which statement failed. */
function withSql(error: unknown, sql: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const shortSql = sql.length > 300 ? `${sql.slice(0, 300)}…` : sql;
  const wrapped = new Error(`${message} (SQL: ${shortSql})`, { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== undefined) Object.assign(wrapped, { code });
  return wrapped;
}

/**
 * `node:sqlite` rows have a null prototype; give them the ordinary one so that
 * they behave like every other object (deep equality, `hasOwnProperty`).
 */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row };
}

function describeType(value: unknown): string {
  if (typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "object";
}
