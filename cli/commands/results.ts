/**
 * `iocscan results`: lists the runs in the results database, or shows one
 * run's detections with their evidence; `iocscan results purge` applies the
 * retention period by hand.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { RunEvent, SummaryEvent } from "../../engine/events.ts";
import { escapeTerminalText as safe, formatDetections } from "../../report/mod.ts";
import {
  DEFAULT_RETENTION_DAYS,
  defaultStoreLocation,
  openStore,
  type ResultStore,
  type RunDetails,
  type StoredRun,
} from "../../store/mod.ts";
import { ExitCode } from "../exit_codes.ts";
import { NdjsonWriter, type SyncWritable } from "../ndjson_writer.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { toDatabaseFlag, toDays, toRunId, toTimeBound } from "../option_parsers.ts";
import { withoutPassword } from "../../store/postgres_url.ts";
import { setExitCode } from "../command_exit_code.ts";
import { stdout } from "../stdout.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** The flags of `iocscan results`. */
export interface ResultsFlags {
  /** `--db`: the database path or URL. */
  db?: string;
  /** `--run`: show this run. */
  run?: number;
  /** `--since`: runs started at or after this time. */
  since?: Date;
  /** `--task`: runs with this task name. */
  task?: string;
  /** `--json`: NDJSON events instead of text. */
  json?: true;
}

/** The flags of `iocscan results purge`. */
export interface PurgeFlags {
  /** `--db`: the database path or URL. */
  db?: string;
  /** `--older-than-days` (default 30). */
  olderThanDays: number;
  /** `--json`: a summary event instead of text. */
  json?: true;
}

/** Registers `iocscan results` and `iocscan results purge`. */
export const registerResults: CommandRegistrar = (program) => {
  const results = new Command("results")
    .description("List stored scan runs, or show one run's detections with their evidence")
    .option(
      "--db <file>",
      "results database: SQLite file or postgres:// URL (default: this machine's)",
      toDatabaseFlag,
    )
    .option("--run <id>", "show this run: its IOC files, detections with evidence, skips", toRunId)
    .option(
      "--since <time>",
      "runs started at or after: ISO 8601 (UTC when no zone) or a span such as 7d",
      toTimeBound,
    )
    .option("--task <name>", "runs with this task name")
    .option("--json", "write NDJSON events (run, detection, summary) to stdout")
    // With positional options on the program too, `results purge --db X`
    // gives --db to purge; without, purge reads it from here (see below).
    .enablePositionalOptions();
  results.action(async (flags) => {
    setExitCode(results, await showResults(flags as ResultsFlags, stdout));
  });
  const purge = new Command("purge")
    .description("Delete runs older than the retention period (never a running run)")
    .option(
      "--db <file>",
      "results database: SQLite file or postgres:// URL (default: this machine's)",
      toDatabaseFlag,
    )
    .option(
      "--older-than-days <days>",
      "delete runs started more than this many days ago",
      toDays,
      DEFAULT_RETENTION_DAYS,
    )
    .option("--json", "write a summary event to stdout");
  purge.action(async () => {
    // Unless the program enables positional options, `results` itself takes
    // the --db and --json written after `purge`; read them from either.
    const flags = purge.optsWithGlobals() as PurgeFlags;
    setExitCode(purge, await purgeResults(flags, stdout));
  });
  results.addCommand(purge);
  program.addCommand(results);
};

/**
 * The `results` action: lists runs (a table, or `run` events and a summary),
 * or with `--run` one run's details (`run`, `detection` events and a summary).
 *
 * @returns 0, or 2 when the database cannot be opened or the run does not exist.
 */
export async function showResults(flags: ResultsFlags, stdout: SyncWritable): Promise<number> {
  const store = await openForCommand(flags.db, "read");
  if (store === undefined) return ExitCode.Error;
  const out = new Output(stdout, flags.json === true);
  try {
    if (flags.run !== undefined) {
      const details = await store.getRun(flags.run);
      if (details === undefined) {
        console.error(safe(`iocscan results: there is no run ${flags.run} in ${store.location}`));
        return ExitCode.Error;
      }
      out.json ? writeRunEvents(out, details) : out.text(formatRunDetails(details));
    } else {
      const runs = await store.listRuns({
        ...(flags.since === undefined ? {} : { since: flags.since }),
        ...(flags.task === undefined ? {} : { taskName: flags.task }),
      });
      if (out.json) {
        for (const run of runs) out.event(runEvent(run));
        out.event({ type: "summary", runs: runs.length, database: store.location });
      } else {
        out.text(formatRunTable(runs, store.location));
      }
    }
    return ExitCode.Clean;
  } catch (error) {
    console.error(safe(`iocscan results: reading ${store.location} failed: ${messageOf(error)}`));
    return ExitCode.Error;
  } finally {
    out.flush();
    await store.close();
  }
}

/**
 * The `results purge` action: deletes runs older than `--older-than-days`
 * and the IOC file contents no run uses any more.
 *
 * @returns 0, or 2 when the database cannot be opened.
 */
export async function purgeResults(flags: PurgeFlags, stdout: SyncWritable): Promise<number> {
  const store = await openForCommand(flags.db, "write");
  if (store === undefined) return ExitCode.Error;
  const out = new Output(stdout, flags.json === true);
  try {
    const purged = await store.purge({ olderThanDays: flags.olderThanDays });
    if (out.json) {
      out.event({
        type: "summary",
        purgedRuns: purged.runs,
        purgedIocContents: purged.iocContents,
        olderThanDays: flags.olderThanDays,
        database: store.location,
      });
    } else {
      out.text(
        `Purged ${plural(purged.runs, "run")} started more than ${flags.olderThanDays} days ago ` +
          `and ${plural(purged.iocContents, "IOC file content")} no remaining run uses ` +
          `(${safe(store.location)}).\n`,
      );
    }
    return ExitCode.Clean;
  } catch (error) {
    console.error(
      safe(`iocscan results purge: purging ${store.location} failed: ${messageOf(error)}`),
    );
    return ExitCode.Error;
  } finally {
    out.flush();
    await store.close();
  }
}

/**
 * Opens an existing store (never creates one), or explains on stderr why it
 * cannot: read-only and unmigrated to read, migrated to write.
 */
async function openForCommand(
  db: string | undefined,
  access: "read" | "write",
): Promise<ResultStore | undefined> {
  try {
    const given = db === undefined
      ? { location: defaultStoreLocation({ create: false }), password: undefined }
      : readDatabaseLocation(db, "--db", (message) => console.error(`iocscan results: ${message}`));
    return await openStore(given.location, {
      create: false,
      readOnly: access === "read",
      ...(given.password ? { password: given.password } : {}),
    });
  } catch (error) {
    const hint = db === undefined ? " (no scan has stored results here yet; or pass --db)" : "";
    console.error(safe(`iocscan results: ${messageOf(error)}${hint}`));
    return undefined;
  }
}

/**
 * `run` event of a stored run. Runs stored before passwords were kept out of
 * the options may still hold one in `databasePath`: it is removed here too.
 */
function runEvent(run: StoredRun): RunEvent {
  return { type: "run", ...run, options: optionsWithoutPassword(run.options) };
}

function optionsWithoutPassword(options: unknown): unknown {
  if (typeof options !== "object" || options === null) return options;
  const { databasePath } = options as { databasePath?: unknown };
  return typeof databasePath === "string"
    ? { ...options, databasePath: withoutPassword(databasePath) }
    : options;
}

function writeRunEvents(out: Output, details: RunDetails): void {
  out.event(runEvent(details.run));
  for (const detection of details.detections) out.event(detection);
  const summary: SummaryEvent = {
    type: "summary",
    runId: details.run.id,
    runs: 1,
    detections: details.detections.length,
    iocFiles: details.iocFiles,
    skippedByReason: details.skippedByReason,
    skippedStored: details.skippedStored,
    warnings: details.warnings.length,
  };
  out.event(summary);
}

/** The run list as an aligned table, oldest first; names escaped for the terminal. */
export function formatRunTable(runs: readonly StoredRun[], location: string): string {
  if (runs.length === 0) return `No runs stored in ${safe(location)}.\n`;
  const header = [
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
  ];
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
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length))
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  return [
    line(header),
    ...rows.map(line),
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
    for (const warning of details.warnings.slice(0, 20)) {
      lines.push(
        safe(`  ${warning.code}: ${warning.file ? `${warning.file}: ` : ""}${warning.message}`),
      );
    }
    if (details.warnings.length > 20) lines.push(`  … ${details.warnings.length - 20} more`);
  }
  lines.push("", formatDetections(details.detections));
  return lines.join("\n");
}

/** Writes either NDJSON events or text to stdout. */
class Output {
  readonly #writer: NdjsonWriter;
  readonly #stdout: SyncWritable;

  constructor(stdout: SyncWritable, readonly json: boolean) {
    this.#stdout = stdout;
    this.#writer = new NdjsonWriter(stdout);
  }

  event(event: RunEvent | SummaryEvent | RunDetails["detections"][number]): void {
    this.#writer.write(event);
  }

  text(text: string): void {
    let bytes = new TextEncoder().encode(text);
    while (bytes.length > 0) bytes = bytes.subarray(this.#stdout.writeSync(bytes));
  }

  flush(): void {
    this.#writer.flushSync();
  }
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

function plural(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? "" : "s"}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
