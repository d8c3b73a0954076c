/**
 * A whole scan: load the IOC files, compile the plan, run the collectors the
 * plan needs, evaluate every observed object, store the run and report every
 * event (detections, skips, warnings, progress) to a sink.
 *
 * @example
 * ```ts ignore
 * import { runScan } from "./run_scan.ts";
 * const outcome = await runScan(
 *   { version: 1, iocPaths: ["iocs/"], scopes: [{ path: "/srv/upload" }] },
 *   { event: (event) => console.log(JSON.stringify(event)) },
 * );
 * // outcome.exitCode is 1 when something was detected
 * ```
 *
 * @module
 */
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import type { Collector, CollectorReporter } from "../collectors/collector.ts";
import { ExitCode } from "../contracts/exit_codes.ts";
import type {
  ActionEvent,
  DetectionEvent,
  FindingEvent,
  IocScanEvent,
  NotEvaluatedEvent,
  SkippedEvent,
  WarningEvent,
} from "../contracts/events.ts";
import { compilePlan, iocRef } from "../engine/mod.ts";
import { iocItems, type LoadedIocSet, loadIocPaths, loadWarningEvent } from "../openioc/mod.ts";
import type { IndicatorItem, IocDocument } from "../openioc/model.ts";
import { type FilePreset, filePresets } from "../collectors/file/scan_scopes.ts";
import { resolveTerm } from "../openioc/term_catalogue.ts";
import type { ResultStore } from "../store/mod.ts";
import { buildCollectors } from "./build_collectors.ts";
import { collectorForDocument, selectCollectors, unknownTypes } from "./collector_selection.ts";
import { CompletenessTracker, type IncompleteEntry, namedInputs } from "./completeness.ts";
import {
  interruptionFields,
  interruptionOf,
  interruptionWarning,
  type ScanInterruption,
} from "./interrupt.ts";
import { observeCollected } from "./observe_collected.ts";
import { ProgressThrottle } from "./progress_throttle.ts";
import { ScanSetupError } from "./scan_setup_error.ts";
import { storeRun, storeSkipped, StoreWriteError } from "./store_run.ts";
import { type FleetUploadSummary, uploadToFleet } from "./fleet_upload_step.ts";
import { isPostgresUrl } from "../store/postgres_url.ts";
import { actionOptionProblems, alsoCollected, unknownActions } from "./action_list.ts";
import { countActionOutcomes, runActions, selectedActions } from "./run_actions.ts";
import { stampDetections } from "./detection_record.ts";
import type { ScanTask } from "./task_file.ts";
import { viewsCover } from "./views_cover.ts";

/** Where scan events go as they happen. */
export interface ScanEventSink {
  event(event: IocScanEvent): void;
}

/** What a finished scan reports back. */
export interface ScanOutcome {
  exitCode: number;
  runId?: number;
  detections: DetectionEvent[];
  /** Whether every named input was read and every IOC decided (scan/completeness.ts). */
  complete: boolean;
  /** Why the run is not complete; empty when it is. */
  incomplete: IncompleteEntry[];
  databasePath?: string;
  /** With a fleet store: where the run went (docs/fleet.md). */
  fleet?: FleetUploadSummary;
  /** Why the scan stopped early, when a signal interrupted it (`status: "interrupted"`). */
  interruption?: ScanInterruption;
  /** What collectors found without an IOC (docs/critical-scan.md), `runId` set when stored. */
  findings: FindingEvent[];
}

/** Options that are not part of the task file. */
export interface RunScanOptions {
  /** Skip the results store entirely (tests, `match`-like runs). */
  noStore?: boolean;
  /**
   * How many objects may be evaluated at once (default 64): lazy hashing then
   * overlaps I/O and keeps both hash workers busy on small files.
   */
  concurrency?: number;
  /**
   * Stops collecting when aborted. With a {@linkcode ScanInterruption} as its reason (see
   * `watchInterrupts`), what was collected until then is still evaluated and stored, the run
   * is stored as `interrupted` and the exit code is the signal's.
   */
  signal?: AbortSignal;
  /**
   * The PostgreSQL password, handed over apart from `task.databasePath` so that
   * it is never stored with the run's options (store/postgres_password.ts).
   */
  databasePassword?: string;
  /** The task file the scan was read from: response actions never act on it. */
  taskFile?: string;
  /**
   * Run without IOCs when `task.iocPaths` is empty (the critical-areas scan: its findings and the
   * antivirus hand-off need none): the collectors of `task.types` still run and the run is
   * stored. The summary then always counts findings (`findings`, `findingsByKind`).
   */
  withoutIocs?: boolean;
  /**
   * The scan's scope is what its view collectors see (the critical-areas scan, whose FileItem
   * objects are the images and modules of the critical areas): a document a built collector
   * yields as a view (`viewDocuments`) counts as read, not as `type-not-selected`. Default false:
   * a view claims nothing (docs/autoruns.md).
   */
  viewsCover?: boolean;
}

export { ScanSetupError };

/** Runs one scan task to the end and returns its outcome. */
export async function runScan(
  task: ScanTask,
  sink: ScanEventSink,
  options: RunScanOptions = {},
): Promise<ScanOutcome> {
  const started = performance.now();
  const unknown = unknownTypes(task.types ?? []);
  if (unknown.length > 0) {
    throw new ScanSetupError(`unknown data type(s): ${unknown.join(", ")}`);
  }
  checkPresets(task.presets ?? []);
  const unknownAction = unknownActions(task.actions ?? []);
  if (unknownAction.length > 0) {
    throw new ScanSetupError(`unknown action(s): ${unknownAction.join(", ")}`);
  }
  const actionProblems = actionOptionProblems(task);
  if (actionProblems.length > 0) throw new ScanSetupError(actionProblems.join("; "));

  const noIocs = options.withoutIocs === true && task.iocPaths.length === 0;
  const loaded = noIocs ? emptyIocSet() : await loadIocPaths(task.iocPaths, {
    ...maxIocBytes(task),
    followIocLinks: task.followIocLinks ?? false,
  });
  for (const rejected of loaded.rejected) sink.event({ type: "rejected", ...rejected });
  const warnings: WarningEvent[] = loaded.warnings.map(loadWarningEvent);
  if (loaded.documents.length === 0 && !noIocs) {
    for (const warning of warnings) sink.event(warning);
    throw new ScanSetupError(`no IOC could be loaded from ${task.iocPaths.join(", ")}`);
  }

  const plan = compilePlan(loaded.documents);
  warnings.push(...plan.warnings);
  // Actions may run collectors of their own in the same pass (`--action critical-scan`).
  const selection = selectCollectors(
    plan.needs.keys(),
    task.types,
    alsoCollected(task.actions ?? []),
  );
  const { collectors, withoutSource, noSourceReasons, unreadEvidence, offline } =
    await buildCollectors(
      task,
      selection.run,
      loaded.documents,
      (warning) => warnings.push(warning),
    );
  const coverage = options.viewsCover ? viewsCover(collectors, selection.uncovered) : undefined;
  const completeness = new CompletenessTracker(namedInputs(task));
  for (const { path, reason } of unreadEvidence) completeness.inputNotRead(path, reason);
  await completeness.checkInputs();
  const uncoveredDetails = new Map<string, string>();
  for (const document of plan.needs.keys()) {
    const collector = collectorForDocument(document);
    if (collector && withoutSource.includes(collector)) {
      selection.uncovered.set(document, "no-source");
      const detail = noSourceReasons.get(collector);
      if (detail !== undefined) uncoveredDetails.set(document.toLowerCase(), detail);
    }
  }
  const notEvaluated: NotEvaluatedEvent[] = [
    ...plan.notEvaluated,
    ...uncoveredItems(loaded.documents, selection.uncovered, plan.isEvaluated, uncoveredDetails),
  ];

  // Collectors start their slow parts (hash workers) now, and the results store opens while the
  // first objects are collected: loading kysely and opening the database take ~50 ms of this
  // thread, which would otherwise all come before the first object while the workers boot.
  const unprepare = collectors.map((collector) =>
    collector.prepare?.(collectorNeeds(collector, plan.needs))
  );
  const stop = new AbortController();
  const outerSignal = options.signal;
  outerSignal?.addEventListener("abort", () => stop.abort(outerSignal.reason), { once: true });
  if (outerSignal?.aborted) stop.abort(outerSignal.reason);
  let storeFailure: ScanSetupError | undefined;
  const opening = options.noStore
    ? undefined
    : openRun(task, loaded, options.databasePassword).catch((error) => {
      // Nothing is stored without the store: the scan stops as soon as it is known.
      // The store's own errors already say "cannot open the results database <path>: …".
      const message = (error as Error).message;
      storeFailure = new ScanSetupError(
        message.startsWith("cannot open the results database")
          ? message
          : `cannot open the results database: ${message}`,
      );
      stop.abort(storeFailure);
      for (const undo of unprepare) undo?.();
      return undefined;
    });
  let store: ResultStore | undefined;
  let runId: number | undefined;
  const storeOpened = async () => {
    const opened = await opening;
    if (storeFailure) throw storeFailure;
    store = opened?.store;
    runId = opened?.runId;
  };

  const skippedBatch: SkippedEvent[] = [];
  const findings: FindingEvent[] = [];
  // Documents a source skipped as a whole left unread (an unavailable resolver cache).
  const unreadDocuments = new Set<string>();
  const skippedByReason: Record<string, number> = {};
  const emitWarning = (warning: WarningEvent) => {
    warnings.push(warning);
    sink.event(warning);
  };
  for (const warning of warnings.slice()) sink.event(warning);
  for (const event of notEvaluated) sink.event(event);

  const throttle = new ProgressThrottle((event) => sink.event(event));
  const reporter: CollectorReporter = {
    skipped(entry) {
      const event: SkippedEvent = { type: "skipped", ...entry };
      skippedByReason[entry.reason] = (skippedByReason[entry.reason] ?? 0) + 1;
      for (const document of entry.unreadDocuments ?? []) {
        unreadDocuments.add(document.toLowerCase());
      }
      for (const document of coverage?.unreadWith(entry) ?? []) {
        unreadDocuments.add(document.toLowerCase());
      }
      completeness.noteSkipped(event);
      skippedBatch.push(event);
      sink.event(event);
    },
    warning(entry) {
      const event: WarningEvent = { type: "warning", ...entry };
      completeness.noteWarning(event);
      emitWarning(event);
    },
    progress(entry) {
      throttle.report(entry);
    },
    finding(entry) {
      const event: FindingEvent = { type: "finding", ...entry };
      // A finding that says an area was not covered (no antivirus) leaves the run incomplete.
      if (event.severity === "incomplete") completeness.areaNotCovered(event.object, event.detail);
      findings.push(event);
    },
  };

  const session = plan.createSession();
  let objects = 0;
  let status: "completed" | "incomplete" | "failed" | "interrupted" = "completed";
  let interruption: ScanInterruption | undefined;
  try {
    for (const collector of collectors) {
      objects += await observeCollected(
        collector,
        { needs: collectorNeeds(collector, plan.needs), reporter, signal: stop.signal },
        session,
        options.concurrency,
      );
      throttle.flush();
      await storeOpened();
      if (store && runId !== undefined && skippedBatch.length > 0) {
        await storeSkipped(store, runId, skippedBatch.splice(0));
      }
    }
    await storeOpened();
    interruption = interruptionOf(stop.signal);
  } catch (error) {
    if (error === storeFailure) throw error;
    // A collector stopped by an interruption may fail on its way out (a killed wevtutil):
    // the run is interrupted, not failed.
    interruption = interruptionOf(stop.signal);
    status = "failed";
    if (!interruption) {
      emitWarning(
        error instanceof StoreWriteError
          ? error.warning
          : { type: "warning", code: "scan-failed", message: (error as Error).message },
      );
    }
    // A collector that failed before the store was awaited: the run is still recorded (as
    // failed) and the store closed, as when the store opened before collecting.
    await storeOpened();
  }

  if (interruption) {
    status = "interrupted";
    emitWarning(interruptionWarning(interruption, objects));
  }
  const detections = session.finish();
  stampDetections(detections, loaded.documents, {
    host: hostname(),
    time: new Date().toISOString(),
  });
  for (const warning of session.warnings) emitWarning(warning);
  // Documents no collector read: their groups are unknown, not false, for the IOCs that need them.
  const unread = new Set([
    ...[...selection.uncovered.keys()].map((document) => document.toLowerCase()),
    ...unreadDocuments,
  ]);
  completeness.noteUndecided(session.undecided(unread), notEvaluated);
  if (status === "completed" && !completeness.complete) status = "incomplete";
  for (const detection of detections) {
    if (runId !== undefined) detection.runId = runId;
    sink.event(detection);
  }
  for (const finding of findings) {
    if (runId !== undefined) finding.runId = runId;
    sink.event(finding);
  }
  const findingsByKind: Record<string, number> = {};
  for (const { kind } of findings) findingsByKind[kind] = (findingsByKind[kind] ?? 0) + 1;
  const findingDetected = findings.some((finding) => finding.severity === "detection");

  // Response actions act once the detections are known, and only on a run that went to its end.
  const actionNames = selectedActions(task);
  let actionEvents: ActionEvent[] = [];
  if (actionNames.length > 0 && (status === "failed" || interruption)) {
    emitWarning({
      type: "warning",
      code: "actions-not-run",
      message: `the actions (${actionNames.join(", ")}) did not run: the scan ${
        interruption ? "was interrupted" : "failed"
      } and its detections may be partial; nothing was changed`,
    });
  } else if (actionNames.length > 0) {
    actionEvents = await runActions({
      task,
      detections,
      ...(runId === undefined ? {} : { runId }),
      signal: stop.signal,
      protectedPaths: await protectedPaths(
        task,
        loaded,
        store?.location ?? task.databasePath,
        options.taskFile,
      ),
      offline,
      ...(store === undefined ? {} : {
        results: {
          store,
          location: store.location,
          named: task.databasePath !== undefined,
        },
      }),
      event: (event) => sink.event(event),
      warning: emitWarning,
    });
  }

  const counts = {
    iocs: loaded.documents.length,
    objects,
    detections: detections.length,
    skipped: Object.values(skippedByReason).reduce((sum, count) => sum + count, 0),
    warnings: warnings.length,
    notEvaluated: notEvaluated.length,
    rejected: loaded.rejected.length,
    ...(findings.length > 0 || options.withoutIocs ? { findings: findings.length } : {}),
  };
  let fleetUpload: FleetUploadSummary | undefined;
  if (store && runId !== undefined) {
    const stored = await storeRun(store, runId, {
      skipped: skippedBatch.splice(0),
      // Why the run is incomplete is kept with it, first, for runs nobody watched (scheduled
      // tasks).
      warnings: [...incompleteWarnings(completeness.entries()), ...warnings],
      detections,
      actions: actionEvents,
      findings,
      status,
      counts,
    });
    for (const warning of stored.warnings) sink.event(warning);
    counts.warnings += stored.warnings.length;
    status = stored.status;
    if (task.databasePath !== undefined && isPostgresUrl(task.databasePath)) {
      const upload = await uploadToFleet(store.location, runId, {
        url: task.databasePath,
        ...(options.databasePassword === undefined ? {} : { password: options.databasePassword }),
        ...(task.databaseCa === undefined ? {} : { caFile: task.databaseCa }),
      });
      fleetUpload = upload.summary;
      if (upload.warning) {
        sink.event(upload.warning);
        counts.warnings++;
      }
    }
  }
  sink.event({
    type: "summary",
    ...(runId === undefined ? {} : { runId }),
    status,
    complete: completeness.complete,
    incomplete: completeness.entries(),
    ...(interruption ? interruptionFields(interruption) : {}),
    ...counts,
    ...(actionNames.length > 0 ? { actions: countActionOutcomes(actionEvents) } : {}),
    skippedByReason,
    ...(findings.length > 0 || options.withoutIocs ? { findingsByKind } : {}),
    collectors: collectors.map((collector) => collector.name),
    durationMs: Math.round(performance.now() - started),
    ...(store ? { database: store.location } : {}),
    ...(fleetUpload ? { fleet: fleetUpload } : {}),
  });
  const outcome: ScanOutcome = {
    exitCode: status === "failed"
      ? ExitCode.Error
      : interruption
      ? interruption.exitCode
      : detections.length > 0 || findingDetected
      ? ExitCode.Detected
      : status === "incomplete"
      ? ExitCode.Incomplete
      : ExitCode.Clean,
    detections,
    complete: completeness.complete,
    incomplete: completeness.entries(),
    findings,
  };
  if (interruption) outcome.interruption = interruption;
  if (runId !== undefined) outcome.runId = runId;
  if (store) outcome.databasePath = store.location;
  if (fleetUpload) outcome.fleet = fleetUpload;
  return outcome;
}

/**
 * An unknown preset is a usage error (exit code 2), not a warning: scanning
 * nothing where the user asked for a preset would read as clean.
 */
function checkPresets(presets: readonly string[]): void {
  const unknown = presets.filter((preset) => !filePresets.includes(preset as FilePreset));
  if (unknown.length > 0) {
    throw new ScanSetupError(
      `unknown preset(s): ${unknown.join(", ")}; known: ${filePresets.join(", ")}`,
    );
  }
}

function collectorNeeds(
  collector: Collector,
  needs: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, ReadonlySet<string>> {
  const documents = new Set(
    [...collector.documents, ...collector.viewDocuments ?? []].map((document) =>
      document.toLowerCase()
    ),
  );
  return new Map([...needs].filter(([document]) => documents.has(document.toLowerCase())));
}

/**
 * The `not-evaluated` events of items whose document no selected collector
 * reads, for items the plan evaluates: an item gets one reason, and the
 * plan's own (unsupported term, no collector, not produced, empty content,
 * invalid value) comes first.
 */
function uncoveredItems(
  documents: readonly IocDocument[],
  uncovered: ReadonlyMap<string, string>,
  isEvaluated: (item: IndicatorItem) => boolean,
  details: ReadonlyMap<string, string>,
): NotEvaluatedEvent[] {
  if (uncovered.size === 0) return [];
  const lowerUncovered = new Map([...uncovered].map(([doc, why]) => [doc.toLowerCase(), why]));
  const events: NotEvaluatedEvent[] = [];
  for (const document of documents) {
    const ioc = iocRef(document);
    for (const item of iocItems(document)) {
      if (!isEvaluated(item)) continue;
      const term = resolveTerm(item.context.search);
      const reason = term && lowerUncovered.get(term.document.toLowerCase());
      if (reason) {
        const event: NotEvaluatedEvent = {
          type: "not-evaluated",
          ioc,
          itemId: item.id,
          search: item.context.search,
          reason,
        };
        const detail = details.get(term.document.toLowerCase());
        if (detail !== undefined) event.detail = detail;
        events.push(event);
      }
    }
  }
  return events;
}

/** The reasons a run is incomplete as stored warnings (code `incomplete`). */
function incompleteWarnings(entries: readonly IncompleteEntry[]): WarningEvent[] {
  return entries.map(({ what, why }) => ({
    type: "warning",
    code: "incomplete",
    message: `not read or not evaluated: ${what}: ${why}`,
  }));
}

/** The suffixes of the files SQLite keeps beside a database. */
const sqliteCompanions = ["", "-wal", "-shm", "-journal"] as const;

/**
 * What the response actions must never touch: the results database and its companion files, the
 * IOC files (as named and as loaded) and the task file, as given and as their real paths.
 */
async function protectedPaths(
  task: ScanTask,
  loaded: LoadedIocSet,
  database: string | undefined,
  taskFile: string | undefined,
): Promise<string[]> {
  const named: string[] = [
    ...task.iocPaths,
    ...loaded.documents.map((document) => document.file),
    ...(taskFile === undefined ? [] : [taskFile]),
  ];
  if (database !== undefined && !/^postgres(ql)?:/i.test(database)) {
    named.push(...sqliteCompanions.map((suffix) => `${database}${suffix}`));
  }
  const absolute = named.map((path) => resolve(path));
  const real = await Promise.all(absolute.map((path) => Deno.realPath(path).catch(() => path)));
  return [...new Set([...absolute, ...real])];
}

/** Opens the results store and records the start of the run. */
async function openRun(
  task: ScanTask,
  loaded: LoadedIocSet,
  password: string | undefined,
): Promise<{ store: ResultStore; runId: number }> {
  // Loaded here, not at start-up: kysely takes ~25 ms to load.
  const { isPostgresUrl, openStore, withoutPassword } = await import("../store/mod.ts");
  // A fleet store's run is recorded locally first and uploaded at the end (docs/fleet.md).
  const fleet = task.databasePath !== undefined && isPostgresUrl(task.databasePath);
  const store = fleet
    ? await openStore(task.localDatabasePath)
    : await openStore(task.databasePath, password === undefined ? {} : { password });
  const runId = await store.startRun({
    ...(fleet ? { uploadTarget: withoutPassword(task.databasePath!) } : {}),
    taskName: task.taskName ?? null,
    host: hostname(),
    user: currentUser(),
    // The store's location never holds a password, whatever the caller passed.
    options: task.databasePath === undefined ? task : { ...task, databasePath: store.location },
    iocFiles: snapshotFiles(loaded),
  });
  return { store, runId };
}

/** The run's snapshot: the bytes each IOC was parsed from, kept by the loader (never re-read). */
function snapshotFiles({ documents, contents }: LoadedIocSet) {
  return documents.map((document) => ({
    file: document.file,
    content: contents.get(document.contentHash)!,
    sha256: document.contentHash,
    iocs: [{ id: document.id, name: document.metadata.shortDescription ?? document.id }],
  }));
}

/** The IOC set of a run without IOCs (`withoutIocs`). */
function emptyIocSet(): LoadedIocSet {
  return {
    documents: [],
    duplicates: [],
    contents: new Map(),
    rejected: [],
    warnings: [],
    files: [],
    missing: [],
  };
}

function maxIocBytes(task: ScanTask): { maxFileBytes?: number } {
  return task.maxIocFileSize === undefined ? {} : { maxFileBytes: task.maxIocFileSize };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return Deno.env.get("USERNAME") ?? Deno.env.get("USER") ?? "unknown";
  }
}
