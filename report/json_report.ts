/**
 * The JSON report (docs/reports.md): the whole {@linkcode RunReport} as one JSON document, exact
 * (no escaping beyond JSON's), for programs.
 *
 * @module
 */
import type { RunReport } from "./run_report.ts";

/** The report as pretty-printed JSON with a final newline. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify({ type: "report", ...report }, null, 2)}\n`;
}
