/**
 * The human form of `iocscan match`: a table of the IOCs that hit and a line
 * of figures on stdout, rejected files and warnings on stderr. Names, ids,
 * paths and messages are escaped for the terminal.
 *
 * @module
 */
import type {
  DetectionEvent,
  NotEvaluatedEvent,
  RejectedEvent,
  SummaryEvent,
  WarningEvent,
} from "../contracts/events.ts";
import { formatDetections, type IncompleteReason } from "./scan_summary.ts";
import { escapeTerminalText } from "./terminal_text.ts";
import { alignedRows, clip, type TableColumn } from "./text_table.ts";

/** Width of the NAME column; longer names are clipped with `…`. */
const nameWidth = 48;

/** The columns of the detection table. */
const detectionColumns: readonly TableColumn[] = [
  { title: "IOC ID", numeric: false },
  { title: "NAME", numeric: false },
  { title: "FILE", numeric: false },
  { title: "EVIDENCE", numeric: true },
];

/**
 * The stdout text of `iocscan match` (without a final newline): "No
 * detections." only when every IOC was decided; otherwise INCOMPLETE and why.
 */
export function formatMatchReport(
  detections: readonly DetectionEvent[],
  summary: SummaryEvent,
  incomplete: readonly IncompleteReason[] = [],
): string {
  if (detections.length === 0) {
    return [formatDetections([], incomplete).trimEnd(), "", figuresLine(summary)].join("\n");
  }
  const out: string[] = alignedRows(
    detectionColumns,
    detections.map((detection) => [
      escapeTerminalText(detection.ioc.id),
      clip(detection.ioc.name.trim(), nameWidth),
      escapeTerminalText(detection.ioc.file),
      String(detection.evidence.length),
    ]),
  );
  if (incomplete.length > 0) {
    out.push(
      "",
      formatDetections([], incomplete).trimEnd().replace(/^INCOMPLETE: [^;]*; /, "INCOMPLETE: "),
    );
  }
  out.push("", figuresLine(summary));
  return out.join("\n");
}

function figuresLine(summary: SummaryEvent): string {
  return `${summary.iocs} IOC(s), ${summary.objects} object(s), ${summary.detections} detection(s), ` +
    `${summary.warnings} warning(s), ${summary.rejected} rejected file(s), ` +
    `${summary.notEvaluated} item(s) not evaluated`;
}

/** The stderr lines of `iocscan match`: rejected files, warnings, and a count of items not evaluated. */
export function formatMatchDiagnostics(
  warnings: readonly WarningEvent[],
  rejected: readonly RejectedEvent[],
  notEvaluated: readonly NotEvaluatedEvent[],
): string[] {
  const lines = [
    ...rejected.map((event) => escapeTerminalText(`rejected: ${event.file}: ${event.error}`)),
    ...warnings.map((warning) => escapeTerminalText(`warning: ${warning.message}`)),
  ];
  if (notEvaluated.length > 0) {
    lines.push(
      `${notEvaluated.length} IOC item(s) not evaluated (unsupported term, empty content or invalid value); ` +
        "see --json or `iocscan indicators` for the list",
    );
  }
  return lines;
}
