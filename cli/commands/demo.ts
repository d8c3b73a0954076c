/**
 * `iocscan demo`: builds a small tree with planted files in a temporary
 * folder, scans it with the demo IOCs and shows the detections, the figures and
 * where the results are stored.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { join } from "node:path";
import { writeDemoIocs, writeDemoTree } from "../../demo/mod.ts";
import type { IocScanEvent, SummaryEvent } from "../../contracts/events.ts";
import { escapeTerminalText, formatDetections, formatSummaryTable } from "../../report/mod.ts";
import { runScan } from "../../scan/run_scan.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { setExitCode } from "../command_exit_code.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** Registers `iocscan demo`. */
export const registerDemo: CommandRegistrar = (program) => {
  const command = new Command("demo")
    .description("Plant a small demo tree in a temporary folder and scan it with the demo IOCs")
    .option("--dir <folder>", "build the demo tree here instead of a new temporary folder")
    .option("--json", "write NDJSON events to stdout");
  command.action(async (flags) => {
    const root = flags.dir ?? await Deno.makeTempDir({ prefix: "iocscan-demo-" });
    const tree = join(root, "tree");
    const database = join(root, "iocscan.db");
    const files = await writeDemoTree(tree);
    const iocs = await writeDemoIocs(join(root, "iocs"));
    const writer = new OutputWriter();
    let summary: SummaryEvent | undefined;
    if (!flags.json) {
      writer.line(`Demo tree: ${files} files in ${tree}`);
      writer.line(`Demo IOCs: ${iocs} (OpenIOC 1.0 and 1.1, from demo/iocs/)\n`);
      writer.flush();
    }
    const outcome = await runScan(
      {
        version: 1,
        taskName: "demo",
        iocPaths: [iocs],
        scopes: [{ path: tree }],
        databasePath: database,
      },
      {
        event(event: IocScanEvent) {
          if (flags.json) writer.event(event);
          else if (event.type === "summary") summary = event;
          else if (event.type === "not-evaluated") {
            writer.line(escapeTerminalText(
              `not evaluated: ${event.ioc.name}: ${event.search} (${event.reason})`,
            ));
          }
        },
      },
    );
    if (!flags.json) {
      writer.line("\n" + formatDetections(outcome.detections, outcome.incomplete));
      if (summary) writer.line(formatSummaryTable(summary));
      writer.line(`Results are stored in ${database} (run ${outcome.runId}). Look at them with:`);
      writer.line(`  deno task -q iocscan results --db ${database}`);
      writer.line(`  deno task -q iocscan results --db ${database} --run ${outcome.runId}`);
    }
    writer.flush();
    setExitCode(command, outcome.exitCode === ExitCode.Error ? ExitCode.Error : ExitCode.Clean);
  });
  program.addCommand(command);
};
