/**
 * Everything a report of one stored run shows (docs/reports.md), read from the results store:
 * the run and its snapshot, detections (with host, time and severity), findings (results from a
 * source other than an IOC: docs/critical-scan.md), actions, items not evaluated per IOC, skipped
 * objects and warnings. Each format of `report/report_formats.ts`
 * renders this one model.
 *
 * @module
 */
import type {
  ActionEvent,
  FindingEvent,
  NotEvaluatedEvent,
  SkippedEvent,
} from "../contracts/events.ts";
import { compilePlan } from "../engine/plan.ts";
import type { IocDocument } from "../openioc/model.ts";
import { parseIoc } from "../openioc/parse_ioc.ts";
import { selectCollectors } from "../scan/collector_selection.ts";
import type { ResultStore, RunDetails } from "../store/mod.ts";

/** How many skipped objects a report lists one by one; the rest are counted by reason. */
export const REPORT_SKIPPED_LISTED = 1_000;

/** The report of one run. */
export interface RunReport {
  /** The run, its snapshot, detections, skip counts and warnings. */
  details: RunDetails;
  /** The response actions the run took. */
  actions: ActionEvent[];
  /** The run's findings: an antivirus's verdicts, executable memory no file backs… */
  findings: FindingEvent[];
  /**
   * The items of the run's IOCs that are not evaluated, by the plan's reasons (unsupported term,
   * no collector, not produced, empty content, invalid value), from the IOC set snapshot.
   */
  notEvaluated: NotEvaluatedEvent[];
  /** The first {@linkcode REPORT_SKIPPED_LISTED} skipped objects stored one by one. */
  skipped: SkippedEvent[];
  /** The collectors the run's IOCs and `types` select (scan/collector_selection.ts). */
  collectors: string[];
  /** The run's `since`/`until` window as given, when it had one. */
  window: { since?: string; until?: string };
  /** Why the run is incomplete (its `incomplete` warnings); empty when it is complete. */
  incomplete: string[];
  /** When the report was made, ISO 8601 UTC. */
  generated: string;
}

/**
 * Reads the report of run `runId`; undefined when the store has no such run.
 *
 * @param now The report's time (tests fix it).
 */
export async function readRunReport(
  store: ResultStore,
  runId: number,
  now: Date = new Date(),
): Promise<RunReport | undefined> {
  const details = await store.getRun(runId);
  if (details === undefined) return undefined;
  const documents: IocDocument[] = [];
  for (const file of details.iocFiles) {
    const content = await store.readIocContent(file.sha256);
    if (content === undefined) continue;
    try {
      documents.push(parseIoc(content, file.file, { maxFileBytes: Infinity }).document);
    } catch {
      // A stored content that no longer loads was rejected by the run too: nothing to plan.
    }
  }
  const plan = compilePlan(documents);
  const options = asRecord(details.run.options);
  const types = Array.isArray(options.types) ? options.types.map(String) : undefined;
  const window: RunReport["window"] = {};
  if (typeof options.since === "string") window.since = options.since;
  if (typeof options.until === "string") window.until = options.until;
  return {
    details,
    actions: details.actions,
    findings: await store.listFindings(runId),
    notEvaluated: plan.notEvaluated,
    skipped: await store.listSkipped(runId, REPORT_SKIPPED_LISTED),
    collectors: [...selectCollectors(plan.needs.keys(), types).run].sort(),
    window,
    incomplete: details.warnings.filter((warning) => warning.code === "incomplete")
      .map((warning) => warning.message),
    generated: now.toISOString(),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}
