/**
 * The human-readable end of a scan: the detections with their evidence and a
 * table of the run's figures.
 *
 * @module
 */
import type { DetectionEvent, Evidence, SummaryEvent } from "../contracts/events.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";

/** One reason a run is incomplete, as the summary event lists it (scan/completeness.ts). */
export interface IncompleteReason {
  what: string;
  why: string;
}

/**
 * Renders the verdict of a run: the detections, one block each with every
 * evidence object, then what was not read or evaluated when the run is
 * incomplete. A run that detected nothing says "No detections." only when it
 * was complete; otherwise it says INCOMPLETE and lists why. Names and values
 * are escaped for the terminal.
 */
export function formatDetections(
  detections: readonly DetectionEvent[],
  incomplete: readonly IncompleteReason[] = [],
): string {
  const notEvaluated = incomplete.map(({ what, why }) => `  ${safe(what)}: ${safe(why)}`);
  if (detections.length === 0) {
    if (incomplete.length === 0) return "No detections.\n";
    return [
      `INCOMPLETE: nothing detected in what was read; not evaluated (${incomplete.length}):`,
      ...notEvaluated,
      "",
    ].join("\n");
  }
  const lines: string[] = [`${detections.length} detection(s):`, ""];
  for (const detection of detections) {
    const { ioc } = detection;
    // id and hash: files may share an id, and the hash tells which IOC hit.
    const hash = ioc.sha256 === "" ? "" : ` sha256 ${ioc.sha256.slice(0, 12)}`;
    lines.push(
      `■ ${safe(ioc.name)}  [${safe(ioc.id)}${hash}]  (OpenIOC ${safe(ioc.version)}, ${
        safe(ioc.file)
      })`,
    );
    for (const evidence of detection.evidence) {
      lines.push(`    ${safe(evidence.document)}: ${safe(evidence.object)}`);
      const provenance = provenanceLine(evidence);
      if (provenance) lines.push(`      ${provenance}`);
      for (const item of evidence.items) {
        const condition = `${item.negate ? "not " : ""}${item.condition}`;
        const observed = item.observed === undefined ? "(missing)" : JSON.stringify(item.observed);
        // An item read on one record of a list (a port of a process) names that record.
        const element = item.element === undefined ? "" : `  [${item.element}]`;
        lines.push(
          safe(
            `      ${item.search} ${condition} ${
              JSON.stringify(item.expected)
            } ← ${observed}${element}`,
          ),
        );
      }
    }
    lines.push("");
  }
  if (incomplete.length > 0) {
    lines.push(`INCOMPLETE: not evaluated (${incomplete.length}):`, ...notEvaluated, "");
  }
  return lines.join("\n");
}

/** The parts of an evidence's provenance shown, in order. */
const provenanceParts = ["source", "time", "computer", "autostart"] as const;

/**
 * `source: …  time: …  computer: …  autostart: …` for the parts an evidence has, or "".
 * Control characters (a file name may hold a line break) are shown escaped.
 */
function provenanceLine(evidence: Evidence): string {
  return provenanceParts
    .filter((part) => evidence[part] !== undefined)
    .map((part) => `${part}: ${safe(evidence[part]!)}`)
    .join("  ");
}

/** Renders the figures of a summary event as an aligned two-column table, values escaped. */
export function formatSummaryTable(summary: SummaryEvent): string {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (key === "type") continue;
    if (Array.isArray(value)) {
      // Lists of records (the reasons a run is incomplete) are listed with the verdict: count them.
      const records = value.some((element) => element !== null && typeof element === "object");
      rows.push([key, records ? String(value.length) : value.join(", ")]);
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
