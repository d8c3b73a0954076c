/**
 * The typed shape of the results database, as kysely sees it. Property names
 * are camelCase here and snake_case in SQL: the store's kysely instance runs
 * the CamelCasePlugin.
 *
 * Timestamps are ISO-8601 UTC text (`2026-11-28T00:22:20.000Z`) in both
 * SQLite and PostgreSQL: that format sorts and compares as text, so one set of
 * migrations and queries serves both databases.
 *
 * @module
 */
import type { Generated } from "kysely";

export { RUN_STATUSES, type RunStatus } from "../contracts/run_status.ts";
import type { RunStatus } from "../contracts/run_status.ts";

/** One scan run. */
export interface RunsTable {
  id: Generated<number>;
  taskName: string | null;
  host: string;
  /** `user` is reserved in PostgreSQL. */
  userName: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** The run's options (the scan task) as JSON. */
  optionsJson: string;
  /** Figures of the finished run (files, objects, detections, skipped, warnings…) as JSON. */
  countsJson: string;
  /** The id of the process running the run; null for runs stored before version 2. */
  pid: number | null;
  /**
   * When that process started (ISO 8601, as the OS reports it), so that a reused pid is not
   * taken for the run's process; null when it could not be told.
   */
  processStartedAt: string | null;
  /**
   * The run's stable identity (a UUID, migration 0007): the same run uploaded twice from a
   * local store to the fleet store is one run (docs/fleet.md). Null for older runs.
   */
  runUid: Generated<string | null>;
  /**
   * PostgreSQL: the login role that wrote the run (default `current_user`); row-level security
   * lets an endpoint login see and write only its own. SQLite: null.
   */
  ownerRole: Generated<string | null>;
  /** Local store only: the fleet store URL (without password) this run is to be uploaded to. */
  uploadTarget: Generated<string | null>;
  /** Local store only: when the run was uploaded to `uploadTarget`; null while pending. */
  uploadedAt: Generated<string | null>;
}

/** One distinct IOC file content, shared by every run that used the same bytes. */
export interface IocContentsTable {
  id: Generated<number>;
  /** Lower-case hex SHA-256 of {@linkcode IocContentsTable.content}; unique. */
  sha256: string;
  content: Uint8Array;
  sizeBytes: number;
  firstSeenAt: string;
}

/** The IOCs (id and name) a stored IOC file content defines. */
export interface IocContentIocsTable {
  contentId: number;
  iocId: string;
  name: string;
}

/** The IOC set snapshot of a run: which content each IOC file path had. */
export interface RunIocFilesTable {
  runId: number;
  /** The path the run loaded the file from. */
  file: string;
  contentId: number;
}

/** One IOC that hit during a run. */
export interface DetectionsTable {
  id: Generated<number>;
  runId: number;
  /** The IOC file content the detection came from; null if the run's snapshot lacks it. */
  contentId: number | null;
  iocId: string;
  /**
   * SHA-256 of the IOC file content the detection came from: with `iocId`, the IOC's identity
   * (files may share an id). Null only for rows stored before migration 0003 whose content was
   * not in the run's snapshot.
   */
  iocSha256: string | null;
  iocName: string;
  iocFile: string;
  iocVersion: string;
  /** The evidence array as JSON. */
  evidenceJson: string;
  storedAt: string;
}

/** One object a collector did not evaluate (up to the per-run cap). */
export interface SkippedObjectsTable {
  id: Generated<number>;
  runId: number;
  collector: string;
  object: string;
  reason: string;
  detail: string | null;
}

/** How many objects each collector skipped for each reason, whatever the cap. */
export interface SkipCountsTable {
  runId: number;
  collector: string;
  reason: string;
  count: number;
}

/** One warning of a run. */
export interface WarningsTable {
  id: Generated<number>;
  runId: number;
  code: string;
  message: string;
  file: string | null;
  /** The other fields of the warning event (place, line, iocId…) as JSON. */
  detailJson: string | null;
}

/** One host isolation (migration 0005; docs/isolation.md). */
export interface IsolationsTable {
  id: string;
  startedAt: string;
  expiresAt: string;
  /** `active`, `released`, `expired`, `rolled-back` or `failed`. */
  state: string;
  /** The plan (allow-list, deadline) as JSON. */
  planJson: string;
  reason: string | null;
  /** The IOC ids that asked for it, as a JSON array. */
  iocIdsJson: string;
  runId: number | null;
  who: string;
  /** PostgreSQL: the login role that wrote it (migration 0007); SQLite: null. */
  ownerRole: Generated<string | null>;
  /** The host it isolates (migration 0007); null for older rows. */
  host: Generated<string | null>;
}

/** One step of an isolation (migration 0005): the audit trail. */
export interface IsolationAuditTable {
  id: Generated<number>;
  isolationId: string;
  step: string;
  at: string;
  who: string;
  reason: string | null;
  iocIdsJson: string | null;
  runId: number | null;
  rulesetHash: string | null;
  selfTestJson: string | null;
  outcome: string;
  detail: string | null;
}

/** One step a response action took on one object during a run (an `action` event). */
export interface ActionsTable {
  id: Generated<number>;
  runId: number;
  /** `quarantine`, `isolate`… */
  action: string;
  object: string;
  /** The event's `outcome` (contracts/events.ts `ActionOutcome`). */
  outcome: string;
  reason: string | null;
  detail: string | null;
  /** The quarantine entry (or isolation) the step made or changed. */
  entry: string | null;
  sha256: string | null;
  /** The IOCs (`[{id, sha256}]`) whose detections named the object, as JSON. */
  iocsJson: string | null;
  /** When the step ended, ISO 8601 UTC. */
  time: string;
}

/** One finding of a run: a result from a source other than an IOC (docs/critical-scan.md). */
export interface FindingsTable {
  id: Generated<number>;
  runId: number;
  /** Who found it: a collector or an antivirus engine. */
  source: string;
  /** The finding's stable code (`antivirus`, `anonymous-executable-memory`…). */
  kind: string;
  object: string;
  /** `detection`, `incomplete` or `notice` (`FindingSeverity`). */
  severity: string;
  detail: string;
  /** When it was found (ISO 8601 UTC). */
  foundAt: string;
  /** The finding's `data` as JSON; null when it has none. */
  dataJson: string | null;
}

/** The results database. */
export interface StoreDatabase {
  /** Scan runs. */
  runs: RunsTable;
  /** Distinct IOC file contents, shared between runs. */
  iocContents: IocContentsTable;
  /** The IOC ids and names each content defines. */
  iocContentIocs: IocContentIocsTable;
  /** Each run's IOC set snapshot: path → content. */
  runIocFiles: RunIocFilesTable;
  /** Detections with evidence. */
  detections: DetectionsTable;
  /** Skipped objects, up to the per-run cap. */
  skippedObjects: SkippedObjectsTable;
  /** Skipped objects counted by collector and reason. */
  skipCounts: SkipCountsTable;
  /** Warnings. */
  warnings: WarningsTable;
  /** Host isolations (migration 0005). */
  isolations: IsolationsTable;
  /** Every step of every isolation (migration 0005). */
  isolationAudit: IsolationAuditTable;
  /** Response actions' steps (migration 0004). */
  actions: ActionsTable;
  /** Findings (migration 0006). */
  findings: FindingsTable;
}
