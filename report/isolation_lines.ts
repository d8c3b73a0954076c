/**
 * The human forms of `iocscan isolate` and `iocscan isolation …`: the isolation (state, deadline,
 * allow-list, audit trail), and what `--what-if` would apply. Every stored or resolved text is
 * escaped for the terminal.
 *
 * @module
 */
import type { AllowRule, IsolationAuditRecord, IsolationReport } from "../actions/isolation/mod.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";

/** An isolation as lines: what it is, what it allows, every step it took. */
export function formatIsolation(report: IsolationReport): string {
  const lines = [
    `Isolation ${safe(report.id)}: ${safe(report.state)}${
      report.applied === undefined
        ? ""
        : report.applied
        ? " (rules in place)"
        : " (no rules in place)"
    }`,
    `  started ${safe(report.started)} by ${safe(report.who)}, lifts by itself at ${
      safe(report.expiresAt)
    }`,
  ];
  if (report.reason !== undefined) lines.push(`  reason: ${safe(report.reason)}`);
  if (report.iocIds.length > 0) lines.push(`  IOCs: ${report.iocIds.map(safe).join(", ")}`);
  if (report.runId !== undefined) lines.push(`  run: ${report.runId}`);
  lines.push(...formatAllowList(report.allow));
  lines.push("  audit:");
  for (const record of report.audit) lines.push(`    ${auditLine(record)}`);
  return `${lines.join("\n")}\n`;
}

/** What `--what-if` shows: the resolved allow-list and the exact rule set, nothing applied. */
export function formatIsolationWhatIf(
  report: IsolationReport,
  ruleset: string,
  problems: readonly string[],
): string {
  const lines = [
    `What if: isolation ${safe(report.id)} would lift by itself at ${safe(report.expiresAt)}.`,
    ...formatAllowList(report.allow),
    ...problems.map((problem) => `  note: ${safe(problem)}`),
    "  rule set (nft -j -f -):",
    safe(ruleset),
    "Nothing was changed.",
  ];
  return `${lines.join("\n")}\n`;
}

/** `No isolation is stored in …`. */
export function formatNoIsolation(location: string): string {
  return `No isolation is stored in ${safe(location)}.\n`;
}

function formatAllowList(allow: readonly AllowRule[]): string[] {
  const lines = ["  allowed: loopback, DHCP/DHCPv6, neighbour discovery, related ICMP"];
  for (const rule of allow) {
    const port = rule.port === undefined ? "" : ` port ${rule.port}`;
    const protocol = rule.protocol === undefined ? "" : `/${rule.protocol}`;
    lines.push(`  allowed: ${safe(rule.address)}${port}${protocol} (${safe(rule.why)})`);
  }
  return lines;
}

function auditLine(record: IsolationAuditRecord): string {
  const parts = [
    `${safe(record.at)} ${safe(record.step)} ${record.outcome}`,
    `by ${safe(record.who)}`,
  ];
  if (record.detail !== undefined) parts.push(safe(record.detail));
  const test = record.selfTest;
  if (test !== undefined) {
    parts.push(
      `allowed ${safe(test.allowed.target ?? "-")}: ${test.allowed.passed ? "answered" : "FAILED"}`,
      `forbidden ${safe(test.forbidden.target ?? "-")}: ${
        test.forbidden.passed === undefined
          ? safe(test.forbidden.detail ?? "not run") // "not run: …" or "not proven: …"
          : test.forbidden.passed
          ? "blocked"
          : "ANSWERED"
      }`,
    );
  }
  if (record.rulesetHash !== undefined) parts.push(`rules ${record.rulesetHash.slice(0, 12)}`);
  return parts.join("; ");
}
