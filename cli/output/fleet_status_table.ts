/**
 * The text form of `iocscan fleet status`: one line per host.
 *
 * @module
 */
import type { HostStatus } from "../../store/mod.ts";
import { escapeTerminalText } from "../../report/mod.ts";

/** The columns, with how each host fills them. */
const columns: readonly [string, (host: HostStatus) => string][] = [
  ["HOST", (host) => host.host],
  ["LAST RUN", (host) => `${host.lastRun.id} ${host.lastRun.started}`],
  ["STATUS", (host) => host.lastRun.status],
  ["COMPLETE", (host) => host.complete === null ? "-" : host.complete ? "yes" : "NO"],
  ["DETECTIONS", (host) => host.detections === null ? "-" : String(host.detections)],
  ["ISOLATION", (host) => host.isolation],
  ["RUNS", (host) => String(host.runs)],
];

/** The table, every value escaped for the terminal, ending with the store's location. */
export function formatFleetStatus(hosts: readonly HostStatus[], location: string): string {
  const rows = [
    columns.map(([title]) => title),
    ...hosts.map((host) => columns.map(([, value]) => escapeTerminalText(value(host)))),
  ];
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, index) => cell.padEnd(widths[index]!)).join("  ").trimEnd()
  );
  return `${lines.join("\n")}\n${hosts.length} host(s) in ${escapeTerminalText(location)}\n`;
}
