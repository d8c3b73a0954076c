/**
 * The kysely adapter for `node:sqlite`: kysely's own {@linkcode SqliteAdapter}
 * with transactional DDL switched on.
 *
 * @module
 */
import { SqliteAdapter } from "kysely";

/**
 * {@linkcode SqliteAdapter} as is (one connection, so kysely serialises every
 * query and transaction on it), except that it reports transactional DDL.
 *
 * SQLite does roll back `CREATE TABLE` and friends. Saying so makes kysely's
 * Migrator run the pending migrations inside one transaction, which our driver
 * begins with `BEGIN IMMEDIATE`: two processes opening a fresh database at the
 * same time then migrate one after the other instead of both creating the same
 * tables. kysely's SqliteAdapter takes no migration lock at all.
 */
export class NodeSqliteAdapter extends SqliteAdapter {
  /** SQLite DDL is transactional. */
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
