/**
 * `iocscan critical-scan`: the critical-areas scan (docs/critical-scan.md):
 * running processes and their modules, the kernel's modules and drivers,
 * the autostart places (and the boot records once the `disk` collector is
 * merged: scan/critical_areas.ts), swept with the loaded IOCs if any, with
 * the findings of each area and the antivirus hand-off. One `runScan` with
 * the task scan/critical_areas.ts builds: events, store and exit codes as
 * `scan`. With no `--ioc`, the IOC-independent parts (findings, the
 * antivirus) still run and the run is stored.
 *
 * @module
 */
import { resolve } from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { antivirusChoices } from "../../actions/critical_scan/mod.ts";
import { escapeTerminalText } from "../../report/mod.ts";
import { criticalScanTask } from "../../scan/critical_areas.ts";
import { watchInterrupts } from "../../scan/interrupt.ts";
import { runScan, ScanSetupError } from "../../scan/run_scan.ts";
import { withAbsolutePaths } from "../../scan/task_paths.ts";
import { setExitCode } from "../command_exit_code.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { toDatabaseFlag } from "../option_parsers.ts";
import { ScanConsole } from "../output/scan_console.ts";
import type { CommandRegistrar } from "./registrar.ts";

function criticalScanCommand() {
  return new Command("critical-scan")
    .description(
      "Scan the critical areas (running processes and their modules, kernel modules and drivers, " +
        "autostart places) with the IOCs if given, report findings and hand off to the antivirus",
    )
    .option("--ioc <paths...>", "IOC files or folders of .ioc/.xml files (optional)")
    .option("--task-name <name>", "name the run in the results store")
    .addOption(
      new Option("--antivirus <engine>", "the antivirus to hand the critical set to")
        .choices(antivirusChoices)
        .default("auto" as const),
    )
    .option(
      "--clamav-database <path>",
      "the ClamAV signature database (file or folder) clamscan loads; default: its own",
    )
    .option(
      "--db <file>",
      "results database: SQLite file or postgres:// URL (its password: PGPASSWORD, ~/.pgpass " +
        "or IOCSCAN_DB_PASSWORD_FILE rather than the URL)",
      toDatabaseFlag,
    )
    .option("--json", "write NDJSON events to stdout")
    .option(
      "--stop-on-stdin-close",
      "stop as on Ctrl-C when stdin ends (the PowerShell module's way to stop a scan)",
    );
}

type CriticalScanFlags = ReturnType<ReturnType<typeof criticalScanCommand>["opts"]>;

/** Registers `iocscan critical-scan`. */
export const registerCriticalScan: CommandRegistrar = (program) => {
  const command = criticalScanCommand();
  command.action(async (flags) => {
    setExitCode(command, await criticalScanAction(flags));
  });
  program.addCommand(command);
};

async function criticalScanAction(flags: CriticalScanFlags): Promise<number> {
  const task = withAbsolutePaths(criticalScanTask({
    iocPaths: flags.ioc ?? [],
    antivirus: flags.antivirus,
    ...(flags.clamavDatabase === undefined
      ? {}
      : { clamavDatabase: resolve(flags.clamavDatabase) }),
    ...(flags.taskName === undefined ? {} : { taskName: flags.taskName }),
  }));
  let databasePassword: string | undefined;
  if (flags.db !== undefined) {
    const database = readDatabaseLocation(
      flags.db,
      "--db",
      (message) => console.error(`iocscan critical-scan: ${message}`),
    );
    task.databasePath = database.location;
    databasePassword = database.password;
  }
  const output = new ScanConsole(flags.json === true);
  const interrupts = watchInterrupts(
    flags.stopOnStdinClose ? { stdin: Deno.stdin.readable } : {},
  );
  try {
    const outcome = await runScan(task, output.sink, {
      signal: interrupts.signal,
      withoutIocs: true,
      // The scope is the critical areas: FileItem is what their views yield.
      viewsCover: true,
      ...(databasePassword === undefined ? {} : { databasePassword }),
    });
    output.finish(outcome);
    return outcome.exitCode;
  } catch (error) {
    output.flush();
    if (error instanceof ScanSetupError) {
      console.error(escapeTerminalText(`iocscan critical-scan: ${error.message}`));
      return ExitCode.Error;
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}
