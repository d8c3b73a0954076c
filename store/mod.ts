/**
 * The results store: every scan run with its IOC set snapshot, detections
 * (with evidence), skipped objects and warnings, kept for 30 days by default.
 * SQLite through kysely over Deno's built-in `node:sqlite` (our own dialect),
 * or PostgreSQL when the location is a `postgres://` URL. docs/store.md
 * describes the schema, retention and concurrency.
 *
 * @example
 * ```ts
 * import { openStore } from "./mod.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const store = await openStore(":memory:");
 * const runId = await store.startRun({ taskName: "demo", iocFiles: [] });
 * await store.finishRun(runId, { status: "completed", counts: { detections: 0 } });
 * strictEqual((await store.listRuns({ taskName: "demo" })).length, 1);
 * await store.close();
 * ```
 *
 * @module
 */
export * from "./result_store.ts";
export type { IocFileSnapshot, SnapshotIoc, StoredIocFile } from "./ioc_snapshot.ts";
export { DEFAULT_RETENTION_DAYS, type PurgeOptions, type PurgeResult } from "./retention.ts";
export { RUN_STATUSES, type RunStatus, type StoreDatabase } from "./schema.ts";
export { defaultStoreLocation, type LocationContext } from "./default_location.ts";
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  isPostgresUrl,
  type OpenDatabaseOptions,
} from "./open_database.ts";
export {
  ISOLATION_STATES,
  type IsolationChange,
  type IsolationState,
  type StoredIsolation,
  type StoredIsolationAudit,
} from "./isolation_records.ts";
export { StoreOpenError } from "./store_open_error.ts";
export {
  type AbandonedRun,
  type MarkAbandonedOptions,
  markAbandonedRuns,
} from "./abandoned_runs.ts";
export {
  currentProcess,
  type ProcessIdentity,
  processStartTime,
  type ProcessState,
  processState,
} from "./process_identity.ts";
export {
  NodeSqliteDialect,
  type NodeSqliteDialectConfig,
  type SqliteTransactionMode,
} from "./node_sqlite_dialect.ts";
export {
  type DatabaseKind,
  migrateToLatest,
  type MigrationReport,
  storeMigrationProvider,
} from "./migrations.ts";
export { type UploadedRun, uploadPendingRuns } from "./fleet_upload.ts";
export { type InitPostgresOptions, initPostgresStore } from "./fleet_init.ts";
export {
  FLEET_ADMIN_ROLE,
  FLEET_ENDPOINT_ROLE,
  type FleetInitReport,
  type FleetRole,
} from "./fleet_roles.ts";
export { withoutPassword } from "./postgres_url.ts";
export { fleetStatus, type HostStatus } from "./fleet_status.ts";
