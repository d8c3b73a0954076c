/**
 * `iocscan scan`: load IOC files, collect what they need, evaluate, store and
 * report. Parameters come from flags or from a task file (`--task FILE`,
 * docs/task-file.md); flags given next to `--task` override the file.
 *
 * @module
 */
import { resolve } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { setExitCode } from "../command_exit_code.ts";
import type { CommandRegistrar } from "./registrar.ts";
import { escapeTerminalText } from "../../report/mod.ts";
import { parseTimeBound } from "../../scan/parse_time.ts";
import {
  checkTimeWindow,
  toCollectorTypes,
  toCount,
  toDatabaseFlag,
  toDriveLetter,
  toReportFormat,
  toSyslogTargets,
} from "../option_parsers.ts";
import { hostname } from "node:os";
import { formatOfPath, reportFormatNames } from "../../report/report_formats.ts";
import { writeRunReport } from "../report_file.ts";
import { Forwarder } from "../forwarding/forwarder.ts";
import type { LogSink } from "../forwarding/log_sink.ts";
import { SyslogSink } from "../forwarding/syslog_sink.ts";
import { JOURNALD_SOCKET, journaldAvailable, JournaldSink } from "../forwarding/journald_sink.ts";
import { WindowsEventLogSink } from "../forwarding/windows_event_log_sink.ts";
import { addCollectorFlags, applyCollectorFlags } from "../collector_flags.ts";
import { collectorDescriptors, scanCollectors } from "../../scan/collector_list.ts";
import { actionOptions, scanActions, unknownActions } from "../../scan/action_list.ts";
import { withAbsolutePaths } from "../../scan/task_paths.ts";
import { UsageError } from "../usage_error.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { watchInterrupts } from "../../scan/interrupt.ts";
import { runScan, ScanSetupError } from "../../scan/run_scan.ts";
import { readScanTask, type ScanTask, TaskFileError } from "../../scan/task_file.ts";
import { ScanConsole } from "../output/scan_console.ts";
import { followIocLinksFlag, followIocLinksHelp } from "./follow_ioc_links.ts";

type ScanFlags = ReturnType<ReturnType<typeof scanCommand>["opts"]>;

function scanCommand() {
  const head = new Command("scan")
    .description("Scan for the indicators in OpenIOC files and store the results")
    .option("--task <file>", "read the scan parameters from a task file (JSON)")
    .option("--ioc <paths...>", "IOC files or folders of .ioc/.xml files")
    .option(followIocLinksFlag, followIocLinksHelp)
    .option("--task-name <name>", "name the run in the results store")
    .option("--scope <paths...>", "folders to scan for FileItem terms (UNC paths too)")
    .option("--depth <levels>", "how many folder levels below each --scope to walk", toCount)
    .option("--all-drives", "scan every fixed drive (the all-drives preset)")
    .option(
      "--types <names>",
      `collectors to run (${scanCollectors.join(",")}); default: automatic`,
      toCollectorTypes,
    )
    .option("--evidence <paths...>", "offline evidence: EVTX files, hives or mounted roots")
    .option("--evtx <paths...>", "offline EVTX files or folders")
    .option("--root <dirs...>", "mounted images or triage folders (Windows layout)")
    .option(
      "--root-drive <drive>",
      "the drive files below --root are shown on (default: from the root's name, else C:)",
      toDriveLetter,
    )
    .option("--hive <files...>", "offline registry hive files (logs are found next to them)");
  // Each collector's own flags (--preset, --event-log, --since, --registry-key…) come from
  // its descriptor (scan/collector_list.ts).
  addCollectorFlags(head, collectorDescriptors);
  // The actions' flags (--what-if, --quarantine-dir, --max-actions…) come from their descriptors
  // (scan/action_list.ts).
  addCollectorFlags(head, [{ options: actionOptions }]);
  return head
    .option(
      "--action <names...>",
      `response actions on the detections (${scanActions.join(", ")}; docs/actions.md)`,
    )
    .option(
      "--db <file>",
      "results database: SQLite file or postgres:// URL (its password: PGPASSWORD, ~/.pgpass " +
        "or IOCSCAN_DB_PASSWORD_FILE rather than the URL, which other users can see)",
      toDatabaseFlag,
    )
    .option(
      "--local-db <file>",
      "with a postgres:// --db (a fleet store): the local SQLite store that records the run " +
        "first and keeps it until it is uploaded (default: the default store; docs/fleet.md)",
      toDatabaseFlag,
    )
    .option(
      "--db-ca <file>",
      "CA certificate (PEM) the PostgreSQL server's certificate must chain to (TLS, verify-full)",
    )
    .option("--json", "write NDJSON events to stdout")
    .option("--report <file>", "when the run is stored, write its report to this file")
    .option(
      "--report-format <format>",
      `${reportFormatNames.join(", ")} (default: from --report's extension, else html)`,
      toReportFormat,
    )
    .option(
      "--syslog <url>",
      "forward each detection and the run's end as RFC 5424 syslog: udp://, tcp:// or tls://" +
        "host:port (repeatable)",
      toSyslogTargets,
    )
    .option("--syslog-ca <file>", "PEM CA certificates a tls:// syslog server must chain to")
    .option("--journald", "forward each detection and the run's end to journald (Linux)")
    .option(
      "--windows-event-log",
      "write each detection and the run's end to the Windows Application log (source iocscan)",
    )
    .option(
      "--stop-on-stdin-close",
      "stop as on Ctrl-C when stdin ends (the PowerShell module's way to stop a scan)",
    );
}

/** Registers `iocscan scan`. */
export const registerScan: CommandRegistrar = (program) => {
  const command = scanCommand();
  command.action(async (flags) => {
    setExitCode(command, await scanAction(flags, command.opts()));
  });
  program.addCommand(command);
};

async function scanAction(
  flags: ScanFlags,
  collectorFlags: Readonly<Record<string, unknown>>,
): Promise<number> {
  let task: ScanTask;
  let databasePassword: string | undefined;
  try {
    task = await taskFromFlags(flags, collectorFlags);
    if (task.databasePath !== undefined) {
      const database = readDatabaseLocation(
        task.databasePath,
        flags.db === undefined ? "task file" : "--db",
        (message) => console.error(`iocscan scan: ${message}`),
      );
      task.databasePath = database.location;
      databasePassword = database.password;
    }
  } catch (error) {
    if (error instanceof TaskFileError || error instanceof UsageError) {
      console.error(escapeTerminalText(`iocscan scan: ${error.message}`));
      return ExitCode.Error;
    }
    throw error;
  }
  let forwarder: Forwarder;
  try {
    forwarder = await forwarderFromFlags(flags);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(escapeTerminalText(`iocscan scan: ${error.message}`));
      return ExitCode.Error;
    }
    throw error;
  }
  const output = new ScanConsole(flags.json === true, (event) => forwarder.observe(event));
  const interrupts = watchInterrupts(
    flags.stopOnStdinClose ? { stdin: Deno.stdin.readable } : {},
  );
  try {
    const outcome = await runScan(task, output.sink, {
      signal: interrupts.signal,
      ...(flags.task === undefined ? {} : { taskFile: resolve(flags.task) }),
      ...(databasePassword === undefined ? {} : { databasePassword }),
    });
    output.finish(outcome);
    await forwarder.close();
    if (flags.report !== undefined) {
      const written = await writeReportOfRun(flags, task, databasePassword, outcome.runId);
      // A report asked for and not written makes a clean run "could not run"; detections and
      // incompleteness keep their own codes.
      if (!written && outcome.exitCode === ExitCode.Clean) return ExitCode.Error;
    }
    return outcome.exitCode;
  } catch (error) {
    output.flush();
    await forwarder.close();
    if (error instanceof ScanSetupError) {
      console.error(escapeTerminalText(`iocscan scan: ${error.message}`));
      return ExitCode.Error;
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}

/** The destinations of `--syslog`, `--journald` and `--event-log`. */
async function forwarderFromFlags(flags: ScanFlags): Promise<Forwarder> {
  const sinks: LogSink[] = [];
  let caCerts: string[] | undefined;
  if (flags.syslogCa !== undefined) {
    try {
      caCerts = [await Deno.readTextFile(flags.syslogCa)];
    } catch (error) {
      throw new UsageError(`--syslog-ca ${flags.syslogCa}: ${(error as Error).message}`);
    }
  }
  for (const target of flags.syslog ?? []) {
    sinks.push(new SyslogSink(target, caCerts === undefined ? {} : { caCerts }));
  }
  if (flags.journald) {
    if (!journaldAvailable()) {
      throw new UsageError(`--journald: no journald here (${JOURNALD_SOCKET})`);
    }
    sinks.push(new JournaldSink());
  }
  if (flags.windowsEventLog) {
    if (Deno.build.os !== "windows") throw new UsageError("--windows-event-log: Windows only");
    sinks.push(new WindowsEventLogSink());
  }
  return new Forwarder(
    sinks,
    hostname(),
    (message) => console.error(escapeTerminalText(`iocscan scan: forwarding: ${message}`)),
  );
}

/** `--report FILE`: the stored run's report; false (said on stderr) when it could not be made. */
async function writeReportOfRun(
  flags: ScanFlags,
  task: ScanTask,
  password: string | undefined,
  runId: number | undefined,
): Promise<boolean> {
  const path = flags.report!;
  const complain = (message: string) =>
    console.error(escapeTerminalText(`iocscan scan: --report ${path}: ${message}`));
  if (runId === undefined) {
    complain("the run was not stored, so there is nothing to report");
    return false;
  }
  const { openStore } = await import("../../store/mod.ts");
  let store;
  try {
    store = await openStore(task.databasePath, {
      create: false,
      ...(password === undefined ? {} : { password }),
    });
  } catch (error) {
    complain((error as Error).message);
    return false;
  }
  try {
    const format = flags.reportFormat ?? formatOfPath(path);
    return await writeRunReport(store, runId, format, { path }) ||
      (complain(`run ${runId} is not in the store`), false);
  } catch (error) {
    complain((error as Error).message);
    return false;
  } finally {
    await store.close();
  }
}

async function taskFromFlags(
  flags: ScanFlags,
  collectorFlags: Readonly<Record<string, unknown>>,
): Promise<ScanTask> {
  const task: ScanTask = flags.task
    ? await readScanTask(flags.task)
    : { version: 1, iocPaths: flags.ioc ?? [] };
  if (flags.task && flags.ioc) task.iocPaths = flags.ioc;
  if (task.iocPaths.length === 0) throw new UsageError("--ioc (or --task) is required");
  if (flags.taskName) task.taskName = flags.taskName;
  if (flags.scope) {
    task.scopes = flags.scope.map((path) =>
      flags.depth === undefined ? { path } : { path, depth: flags.depth }
    );
  }
  applyCollectorFlags(task, collectorFlags, collectorDescriptors);
  if (flags.allDrives) task.presets = [...(collectorFlags.preset as string[] ?? []), "all-drives"];
  if (flags.types) task.types = flags.types;
  if (flags.evidence) task.evidence = flags.evidence;
  if (flags.evtx) task.evtx = flags.evtx;
  if (flags.root) task.roots = flags.root;
  if (flags.rootDrive) task.rootDrive = flags.rootDrive;
  if (flags.hive) task.hives = flags.hive;
  if (flags.db) task.databasePath = flags.db;
  if (flags.localDb) task.localDatabasePath = flags.localDb;
  if (flags.dbCa) task.databaseCa = flags.dbCa;
  if (flags.followIocLinks) task.followIocLinks = true;
  if (flags.action) {
    const unknown = unknownActions(flags.action);
    if (unknown.length > 0) {
      throw new UsageError(
        `--action: unknown action(s) ${unknown.join(", ")} (known: ${scanActions.join(", ")})`,
      );
    }
    task.actions = flags.action;
  }
  applyCollectorFlags(task, collectorFlags, [{ options: actionOptions }]);
  // Flags are parsed by commander; the task file's text by the same parser (scan/parse_time.ts).
  const window = {
    since: task.since === undefined ? undefined : parseTimeBound(task.since),
    until: task.until === undefined ? undefined : parseTimeBound(task.until),
  };
  checkTimeWindow(window.since, window.until);
  for (const key of ["since", "until"] as const) {
    const date = window[key];
    if (date) task[key] = date.toISOString();
  }
  // The run stores its task and IOC file names: relative paths would mean nothing later.
  return withAbsolutePaths(task);
}
