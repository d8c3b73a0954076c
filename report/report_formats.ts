/**
 * The report formats (docs/reports.md), as data: `iocscan report --format`, `scan
 * --report-format` and `Export-IocScanReport -Format` all read this table.
 *
 * @module
 */
import { renderCsv } from "./csv.ts";
import { renderEcs } from "./ecs.ts";
import { renderHtml } from "./html/render_html.ts";
import { renderJson } from "./json_report.ts";
import type { RunReport } from "./run_report.ts";

/** One format: how to render a report and what the file is. */
export interface ReportFormat {
  /** What the format is, for help. */
  description: string;
  /** The usual file extension, without the dot. */
  extension: string;
  /** The report as text (written as UTF-8). */
  render(report: RunReport): string;
}

/** Every format by name. */
export const reportFormats = {
  html: {
    description: "one self-contained HTML page (no script, strict CSP), printable",
    extension: "html",
    render: renderHtml,
  },
  csv: {
    description: "one row per evidence item, RFC 4180, UTF-8 with BOM",
    extension: "csv",
    render: renderCsv,
  },
  ecs: {
    description: "Elastic Common Schema NDJSON: one alert per detection, one event for the run",
    extension: "ndjson",
    render: renderEcs,
  },
  json: {
    description: "the whole report as one JSON document",
    extension: "json",
    render: renderJson,
  },
} as const satisfies Record<string, ReportFormat>;

/** A format's name. */
export type ReportFormatName = keyof typeof reportFormats;

/** The format names, in the table's order. */
export const reportFormatNames = Object.keys(reportFormats) as ReportFormatName[];

/** Whether `name` is a format. */
export function isReportFormat(name: string): name is ReportFormatName {
  return Object.hasOwn(reportFormats, name);
}

/** The format a file name's extension implies (`.csv` → csv), else html. */
export function formatOfPath(path: string): ReportFormatName {
  const extension = path.toLowerCase().split(".").pop() ?? "";
  return reportFormatNames.find((name) => reportFormats[name].extension === extension) ?? "html";
}
