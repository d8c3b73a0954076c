/**
 * The CSV report (docs/reports.md): one row per evidence item ({@linkcode EVIDENCE_COLUMNS}),
 * RFC 4180 (comma, CRLF, every field quoted with `"` doubled), UTF-8 with a byte order mark so
 * that Excel reads it as UTF-8.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return as a formula. IOC names and evidence are attacker-controlled, so such a cell is
 * written with a leading `'` (OWASP's advice), which spreadsheets show and never evaluate. The
 * value is otherwise exact.
 *
 * @module
 */
import { EVIDENCE_COLUMNS, evidenceRows } from "./evidence_rows.ts";
import type { RunReport } from "./run_report.ts";

/** The byte order mark written first. */
export const CSV_BOM = "\uFEFF";

/** The first characters that make a spreadsheet read a cell as a formula. */
const formulaStarts = new Set(["=", "+", "-", "@", "\t", "\r"]);

/**
 * One CSV field: quoted, `"` doubled, a formula start defused with a leading `'`.
 *
 * @example
 * ```ts
 * import { csvField } from "./csv.ts";
 * csvField('=HYPERLINK("x")'); // `"'=HYPERLINK(""x"")"`
 * ```
 */
export function csvField(value: string): string {
  const safe = formulaStarts.has(value.charAt(0)) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The run's evidence items as CSV text, BOM and header row first. */
export function renderCsv(report: RunReport): string {
  const lines = [EVIDENCE_COLUMNS.map(csvField).join(",")];
  for (const row of evidenceRows(report.details.detections, report.details.run.id)) {
    lines.push(EVIDENCE_COLUMNS.map((column) => csvField(row[column])).join(","));
  }
  return `${CSV_BOM}${lines.join("\r\n")}\r\n`;
}
