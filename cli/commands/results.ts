/**
 * `iocscan results`: lists the runs in the results database, or shows one
 * run's detections with their evidence; `iocscan results purge` applies the
 * retention period by hand.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { FindingEvent, RunEvent, SummaryEvent } from "../../contracts/events.ts";
import {
  escapeTerminalText as safe,
  formatFindings,
  formatPurgeSummary,
  formatRunDetails,
  formatRunTable,
} from "../../report/mod.ts";
import {
  DEFAULT_RETENTION_DAYS,
  defaultStoreLocation,
  openStore,
  type ResultStore,
  type RunDetails,
  type StoredRun,
} from "../../store/mod.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import type { SyncWritable } from "../output/command_output.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { toDatabaseFlag, toDays, toRunId, toTimeBound } from "../option_parsers.ts";
import { withoutPassword } from "../../store/postgres_url.ts";
import { setExitCode } from "../command_exit_code.ts";
import { stdout } from "../output/command_output.ts";
import type { CommandRegistrar } from "./registrar.ts";
import { countActionOutcomes } from "../../scan/run_actions.ts";

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
  /** `--host`: runs of the hosts matching this pattern (`*`, `?`). */
  host?: string;
  /** `--detections-only`: runs with at least one detection. */
  detectionsOnly?: true;
  /** `--db-ca`: the CA file for TLS to PostgreSQL (verify-full). */
  dbCa?: string;
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
    .option("--host <pattern>", "runs of the hosts matching this pattern (* and ?, any case)")
    .option("--detections-only", "only runs with at least one detection")
    .option(
      "--db-ca <file>",
      "CA certificate (PEM) the PostgreSQL server's certificate must chain to (TLS, verify-full)",
    )
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
  const store = await openForCommand(flags.db, "read", flags.dbCa);
  if (store === undefined) return ExitCode.Error;
  const out = new OutputWriter(stdout);
  const json = flags.json === true;
  try {
    if (flags.run !== undefined) {
      const details = await store.getRun(flags.run);
      if (details === undefined) {
        console.error(safe(`iocscan results: there is no run ${flags.run} in ${store.location}`));
        return ExitCode.Error;
      }
      // Findings (docs/critical-scan.md) follow the detections.
      const findings = await store.listFindings(flags.run);
      json
        ? writeRunEvents(out, details, findings)
        : out.text(formatRunDetails(details) + formatFindings(findings));
    } else {
      const runs = await store.listRuns({
        ...(flags.since === undefined ? {} : { since: flags.since }),
        ...(flags.task === undefined ? {} : { taskName: flags.task }),
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(flags.detectionsOnly ? { detectionsOnly: true } : {}),
      });
      if (json) {
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
  const out = new OutputWriter(stdout);
  try {
    const purged = await store.purge({ olderThanDays: flags.olderThanDays });
    if (flags.json === true) {
      out.event({
        type: "summary",
        purgedRuns: purged.runs,
        purgedIocContents: purged.iocContents,
        olderThanDays: flags.olderThanDays,
        database: store.location,
      });
    } else {
      out.text(formatPurgeSummary(purged, flags.olderThanDays, store.location));
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
  caFile?: string,
): Promise<ResultStore | undefined> {
  try {
    const given = db === undefined
      ? { location: defaultStoreLocation({ create: false }), password: undefined }
      : readDatabaseLocation(db, "--db", (message) => console.error(`iocscan results: ${message}`));
    return await openStore(given.location, {
      create: false,
      readOnly: access === "read",
      ...(given.password ? { password: given.password } : {}),
      ...(caFile === undefined ? {} : { caFile }),
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

function writeRunEvents(
  out: OutputWriter,
  details: RunDetails,
  findings: readonly FindingEvent[],
): void {
  out.event(runEvent(details.run));
  for (const detection of details.detections) out.event(detection);
  for (const action of details.actions) out.event(action);
  for (const finding of findings) out.event(finding);
  const summary: SummaryEvent = {
    type: "summary",
    runId: details.run.id,
    runs: 1,
    detections: details.detections.length,
    ...(findings.length > 0 ? { findings: findings.length } : {}),
    iocFiles: details.iocFiles,
    skippedByReason: details.skippedByReason,
    skippedStored: details.skippedStored,
    warnings: details.warnings.length,
    actions: countActionOutcomes(details.actions),
  };
  out.event(summary);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
