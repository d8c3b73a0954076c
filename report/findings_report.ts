/**
 * The human form of findings (docs/critical-scan.md): one line each, by
 * severity (detections first), names escaped for the terminal.
 *
 * @module
 */
import type { FindingEvent, FindingSeverity } from "../contracts/events.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";

/** How each severity is headed, in the order shown. */
const headings: readonly [FindingSeverity, string][] = [
  ["detection", "FINDINGS (detections)"],
  ["incomplete", "NOT COVERED"],
  ["notice", "Findings (informational)"],
];

/**
 * Renders findings, grouped by severity: `kind  object  detail  (source)`;
 * "" when there are none.
 *
 * @example
 * ```ts
 * import { formatFindings } from "./findings_report.ts";
 * formatFindings([{
 *   type: "finding", source: "clamav", kind: "antivirus", object: "/tmp/x",
 *   severity: "detection", detail: "clamav: Eicar", time: "2026-12-07T00:00:00Z",
 * }]);
 * // "FINDINGS (detections) (1):\n  antivirus  /tmp/x  clamav: Eicar  (clamav)\n\n"
 * ```
 */
export function formatFindings(findings: readonly FindingEvent[]): string {
  const blocks: string[] = [];
  for (const [severity, heading] of headings) {
    const these = findings.filter((finding) => finding.severity === severity);
    if (these.length === 0) continue;
    blocks.push(
      [
        `${heading} (${these.length}):`,
        ...these.map((finding) =>
          `  ${safe(finding.kind)}  ${safe(finding.object)}  ${safe(finding.detail)}  (${
            safe(finding.source)
          })`
        ),
        "",
      ].join("\n") + "\n",
    );
  }
  return blocks.join("");
}
