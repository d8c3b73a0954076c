/**
 * A run's detections flattened to one row per evidence item: the columns of the CSV report
 * (docs/reports.md) and of every other flat view. Each row carries the detection record's run id,
 * host, time observed and severity, the IOC's identity, and the item's object, expected and observed
 * values, the object's source file and when the object itself was recorded (an event's time).
 *
 * @module
 */
import type { DetectionEvent } from "../contracts/events.ts";
import { DEFAULT_SEVERITY } from "../contracts/severity.ts";

/** The columns, in order, with how each is read from a detection, its evidence and item. */
export const EVIDENCE_COLUMNS = [
  "runId",
  "host",
  "time",
  "iocId",
  "iocName",
  "iocSha256",
  "severity",
  "document",
  "object",
  "indicator",
  "itemId",
  "search",
  "condition",
  "expected",
  "observed",
  "source",
  "recorded",
] as const;

/** One column name. */
export type EvidenceColumn = typeof EVIDENCE_COLUMNS[number];

/** One evidence item of one detection, every value text. */
export type EvidenceRow = Record<EvidenceColumn, string>;

/**
 * The observed value(s) as text: strings as they are, several values joined by ` | `, anything
 * else as JSON; empty when the field was missing.
 */
export function observedText(observed: unknown): string {
  if (observed === undefined || observed === null) return "";
  if (typeof observed === "string") return observed;
  if (Array.isArray(observed)) return observed.map(observedText).join(" | ");
  return typeof observed === "object" ? JSON.stringify(observed) : String(observed);
}

/** An item's condition as read: `is`, `not contains`… */
export function conditionText(item: { condition: string; negate: boolean }): string {
  return item.negate ? `not ${item.condition}` : item.condition;
}

/**
 * The rows of `detections`, in order: each evidence object's items, one row each.
 *
 * @example
 * ```ts
 * import { evidenceRows } from "./evidence_rows.ts";
 * evidenceRows([], 1).length; // 0
 * ```
 */
export function evidenceRows(
  detections: readonly DetectionEvent[],
  runId?: number,
): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  for (const detection of detections) {
    for (const evidence of detection.evidence) {
      for (const item of evidence.items) {
        rows.push({
          runId: String(detection.runId ?? runId ?? ""),
          host: detection.host ?? "",
          time: detection.time ?? "",
          iocId: detection.ioc.id,
          iocName: detection.ioc.name,
          iocSha256: detection.ioc.sha256,
          severity: detection.severity ?? DEFAULT_SEVERITY,
          document: evidence.document,
          object: item.element === undefined
            ? evidence.object
            : `${evidence.object} ${item.element}`,
          indicator: evidence.indicator,
          itemId: item.id,
          search: item.search,
          condition: conditionText(item),
          expected: item.expected,
          observed: observedText(item.observed),
          source: evidence.source ?? "",
          recorded: evidence.time ?? "",
        });
      }
    }
  }
  return rows;
}
