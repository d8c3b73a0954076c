/**
 * The results store: runs, their IOC set snapshots, detections, skipped
 * objects and warnings, in SQLite (default) or PostgreSQL.
 *
 * @example Store one run and read it back
 * ```ts
 * import { openStore } from "./result_store.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const store = await openStore(":memory:");
 * const runId = await store.startRun({
 *   taskName: "nightly",
 *   host: "ws-01",
 *   user: "ann",
 *   options: { scopes: ["/srv"] },
 *   iocFiles: [{
 *     file: "iocs/evil.ioc",
 *     content: new TextEncoder().encode("<ioc id='x'/>"),
 *     iocs: [{ id: "x", name: "Evil" }],
 *   }],
 * });
 * await store.finishRun(runId, { status: "completed", counts: { files: 10, detections: 0 } });
 * strictEqual((await store.getRun(runId))?.iocFiles[0]?.iocs[0]?.name, "Evil");
 * await store.close();
 * ```
 *
 * @module
 */
import { hostname, userInfo } from "node:os";
import type { Kysely } from "kysely";
import type {
  ActionEvent,
  ActionOutcome,
  DetectionEvent,
  FindingEvent,
  FindingSeverity,
  SkippedEvent,
  WarningEvent,
} from "../contracts/events.ts";
import type { SkipReason } from "../collectors/collector.ts";
import { abandonedRunMessage, findAbandonedRuns, markAbandonedRuns } from "./abandoned_runs.ts";
import { defaultStoreLocation } from "./default_location.ts";
import {
  type IocFileSnapshot,
  readIocSnapshot,
  saveIocSnapshot,
  type StoredIocFile,
} from "./ioc_snapshot.ts";
import {
  insertIsolation,
  insertIsolationAudit,
  type IsolationChange,
  type IsolationState,
  selectIsolation,
  selectIsolationAudit,
  selectIsolations,
  type StoredIsolation,
  type StoredIsolationAudit,
  updateIsolation,
} from "./isolation_records.ts";
import { fromJsonText, toJsonText } from "./json_text.ts";
import { storableOptionalText, storableText } from "./storable_text.ts";
import { storedSeverities } from "./stored_severity.ts";
import { DEFAULT_SEVERITY } from "../contracts/severity.ts";
import type { DatabaseKind } from "./migrations.ts";
import type { FleetRole } from "./fleet_roles.ts";
import { hostMatches } from "./fleet_status.ts";
import { openDatabase, type OpenDatabaseOptions } from "./open_database.ts";
import { currentProcess, type ProcessIdentity } from "./process_identity.ts";
import {
  DEFAULT_RETENTION_DAYS,
  type PurgeOptions,
  type PurgeResult,
  purgeRuns,
} from "./retention.ts";
import { RUN_STATUSES, type RunStatus, type StoreDatabase } from "./schema.ts";

/** How many skipped objects a run stores individually, unless configured otherwise. */
export const DEFAULT_SKIPPED_ROW_CAP = 10_000;

/** Rows per INSERT: far below SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_BATCH_ROWS = 500;

/** How to open a store. */
export interface StoreOptions extends OpenDatabaseOptions {
  /** Days results are kept; {@linkcode ResultStore.startRun} purges older runs (default 30). */
  retentionDays?: number;
  /** Purge old runs when a run starts (default true). */
  purgeOnStart?: boolean;
  /** Skipped objects stored one by one per run (default 10,000); counts by reason are always kept. */
  skippedRowCap?: number;
  /** The clock (tests backdate runs with it). */
  clock?: () => Date;
  /**
   * Mark `abandoned` the runs of this host left `running` by a process that is gone
   * (default true); see {@linkcode markAbandonedRuns}.
   */
  markAbandoned?: boolean;
  /**
   * Runs found `running` whose process is gone, by id, with when that was seen:
   * a read-only store shows them as `abandoned` (finished then) without
   * writing. {@linkcode openStore} fills it; callers leave it out.
   */
  abandonedSeen?: ReadonlyMap<number, string>;
}

/** What a new run records. */
export interface StartRunInput {
  /** A name for the run (a scheduled task's name); null when unnamed. */
  taskName?: string | null;
  /** Default: this machine's host name. */
  host?: string;
  /** Default: the current user's name. */
  user?: string;
  /** The run's options, stored as JSON. */
  options?: unknown;
  /** Every IOC file the run loaded, with its exact content. */
  iocFiles: readonly IocFileSnapshot[];
  /**
   * The process running the run (default: this one), so that a later command can tell
   * when it is gone and mark the run `abandoned`.
   */
  process?: ProcessIdentity;
  /** The run's stable identity (default: a new UUID); an upload keeps the local run's. */
  runUid?: string;
  /**
   * The fleet store (URL without password) this run, stored locally, is to be uploaded to
   * (docs/fleet.md); unset for a run that stays here.
   */
  uploadTarget?: string;
}

/** How a run ended. */
export interface FinishRunInput {
  /** The final status. */
  status: Exclude<RunStatus, "running">;
  /** The run's figures: files, objects, detections, skipped, warnings… */
  counts: Record<string, number>;
}

/** A stored run. */
export interface StoredRun {
  /** The run id (never reused). */
  id: number;
  /** The task name; null for an unnamed run. */
  taskName: string | null;
  /** The host the run scanned from. */
  host: string;
  /** The user that ran it. */
  user: string;
  /** ISO-8601 UTC. */
  started: string;
  /** ISO-8601 UTC; null while running. */
  finished: string | null;
  /**
   * `running` until finished, then `completed`, `incomplete`, `interrupted` or `failed`;
   * `abandoned` when its process was found gone while it was `running`.
   */
  status: RunStatus;
  /** The run's options as given to {@linkcode ResultStore.startRun}. */
  options: unknown;
  /** The figures given to {@linkcode ResultStore.finishRun} (empty while running). */
  counts: Record<string, number>;
}

/** Which runs {@linkcode ResultStore.listRuns} returns. */
export interface ListRunsFilter {
  /** Runs started at or after this time. */
  since?: Date;
  /** Runs with exactly this task name. */
  taskName?: string;
  /** Runs of the hosts matching this pattern (`*`, `?`; case-insensitive; docs/fleet.md). */
  host?: string;
  /** Only runs with at least one IOC detection. */
  detectionsOnly?: boolean;
}

/** How many objects a collector skipped for one reason. */
export interface SkipCount {
  /** The collector that skipped the objects. */
  collector: string;
  /** The skip reason (`SkipReason`). */
  reason: string;
  /** How many objects. */
  count: number;
}

/** A run with everything needed to display it. */
export interface RunDetails {
  /** The run itself. */
  run: StoredRun;
  /** The IOC set snapshot: each file as the run loaded it. */
  iocFiles: StoredIocFile[];
  /**
   * Detections in the order they were stored, evidence parsed, `runId`, `host` (the run's),
   * `time` (when stored) and `severity` (the snapshot IOC's, docs/reports.md) set; `ioc.sha256` is
   * empty only for a detection stored before hashes were recorded whose content the run did not
   * keep.
   */
  detections: DetectionEvent[];
  /** Skipped objects counted by collector and reason (never capped). */
  skippedByReason: SkipCount[];
  /** How many skipped objects are stored one by one (at most the cap). */
  skippedStored: number;
  /** The run's warnings, in the order they were stored. */
  warnings: WarningEvent[];
  /** What the run's response actions did, in order ({@linkcode ResultStore.listActions}). */
  actions: ActionEvent[];
}

/** How many rows the database holds, per kind (see {@linkcode ResultStore.countRows}). */
export interface StoreRowCounts {
  /** Runs. */
  runs: number;
  /** Distinct IOC file contents. */
  iocContents: number;
  /** Detections. */
  detections: number;
  /** Skipped objects stored one by one. */
  skippedObjects: number;
  /** Warnings. */
  warnings: number;
}

/** What {@linkcode ResultStore.addSkipped} kept. */
export interface AddSkippedResult {
  /** Objects counted (all of them). */
  counted: number;
  /** Objects stored one by one (the rest exceeded the per-run cap). */
  stored: number;
}

/**
 * Opens (creating and migrating as needed) the results database.
 *
 * @param location A SQLite file path, `:memory:`, or a `postgres://` URL;
 *   default: {@linkcode defaultStoreLocation}.
 * @param options Busy timeout, retention, skipped-row cap.
 * @throws StoreOpenError when the database cannot be opened or migrated.
 */
export async function openStore(
  location?: string,
  options: StoreOptions = {},
): Promise<ResultStore> {
  const opened = await openDatabase(location ?? defaultStoreLocation(), options);
  const now = (options.clock ?? (() => new Date()))();
  let abandonedSeen: ReadonlyMap<number, string> = new Map();
  if (options.readOnly) {
    // A reading command writes nothing: it shows the runs it finds abandoned as such, and the
    // next command that writes marks them.
    const gone = await findAbandonedRuns(opened.db, { host: hostname() }).catch(() => []);
    abandonedSeen = new Map(gone.map((run) => [run.id, now.toISOString()]));
  } else if (options.markAbandoned ?? true) {
    // Best effort: a store that cannot be written now still opens; the runs wait for the next.
    await markAbandonedRuns(opened.db, { host: hostname(), now }).catch(() => {});
  }
  return new ResultStore(opened.db, opened.kind, opened.location, {
    ...options,
    abandonedSeen,
    // Retention of a fleet store is its admin's (docs/fleet.md): an endpoint cannot delete.
    ...(opened.fleetRole === "endpoint" ? { purgeOnStart: false } : {}),
  }, opened.fleetRole);
}

/** An open results database. Create it with {@linkcode openStore}. */
export class ResultStore {
  readonly #db: Kysely<StoreDatabase>;
  readonly #retentionDays: number;
  readonly #purgeOnStart: boolean;
  readonly #skippedRowCap: number;
  readonly #clock: () => Date;
  readonly #abandonedSeen: ReadonlyMap<number, string>;

  /** Where the database is: a file path, or a URL with its password masked. */
  readonly location: string;
  /** The database behind the store. */
  readonly kind: DatabaseKind;
  /** PostgreSQL fleet stores: whether this login is an endpoint's or not (docs/fleet.md). */
  readonly fleetRole: FleetRole | undefined;

  /** Wraps an open, migrated database; use {@linkcode openStore}. */
  constructor(
    db: Kysely<StoreDatabase>,
    kind: DatabaseKind,
    location: string,
    options: StoreOptions = {},
    fleetRole?: FleetRole,
  ) {
    this.#db = db;
    this.fleetRole = fleetRole;
    this.kind = kind;
    this.location = location;
    this.#retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#purgeOnStart = options.purgeOnStart ?? true;
    this.#skippedRowCap = Math.max(0, options.skippedRowCap ?? DEFAULT_SKIPPED_ROW_CAP);
    this.#clock = options.clock ?? (() => new Date());
    this.#abandonedSeen = options.abandonedSeen ?? new Map();
  }

  /** The `run-abandoned` warning of a run seen abandoned on a read-only open (none stored yet). */
  #abandonedWarning(row: RunRow & { pid?: number | null }): WarningEvent[] {
    const seen = this.#abandonedSeen.get(Number(row.id));
    if (
      seen === undefined || row.status !== "running" || row.pid === null || row.pid === undefined
    ) return [];
    return [{
      type: "warning",
      code: "run-abandoned",
      message: abandonedRunMessage(Number(row.pid), seen),
    }];
  }

  /** A stored run as it reads now: a run seen abandoned on a read-only open shows as such. */
  #storedRun(row: RunRow): StoredRun {
    const run = toStoredRun(row);
    const seen = this.#abandonedSeen.get(run.id);
    return seen !== undefined && run.status === "running"
      ? { ...run, status: "abandoned", finished: seen }
      : run;
  }

  /**
   * Records a new `running` run and its IOC set snapshot, after purging runs
   * past the retention period (a purge failure becomes a warning of the new
   * run, never a failed start).
   *
   * @returns The new run's id.
   */
  async startRun(input: StartRunInput): Promise<number> {
    const warnings: WarningEvent[] = [];
    if (this.#purgeOnStart) {
      try {
        await this.purge({ olderThanDays: this.#retentionDays });
      } catch (error) {
        warnings.push({
          type: "warning",
          code: "retention-purge-failed",
          message: `could not purge runs older than ${this.#retentionDays} days: ${
            (error as Error).message
          }`,
        });
      }
    }
    const now = this.#clock().toISOString();
    const process = input.process ?? await currentProcess();
    const { runId, mismatches } = await this.#db.transaction().execute(async (trx) => {
      const { id } = await trx.insertInto("runs")
        .values({
          taskName: storableOptionalText(input.taskName),
          host: storableText(input.host ?? hostname()),
          userName: storableText(input.user ?? currentUserName()),
          startedAt: now,
          finishedAt: null,
          status: "running",
          optionsJson: toJsonText(input.options ?? {}),
          countsJson: "{}",
          pid: process.pid,
          processStartedAt: process.startedAt,
          runUid: input.runUid ?? crypto.randomUUID(),
          ...(input.uploadTarget === undefined ? {} : { uploadTarget: input.uploadTarget }),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const mismatches = await saveIocSnapshot(trx, id, input.iocFiles, now);
      return { runId: id, mismatches };
    });
    for (const mismatch of mismatches) {
      warnings.push({
        type: "warning",
        code: "ioc-snapshot-hash-mismatch",
        message: `the SHA-256 given for ${mismatch.file} (${mismatch.supplied}) is not that of ` +
          `its content (${mismatch.computed}); the content is stored under its own hash`,
        file: mismatch.file,
      });
    }
    if (warnings.length > 0) await this.addWarnings(runId, warnings);
    return runId;
  }

  /**
   * Stores detections with their evidence, each linked to the content of the run's snapshot
   * whose SHA-256 is the detection's `ioc.sha256` (none when the snapshot lacks it: two files
   * may share an IOC id or a path may have changed, so neither identifies the content).
   */
  async addDetections(runId: number, detections: readonly DetectionEvent[]): Promise<void> {
    if (detections.length === 0) return;
    const storedAt = this.#clock().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      const contents = await trx.selectFrom("runIocFiles")
        .innerJoin("iocContents", "iocContents.id", "runIocFiles.contentId")
        .select(["iocContents.sha256", "runIocFiles.contentId"])
        .where("runIocFiles.runId", "=", runId)
        .execute();
      const bySha256 = new Map(contents.map((content) => [content.sha256, content.contentId]));
      const rows = detections.map((detection) => {
        const sha256 = detection.ioc.sha256.toLowerCase();
        return {
          runId,
          contentId: bySha256.get(sha256) ?? null,
          iocId: storableText(detection.ioc.id),
          iocSha256: storableText(sha256),
          iocName: storableText(detection.ioc.name),
          iocFile: storableText(detection.ioc.file),
          iocVersion: storableText(detection.ioc.version),
          evidenceJson: toJsonText(detection.evidence),
          storedAt,
        };
      });
      for (const batch of batches(rows)) await trx.insertInto("detections").values(batch).execute();
    });
  }

  /**
   * Counts skipped objects by collector and reason, and stores them one by
   * one until the run holds the per-run cap (default 10,000), so that a scan
   * of a share full of unreadable files cannot fill the disk.
   */
  async addSkipped(runId: number, skipped: readonly SkippedEvent[]): Promise<AddSkippedResult> {
    if (skipped.length === 0) return { counted: 0, stored: 0 };
    return await this.#db.transaction().execute(async (trx) => {
      const counts = new Map<string, SkipCount>();
      for (const entry of skipped) {
        const key = `${entry.collector}\u0000${entry.reason}`;
        const count = counts.get(key) ??
          {
            collector: storableText(entry.collector),
            reason: storableText(entry.reason),
            count: 0,
          };
        count.count++;
        counts.set(key, count);
      }
      for (const count of counts.values()) {
        await trx.insertInto("skipCounts")
          .values({ runId, ...count })
          .onConflict((conflict) =>
            conflict.columns(["runId", "collector", "reason"]).doUpdateSet((eb) => ({
              count: eb("skipCounts.count", "+", eb.ref("excluded.count")),
            }))
          )
          .execute();
      }
      const already = await countRows(trx, "skippedObjects", runId);
      const room = Math.max(0, this.#skippedRowCap - already);
      const rows = skipped.slice(0, room).map((entry) => ({
        runId,
        collector: storableText(entry.collector),
        object: storableText(entry.object),
        reason: storableText(entry.reason),
        detail: storableOptionalText(entry.detail),
      }));
      for (const batch of batches(rows)) {
        await trx.insertInto("skippedObjects").values(batch).execute();
      }
      return { counted: skipped.length, stored: rows.length };
    });
  }

  /** Stores warnings; fields beyond code, message and file are kept as JSON. */
  async addWarnings(runId: number, warnings: readonly WarningEvent[]): Promise<void> {
    if (warnings.length === 0) return;
    const rows = warnings.map(({ type: _type, code, message, file, ...detail }) => ({
      runId,
      code: storableText(code),
      message: storableText(message),
      file: storableOptionalText(file),
      detailJson: Object.keys(detail).length > 0 ? toJsonText(detail) : null,
    }));
    await this.#db.transaction().execute(async (trx) => {
      for (const batch of batches(rows)) await trx.insertInto("warnings").values(batch).execute();
    });
  }

  /** Stores findings (docs/critical-scan.md); their `data` is kept as JSON. */
  async addFindings(runId: number, findings: readonly FindingEvent[]): Promise<void> {
    if (findings.length === 0) return;
    const rows = findings.map((finding) => ({
      runId,
      source: storableText(finding.source),
      kind: storableText(finding.kind),
      object: storableText(finding.object),
      severity: finding.severity,
      detail: storableText(finding.detail),
      foundAt: finding.time,
      dataJson: finding.data === undefined ? null : toJsonText(finding.data),
    }));
    await this.#db.transaction().execute(async (trx) => {
      for (const batch of batches(rows)) await trx.insertInto("findings").values(batch).execute();
    });
  }

  /** A run's findings, in the order they were stored (`runId` set). */
  async listFindings(runId: number): Promise<FindingEvent[]> {
    const rows = await this.#db.selectFrom("findings").selectAll().where("runId", "=", runId)
      .orderBy("id").execute();
    return rows.map((row): FindingEvent => {
      const data = row.dataJson === null ? undefined : asRecord(fromJsonText(row.dataJson));
      return {
        type: "finding",
        runId,
        source: row.source,
        kind: row.kind,
        object: row.object,
        severity: row.severity as FindingSeverity,
        detail: row.detail,
        time: row.foundAt,
        ...(data === undefined ? {} : { data: data as NonNullable<FindingEvent["data"]> }),
      };
    });
  }

  /**
   * Marks a run finished with its final status and figures.
   *
   * @throws Error when the run does not exist or the status is not a final one.
   */
  async finishRun(runId: number, input: FinishRunInput): Promise<void> {
    if (!RUN_STATUSES.includes(input.status) || input.status === ("running" as RunStatus)) {
      throw new RangeError(`a run cannot finish with status ${JSON.stringify(input.status)}`);
    }
    const result = await this.#db.updateTable("runs")
      .set({
        status: input.status,
        finishedAt: this.#clock().toISOString(),
        countsJson: toJsonText(input.counts),
      })
      .where("id", "=", runId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new Error(`there is no run ${runId}`);
  }

  /** The runs matching `filter`, oldest first. */
  async listRuns(filter: ListRunsFilter = {}): Promise<StoredRun[]> {
    let query = this.#db.selectFrom("runs").selectAll().orderBy("id");
    if (filter.since !== undefined) {
      query = query.where("startedAt", ">=", filter.since.toISOString());
    }
    if (filter.taskName !== undefined) query = query.where("taskName", "=", filter.taskName);
    const host = filter.host;
    if (host !== undefined) {
      query = query.where(hostMatches(host));
    }
    if (filter.detectionsOnly) {
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom("detections").select("detections.id")
            .whereRef("detections.runId", "=", "runs.id"),
        )
      );
    }
    return (await query.execute()).map((row) => this.#storedRun(row));
  }

  /** One run with its snapshot, detections, skip counts, warnings and actions; undefined if unknown. */
  async getRun(runId: number): Promise<RunDetails | undefined> {
    const row = await this.#db.selectFrom("runs").selectAll().where("id", "=", runId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const [iocFiles, detections, skipCounts, skippedStored, warnings, actions] = await Promise.all([
      readIocSnapshot(this.#db, runId),
      this.#db.selectFrom("detections").selectAll().where("runId", "=", runId).orderBy("id")
        .execute(),
      this.#db.selectFrom("skipCounts").select(["collector", "reason", "count"])
        .where("runId", "=", runId).orderBy("collector").orderBy("reason").execute(),
      countRows(this.#db, "skippedObjects", runId),
      this.#db.selectFrom("warnings").selectAll().where("runId", "=", runId).orderBy("id")
        .execute(),
      this.listActions(runId),
    ]);
    const severities = await storedSeverities(
      this.#db,
      detections.map((detection) => detection.iocSha256 ?? ""),
    );
    return {
      run: this.#storedRun(row),
      iocFiles,
      detections: detections.map((detection): DetectionEvent => ({
        type: "detection",
        runId,
        ioc: {
          id: detection.iocId,
          sha256: detection.iocSha256 ?? "",
          name: detection.iocName,
          file: detection.iocFile,
          version: detection.iocVersion,
        },
        evidence: asArray(fromJsonText(detection.evidenceJson)) as DetectionEvent["evidence"],
        // Not stored: the run's host, when the detection was stored, the IOC's severity.
        host: row.host,
        time: detection.storedAt,
        severity: severities.get(detection.iocSha256 ?? "") ?? DEFAULT_SEVERITY,
      })),
      skippedByReason: skipCounts.map((count) => ({ ...count, count: Number(count.count) })),
      skippedStored,
      warnings: [
        ...warnings.map((warning): WarningEvent => ({
          type: "warning",
          ...(asRecord(fromJsonText(warning.detailJson))),
          code: warning.code,
          message: warning.message,
          ...(warning.file === null ? {} : { file: warning.file }),
        })),
        ...this.#abandonedWarning(row),
      ],
      actions,
    };
  }

  /** Stores the `action` events of a run (what its response actions did), in their order. */
  async addActions(runId: number, events: readonly ActionEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => ({
      runId,
      action: storableText(event.action),
      object: storableText(event.object),
      outcome: storableText(event.outcome),
      reason: storableOptionalText(event.reason),
      detail: storableOptionalText(event.detail),
      entry: storableOptionalText(event.entry),
      sha256: storableOptionalText(event.sha256),
      iocsJson: event.iocs === undefined ? null : toJsonText(event.iocs),
      time: storableText(event.time),
    }));
    await this.#db.transaction().execute(async (trx) => {
      for (const batch of batches(rows)) await trx.insertInto("actions").values(batch).execute();
    });
  }

  /** The `action` events stored with a run, in the order they happened. */
  async listActions(runId: number): Promise<ActionEvent[]> {
    const rows = await this.#db.selectFrom("actions").selectAll().where("runId", "=", runId)
      .orderBy("id").execute();
    return rows.map((row): ActionEvent => ({
      type: "action",
      runId,
      action: row.action,
      object: row.object,
      outcome: row.outcome as ActionOutcome,
      ...(row.reason === null ? {} : { reason: row.reason }),
      ...(row.detail === null ? {} : { detail: row.detail }),
      ...(row.iocsJson === null
        ? {}
        : { iocs: asArray(fromJsonText(row.iocsJson)) as NonNullable<ActionEvent["iocs"]> }),
      ...(row.entry === null ? {} : { entry: row.entry }),
      ...(row.sha256 === null ? {} : { sha256: row.sha256 }),
      time: row.time,
    }));
  }

  /** The skipped objects stored one by one for a run, in the order they came. */
  async listSkipped(runId: number, limit?: number): Promise<SkippedEvent[]> {
    let query = this.#db.selectFrom("skippedObjects").selectAll().where("runId", "=", runId)
      .orderBy("id");
    if (limit !== undefined) query = query.limit(limit);
    return (await query.execute()).map((row): SkippedEvent => ({
      type: "skipped",
      collector: row.collector,
      object: row.object,
      reason: row.reason as SkipReason,
      ...(row.detail === null ? {} : { detail: row.detail }),
    }));
  }

  /** The exact bytes of a stored IOC file content, by SHA-256; undefined when not stored. */
  async readIocContent(sha256: string): Promise<Uint8Array | undefined> {
    const row = await this.#db.selectFrom("iocContents").select("content")
      .where("sha256", "=", sha256.toLowerCase()).executeTakeFirst();
    // pg gives a Buffer; hand out a plain Uint8Array either way.
    return row === undefined ? undefined : new Uint8Array(row.content);
  }

  /**
   * Deletes runs that started more than `olderThanDays` (default 30) days
   * before `now` (never a running one) and the IOC contents left unused.
   */
  async purge(options: PurgeOptions = {}): Promise<PurgeResult> {
    return await purgeRuns(this.#db, { now: this.#clock(), ...options });
  }

  /** How many runs, distinct IOC contents, detections, skipped objects and warnings are stored. */
  async countRows(): Promise<StoreRowCounts> {
    const count = async (
      table: "runs" | "iocContents" | "detections" | "skippedObjects" | "warnings",
    ) => {
      const row = await this.#db.selectFrom(table)
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    };
    return {
      runs: await count("runs"),
      iocContents: await count("iocContents"),
      detections: await count("detections"),
      skippedObjects: await count("skippedObjects"),
      warnings: await count("warnings"),
    };
  }

  /**
   * Stores a new host isolation (before its rules are applied: docs/isolation.md).
   *
   * @throws Error when an isolation with this id exists.
   */
  async addIsolation(isolation: StoredIsolation): Promise<void> {
    await insertIsolation(this.#db, isolation);
  }

  /**
   * Changes an isolation's state, deadline or plan.
   *
   * @throws Error when there is no such isolation.
   */
  async updateIsolation(id: string, change: IsolationChange): Promise<void> {
    await updateIsolation(this.#db, id, change);
  }

  /** One isolation by id; undefined when unknown. */
  async getIsolation(id: string): Promise<StoredIsolation | undefined> {
    return await selectIsolation(this.#db, id);
  }

  /** Every isolation, the newest first; with `state`, only those in it. */
  async listIsolations(state?: IsolationState): Promise<StoredIsolation[]> {
    return await selectIsolations(this.#db, state);
  }

  /** Appends one step to an isolation's audit trail. */
  async addIsolationAudit(record: StoredIsolationAudit): Promise<void> {
    await insertIsolationAudit(this.#db, record);
  }

  /** An isolation's audit trail, oldest first. */
  async listIsolationAudit(isolationId: string): Promise<StoredIsolationAudit[]> {
    return await selectIsolationAudit(this.#db, isolationId);
  }

  /** Closes the database. */
  /** How many finished runs wait for their upload to the fleet store `target` (docs/fleet.md). */
  async countPendingUploads(target: string): Promise<number> {
    const { count } = await this.#db.selectFrom("runs")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("uploadTarget", "=", target)
      .where("uploadedAt", "is", null)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /** The kysely instance, for the store's own modules (fleet upload and status); not for callers. */
  get database(): Kysely<StoreDatabase> {
    return this.#db;
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}

type RunRow = {
  id: number;
  taskName: string | null;
  host: string;
  userName: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  optionsJson: string;
  countsJson: string;
};

function toStoredRun(row: RunRow): StoredRun {
  return {
    id: Number(row.id),
    taskName: row.taskName,
    host: row.host,
    user: row.userName,
    started: row.startedAt,
    finished: row.finishedAt,
    status: row.status,
    options: fromJsonText(row.optionsJson),
    counts: asRecord(fromJsonText(row.countsJson)) as Record<string, number>,
  };
}

async function countRows(
  db: Kysely<StoreDatabase>,
  table: "skippedObjects",
  runId: number,
): Promise<number> {
  const { count } = await db.selectFrom(table)
    .select((eb) => eb.fn.countAll().as("count"))
    .where("runId", "=", runId)
    .executeTakeFirstOrThrow();
  // PostgreSQL counts are bigint, which pg returns as text.
  return Number(count);
}

function* batches<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    yield rows.slice(start, start + INSERT_BATCH_ROWS);
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return Deno.env.get("USERNAME") ?? Deno.env.get("USER") ?? "unknown";
  }
}
