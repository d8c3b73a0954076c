/**
 * The human-readable end of a scan: the detections with their evidence and a
 * table of the run's figures.
 *
 * @module
 */
import type { DetectionEvent, SummaryEvent } from "../engine/events.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";

/**
 * Renders the detections of a run, one block each, with every evidence
 * object; names and values are escaped for the terminal.
 */
export function formatDetections(detections: readonly DetectionEvent[]): string {
  if (detections.length === 0) return "No detections.\n";
  const lines: string[] = [`${detections.length} detection(s):`, ""];
  for (const detection of detections) {
    const { ioc } = detection;
    lines.push(
      `■ ${safe(ioc.name)}  [${safe(ioc.id)}]  (OpenIOC ${safe(ioc.version)}, ${safe(ioc.file)})`,
    );
    for (const evidence of detection.evidence) {
      lines.push(`    ${safe(evidence.document)}: ${safe(evidence.object)}`);
      for (const item of evidence.items) {
        const condition = `${item.negate ? "not " : ""}${item.condition}`;
        const observed = item.observed === undefined ? "(missing)" : JSON.stringify(item.observed);
        lines.push(
          safe(`      ${item.search} ${condition} ${JSON.stringify(item.expected)} ← ${observed}`),
        );
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** Renders the figures of a summary event as an aligned two-column table, values escaped. */
export function formatSummaryTable(summary: SummaryEvent): string {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (key === "type") continue;
    if (Array.isArray(value)) {
      rows.push([key, value.join(", ")]);
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      rows.push([key, entries.map(([name, count]) => `${name}=${String(count)}`).join(", ")]);
    } else {
      rows.push([key, String(value)]);
    }
  }
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `  ${safe(key).padEnd(width)}  ${safe(value)}`).join("\n") +
    "\n";
}
