/**
 * The HTML report (docs/reports.md): one self-contained page, readable offline and printable. No
 * script, no fetch: its Content-Security-Policy (`default-src 'none'; style-src 'unsafe-inline'`)
 * forbids both, and every value is escaped by the {@linkcode markup} tag.
 *
 * Sections, in order: the run's header, detections with their evidence, findings, actions taken,
 * items not evaluated per IOC, skipped objects by reason, warnings.
 *
 * @module
 */
import type {
  ActionEvent,
  DetectionEvent,
  Evidence,
  FindingEvent,
  NotEvaluatedEvent,
} from "../../contracts/events.ts";
import { DEFAULT_SEVERITY } from "../../contracts/severity.ts";
import { conditionText, observedText } from "../evidence_rows.ts";
import type { RunReport } from "../run_report.ts";
import { markup, SafeHtml } from "./safe_html.ts";
import { REPORT_CSS } from "./style.ts";

/** The page's Content-Security-Policy: nothing but inline style. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const none = (what: string) => markup`<p class="none">${what}</p>`;

function table(headers: readonly string[], rows: readonly unknown[][]): SafeHtml {
  return markup`<table><thead><tr>${headers.map((title) => markup`<th>${title}</th>`)}</tr></thead>
<tbody>${
    rows.map((row) => markup`<tr>${row.map((cell) => markup`<td>${cell}</td>`)}</tr>\n`)
  }</tbody></table>`;
}

function header(report: RunReport): SafeHtml {
  const { run, iocFiles } = report.details;
  const complete = report.incomplete.length === 0 && run.status === "completed";
  const window = [
    report.window.since ? `since ${report.window.since}` : "",
    report.window.until ? `until ${report.window.until}` : "",
  ].filter((part) => part !== "").join(", ");
  return markup`<section id="run"><h2>Run</h2><dl class="header">
<dt>Run</dt><dd id="run-id">${run.id}</dd>
<dt>Host</dt><dd id="run-host">${run.host}</dd>
<dt>User</dt><dd>${run.user}</dd>
<dt>Task</dt><dd>${run.taskName ?? "(unnamed)"}</dd>
<dt>Started</dt><dd>${run.started}</dd>
<dt>Finished</dt><dd>${run.finished ?? "(not finished)"}</dd>
<dt>Time window</dt><dd>${window === "" ? "(none: everything)" : window}</dd>
<dt>Collectors</dt><dd>${report.collectors.join(", ") || "(none)"}</dd>
<dt>Status</dt><dd class="status-${run.status}" id="run-status">${run.status}</dd>
<dt>Completeness</dt><dd id="run-complete">${
    complete ? "complete" : "INCOMPLETE: a clean result here is not a clean host"
  }${
    report.incomplete.length > 0
      ? markup`<ul>${report.incomplete.map((why) => markup`<li>${why}</li>`)}</ul>`
      : ""
  }</dd>
<dt>Figures</dt><dd>${
    Object.entries(run.counts).map(([name, value]) => `${name} ${value}`).join(", ")
  }</dd>
</dl>
<h3>IOC set (as the run loaded it)</h3>
${
    iocFiles.length === 0 ? none("No IOC file recorded.") : table(
      ["File", "SHA-256", "IOCs"],
      iocFiles.map((file) => [
        file.file,
        markup`<code>${file.sha256}</code>`,
        file.iocs.map((ioc) => `${ioc.name} [${ioc.id}]`).join("; "),
      ]),
    )
  }</section>`;
}

function evidenceBlock(evidence: Evidence): SafeHtml {
  const provenance = [
    evidence.source ? `source ${evidence.source}` : "",
    evidence.time ? `recorded ${evidence.time}` : "",
    evidence.computer ? `computer ${evidence.computer}` : "",
    evidence.autostart ? `autostart ${evidence.autostart}` : "",
  ].filter((part) => part !== "").join(" · ");
  return markup`<h3>${evidence.document}: <code class="object">${evidence.object}</code></h3>
${provenance === "" ? "" : markup`<p>${provenance}</p>`}${
    table(
      ["Item", "Search", "Condition", "Expected", "Observed"],
      evidence.items.map((item) => [
        item.id,
        item.search,
        conditionText(item),
        markup`<code>${item.expected}</code>`,
        markup`<code>${item.element === undefined ? "" : `${item.element}: `}${
          item.observed === undefined ? "(missing)" : observedText(item.observed)
        }</code>`,
      ]),
    )
  }`;
}

function detectionBlock(detection: DetectionEvent): SafeHtml {
  const severity = detection.severity ?? DEFAULT_SEVERITY;
  return markup`<article class="detection">
<h3><span class="ioc-name">${detection.ioc.name}</span> · <span class="severity-${severity}">${severity}</span></h3>
<p>IOC <code>${detection.ioc.id}</code> · ${detection.ioc.file} · sha256 <code>${detection.ioc.sha256}</code>
· host ${detection.host ?? ""} · observed ${detection.time ?? ""}</p>
${detection.evidence.map(evidenceBlock)}</article>`;
}

function actionsSection(actions: readonly ActionEvent[]): SafeHtml {
  const rows = actions.map((action) => [
    action.time,
    action.action,
    action.object,
    action.outcome,
    action.reason ?? "",
    action.detail ?? "",
    action.entry ?? "",
  ]);
  return markup`<section id="actions"><h2>Actions taken (<span id="action-count">${actions.length}</span>)</h2>
${
    actions.length === 0
      ? none("No response action was taken.")
      : table(["Time", "Action", "Object", "Outcome", "Reason", "Detail", "Entry"], rows)
  }</section>`;
}

function findingsSection(findings: readonly FindingEvent[]): SafeHtml {
  const rows = findings.map((finding) => [
    finding.time,
    finding.severity,
    finding.kind,
    finding.source,
    finding.object,
    finding.detail,
  ]);
  return markup`<section id="findings"><h2>Findings (<span id="finding-count">${findings.length}</span>)</h2>
${
    findings.length === 0
      ? none("No finding: nothing besides the IOCs reported on this run.")
      : table(["Time", "Severity", "Kind", "Source", "Object", "Detail"], rows)
  }</section>`;
}

function notEvaluatedSection(items: readonly NotEvaluatedEvent[]): SafeHtml {
  const byIoc = new Map<string, NotEvaluatedEvent[]>();
  for (const item of items) {
    const key = `${item.ioc.name} [${item.ioc.id}] ${item.ioc.file}`;
    byIoc.set(key, [...byIoc.get(key) ?? [], item]);
  }
  return markup`<section id="not-evaluated"><h2>Items not evaluated (${items.length})</h2>${
    items.length === 0
      ? none("Every item of every IOC is evaluated.")
      : [...byIoc].map(([ioc, list]) =>
        markup`<h3>${ioc}</h3>${
          table(
            ["Item", "Search", "Reason", "Detail"],
            list.map((item) => [item.itemId, item.search, item.reason, item.detail ?? ""]),
          )
        }`
      )
  }</section>`;
}

function skippedSection(report: RunReport): SafeHtml {
  const { skippedByReason, skippedStored } = report.details;
  const total = skippedByReason.reduce((sum, entry) => sum + entry.count, 0);
  return markup`<section id="skipped"><h2>Skipped objects (${total})</h2>${
    total === 0 ? none("No object was skipped.") : [
      table(
        ["Collector", "Reason", "Objects"],
        skippedByReason.map((entry) => [entry.collector, entry.reason, entry.count]),
      ),
      markup`<p>${skippedStored} stored one by one; the first ${report.skipped.length}:</p>`,
      table(
        ["Collector", "Reason", "Object", "Detail"],
        report.skipped.map((
          entry,
        ) => [entry.collector, entry.reason, entry.object, entry.detail ?? ""]),
      ),
    ]
  }</section>`;
}

function warningsSection(report: RunReport): SafeHtml {
  const { warnings } = report.details;
  return markup`<section id="warnings"><h2>Warnings (${warnings.length})</h2>${
    warnings.length === 0 ? none("No warning.") : table(
      ["Code", "File", "Message"],
      warnings.map((warning) => [warning.code, warning.file ?? "", warning.message]),
    )
  }</section>`;
}

/** The run's report as one HTML page. */
export function renderHtml(report: RunReport): string {
  const { run, detections } = report.details;
  const noDetections = run.status === "completed"
    ? "No detections."
    : "No detections in what was read: the run is not complete.";
  const page = markup`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iocscan report: run ${run.id} on ${run.host}</title>
<style>${new SafeHtml(REPORT_CSS)}</style></head>
<body>
<h1>iocscan report: run ${run.id} on ${run.host}</h1>
<p>Generated ${report.generated}. Detections: <span class="count" id="detection-count">${detections.length}</span></p>
${header(report)}
<section id="detections"><h2>Detections (${detections.length})</h2>
${detections.length === 0 ? none(noDetections) : detections.map(detectionBlock)}</section>
${findingsSection(report.findings)}
${actionsSection(report.actions)}
${notEvaluatedSection(report.notEvaluated)}
${skippedSection(report)}
${warningsSection(report)}
</body></html>
`;
  return page.markup;
}
