/**
 * Writing a finished scan to the results store, so that a store that fails
 * (a full disk) is named, the run is marked `failed` when the store can still
 * say so, and the scan still ends with its summary.
 *
 * @module
 */
import type {
  ActionEvent,
  DetectionEvent,
  FindingEvent,
  SkippedEvent,
  WarningEvent,
} from "../contracts/events.ts";
import type { ResultStore, RunStatus } from "../store/mod.ts";

/** The status a run finishes with. */
type FinalStatus = Exclude<RunStatus, "running">;

/** What a finished scan stores. */
export interface FinishedRun<S extends FinalStatus = FinalStatus> {
  /** Skipped objects not stored yet. */
  skipped: readonly SkippedEvent[];
  /** Every warning of the run. */
  warnings: readonly WarningEvent[];
  /** Every detection. */
  detections: readonly DetectionEvent[];
  /** What the run's response actions did (docs/actions.md). */
  actions?: readonly ActionEvent[];
  /** Every finding (docs/critical-scan.md); absent means none. */
  findings?: readonly FindingEvent[];
  /** The status the scan ended with. */
  status: S;
  /** The run's figures. */
  counts: Record<string, number>;
}

/** What {@linkcode storeRun} did. */
export interface StoreRunResult<S extends FinalStatus = FinalStatus> {
  /** The run's final status: the scan's, or `failed` when the store failed. */
  status: S | "failed";
  /** `store-failed` warnings naming the store's error; empty when all was stored. */
  warnings: WarningEvent[];
}

/** A write to the store that failed during the scan; {@linkcode StoreWriteError.warning} names it. */
export class StoreWriteError extends Error {
  override name = "StoreWriteError";

  /** The `store-failed` warning the run reports. */
  readonly warning: WarningEvent;

  /** Wraps `cause`, a failed write of run `runId` to `store`. */
  constructor(store: ResultStore, runId: number, cause: unknown) {
    const warning = storeFailedWarning(store, runId, cause);
    super(warning.message, { cause });
    this.warning = warning;
  }
}

/**
 * Stores skipped objects while the scan goes on.
 *
 * @throws StoreWriteError naming the store's error (such as "database or disk is full").
 */
export async function storeSkipped(
  store: ResultStore,
  runId: number,
  skipped: readonly SkippedEvent[],
): Promise<void> {
  try {
    await store.addSkipped(runId, skipped);
  } catch (error) {
    throw new StoreWriteError(store, runId, error);
  }
}

/**
 * Stores the run's remaining skipped objects, its warnings, detections and actions, and
 * its final status, then closes the store. Never throws: when a write fails,
 * the error is reported as a `store-failed` warning, stored if the store still
 * takes it, and the run is marked `failed`; when even that fails, the run stays
 * `running` until a later command finds its process gone and marks it
 * `abandoned`.
 */
export async function storeRun<S extends FinalStatus>(
  store: ResultStore,
  runId: number,
  run: FinishedRun<S>,
): Promise<StoreRunResult<S>> {
  try {
    await store.addSkipped(runId, run.skipped);
    await store.addWarnings(runId, run.warnings);
    await store.addDetections(runId, run.detections);
    await store.addActions(runId, run.actions ?? []);
    await store.addFindings(runId, run.findings ?? []);
    await store.finishRun(runId, { status: run.status, counts: run.counts });
    return { status: run.status, warnings: [] };
  } catch (error) {
    const failure = storeFailedWarning(store, runId, error);
    const warnings: WarningEvent[] = [failure];
    await store.addWarnings(runId, [failure]).catch(() => {});
    try {
      await store.finishRun(runId, {
        status: "failed",
        counts: { ...run.counts, warnings: (run.counts.warnings ?? 0) + 1 },
      });
    } catch (again) {
      warnings.push({
        type: "warning",
        code: "store-failed",
        message: `could not mark run ${runId} failed either (${messageOf(again)}): it stays ` +
          `running until the next command that opens ${store.location} marks it abandoned`,
      });
    }
    return { status: "failed", warnings };
  } finally {
    await store.close().catch(() => {});
  }
}

function storeFailedWarning(store: ResultStore, runId: number, error: unknown): WarningEvent {
  return {
    type: "warning",
    code: "store-failed",
    message: `could not store run ${runId} in ${store.location}: ${messageOf(error)}`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
