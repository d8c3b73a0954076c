/**
 * A kysely {@linkcode Dialect} for Deno's built-in `node:sqlite`
 * ({@linkcode DatabaseSync}). kysely's SqliteDialect expects better-sqlite3,
 * whose statements take parameter arrays and say whether they return rows;
 * `node:sqlite` statements take spread parameters and do not (kysely#1292).
 * This dialect reuses kysely's SQLite query compiler, adapter and
 * introspector and brings its own driver and connection.
 *
 * @example Query an in-memory database
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { Kysely, sql } from "kysely";
 * import { NodeSqliteDialect } from "./node_sqlite_dialect.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const db = new Kysely<{ t: { x: number } }>({
 *   dialect: new NodeSqliteDialect({ database: new DatabaseSync(":memory:") }),
 * });
 * await sql`create table t (x integer)`.execute(db);
 * await db.insertInto("t").values({ x: 1 }).execute();
 * deepStrictEqual(await db.selectFrom("t").selectAll().execute(), [{ x: 1 }]);
 * await db.destroy();
 * ```
 *
 * @module
 */
import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { NodeSqliteAdapter } from "./node_sqlite_adapter.ts";
import { type NodeSqliteDialectConfig, NodeSqliteDriver } from "./node_sqlite_driver.ts";

export type { NodeSqliteDialectConfig, SqliteTransactionMode } from "./node_sqlite_driver.ts";

/** kysely over `node:sqlite`. */
export class NodeSqliteDialect implements Dialect {
  readonly #config: NodeSqliteDialectConfig;

  /** Takes the database (or a function opening it) and optional set-up. */
  constructor(config: NodeSqliteDialectConfig) {
    this.#config = { ...config };
  }

  /** Our driver for `DatabaseSync`. */
  createDriver(): Driver {
    return new NodeSqliteDriver(this.#config);
  }

  /** kysely's SQLite SQL generation. */
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  /** kysely's SQLite adapter, with transactional DDL. */
  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter();
  }

  /** kysely's SQLite introspector (tables, columns). */
  // deno-lint-ignore no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
