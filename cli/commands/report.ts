/**
 * `iocscan report`: one stored run as an HTML page, CSV, ECS NDJSON or JSON (docs/reports.md).
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { escapeTerminalText as safe } from "../../report/terminal_text.ts";
import { formatOfPath, reportFormatNames } from "../../report/report_formats.ts";
import { defaultStoreLocation, openStore } from "../../store/mod.ts";
import { setExitCode } from "../command_exit_code.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { toDatabaseFlag, toReportFormat, toRunId } from "../option_parsers.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { writeRunReport } from "../report_file.ts";
import type { CommandRegistrar } from "./registrar.ts";

type ReportFlags = ReturnType<ReturnType<typeof reportCommand>["opts"]>;

function reportCommand() {
  return new Command("report")
    .description("Write one stored run's report: HTML, CSV, ECS NDJSON or JSON")
    .requiredOption("--run <id>", "the run to report", toRunId)
    .option(
      "--db <file>",
      "results database: SQLite file or postgres:// URL (default: this machine's)",
      toDatabaseFlag,
    )
    .option(
      "--format <format>",
      `${reportFormatNames.join(", ")} (default: from --out's extension, else html)`,
      toReportFormat,
    )
    .option("--out <file>", "write the report to this file (default: stdout)");
}

/** Registers `iocscan report`. */
export const registerReport: CommandRegistrar = (program) => {
  const command = reportCommand();
  command.action(async (flags) => {
    setExitCode(command, await reportAction(flags));
  });
  program.addCommand(command);
};

async function reportAction(flags: ReportFlags): Promise<number> {
  const complain = (message: string) => console.error(safe(`iocscan report: ${message}`));
  let store;
  try {
    const given = flags.db === undefined
      ? { location: defaultStoreLocation({ create: false }), password: undefined }
      : readDatabaseLocation(flags.db, "--db", complain);
    store = await openStore(given.location, {
      create: false,
      readOnly: true,
      ...(given.password ? { password: given.password } : {}),
    });
  } catch (error) {
    complain((error as Error).message);
    return ExitCode.Error;
  }
  const format = flags.format ?? (flags.out === undefined ? "html" : formatOfPath(flags.out));
  const writer = new OutputWriter();
  try {
    const found = await writeRunReport(
      store,
      flags.run,
      format,
      flags.out === undefined ? { writer } : { path: flags.out },
    );
    if (!found) {
      complain(`there is no run ${flags.run} in ${store.location}`);
      return ExitCode.Error;
    }
    return ExitCode.Clean;
  } catch (error) {
    complain(`writing the report failed: ${(error as Error).message}`);
    return ExitCode.Error;
  } finally {
    writer.flush();
    await store.close();
  }
}
