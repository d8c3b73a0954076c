/**
 * The human forms of `iocscan results`: the list of stored runs, one run's
 * details, and what `results purge` deleted. Every stored text (names, hosts,
 * paths, messages) is escaped for the terminal.
 *
 * @module
 */
import type { RunDetails, StoredRun } from "../store/mod.ts";
import { formatDetections } from "./scan_summary.ts";
import { formatActionEvents } from "./action_lines.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";
import { alignedRows, plural, type TableColumn } from "./text_table.ts";

/** Warnings one run's details list; the rest are counted. */
const warningsListed = 20;

/** The columns of the run list. */
const runColumns: readonly TableColumn[] = [
  "RUN",
  "STARTED (UTC)",
  "DURATION",
  "STATUS",
  "TASK",
  "HOST",
  "USER",
  "OBJECTS",
  "DETECTIONS",
  "SKIPPED",
  "WARNINGS",
].map((title) => ({ title, numeric: false }));

/** The run list as an aligned table, oldest first; names escaped for the terminal. */
export function formatRunTable(runs: readonly StoredRun[], location: string): string {
  if (runs.length === 0) return `No runs stored in ${safe(location)}.\n`;
  const rows = runs.map((run) => [
    String(run.id),
    shortTime(run.started),
    duration(run),
    safe(run.status),
    safe(run.taskName ?? "-"),
    safe(run.host),
    safe(run.user),
    count(run.counts.objects ?? run.counts.files),
    count(run.counts.detections),
    count(run.counts.skipped),
    count(run.counts.warnings),
  ]);
  return [
    ...alignedRows(runColumns, rows),
    "",
    `${plural(runs.length, "run")} in ${safe(location)}. Show one with: iocscan results --run ID`,
    "",
  ].join("\n");
}

/**
 * One run: its figures, IOC set snapshot, skips, warnings and detections with
 * evidence; every stored text escaped for the terminal.
 */
export function formatRunDetails(details: RunDetails): string {
  const { run } = details;
  const lines = [
    safe(`Run ${run.id} · ${run.status}${run.taskName ? ` · task ${run.taskName}` : ""}`),
    `  host ${safe(run.host)}, user ${safe(run.user)}`,
    safe(
      `  started ${run.started}${
        run.finished ? `, finished ${run.finished} (${duration(run)})` : ""
      }`,
    ),
  ];
  const figures = Object.entries(run.counts).map(([name, value]) => safe(`${name}=${value}`));
  if (figures.length > 0) lines.push(`  ${figures.join(", ")}`);
  lines.push("", `IOC files (as loaded by this run): ${details.iocFiles.length}`);
  for (const file of details.iocFiles) {
    const iocs = file.iocs.map((ioc) => `${ioc.name} [${ioc.id}]`).join(", ");
    lines.push(safe(`  ${file.file}  sha256 ${file.sha256.slice(0, 16)}…  ${iocs}`));
  }
  if (details.skippedByReason.length > 0) {
    const total = details.skippedByReason.reduce((sum, entry) => sum + entry.count, 0);
    lines.push("", `Skipped: ${total} (${details.skippedStored} stored one by one)`);
    for (const entry of details.skippedByReason) {
      lines.push(safe(`  ${entry.collector}/${entry.reason}: ${entry.count}`));
    }
  }
  if (details.warnings.length > 0) {
    lines.push("", `Warnings: ${details.warnings.length}`);
    for (const warning of details.warnings.slice(0, warningsListed)) {
      lines.push(
        safe(`  ${warning.code}: ${warning.file ? `${warning.file}: ` : ""}${warning.message}`),
      );
    }
    if (details.warnings.length > warningsListed) {
      lines.push(`  … ${details.warnings.length - warningsListed} more`);
    }
  }
  lines.push("", formatDetections(details.detections));
  if (details.actions.length > 0) lines.push(formatActionEvents(details.actions));
  return lines.join("\n");
}

/**
 * What `results purge` did, as one line.
 *
 * @example
 * ```ts
 * import { formatPurgeSummary } from "./run_listing.ts";
 * formatPurgeSummary({ runs: 2, iocContents: 1 }, 30, "/var/lib/iocscan/results.db");
 * ```
 */
export function formatPurgeSummary(
  purged: { runs: number; iocContents: number },
  olderThanDays: number,
  location: string,
): string {
  return `Purged ${plural(purged.runs, "run")} started more than ${olderThanDays} days ago ` +
    `and ${plural(purged.iocContents, "IOC file content")} no remaining run uses ` +
    `(${safe(location)}).\n`;
}

function shortTime(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, "");
}

function duration(run: StoredRun): string {
  if (run.finished === null) return run.status === "running" ? "running" : "-";
  // An abandoned run's "finished" is when its process was found gone, not when it stopped.
  if (run.status === "abandoned") return "-";
  const ms = Date.parse(run.finished) - Date.parse(run.started);
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function count(value: number | undefined): string {
  return value === undefined ? "-" : String(value);
}
