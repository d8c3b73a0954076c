/**
 * Writes the report of one stored run (report/report_formats.ts) to a file or to stdout: the one
 * way `iocscan report` and `scan --report` produce it.
 *
 * @module
 */
import { readRunReport } from "../report/run_report.ts";
import { type ReportFormatName, reportFormats } from "../report/report_formats.ts";
import type { ResultStore } from "../store/mod.ts";
import type { OutputWriter } from "./output/output_writer.ts";

/** Where a report goes: a file path, or stdout through the command's writer. */
export type ReportTarget = { path: string } | { writer: OutputWriter };

/** The suffix of the file a report is written to before it is renamed to its own name. */
export const PARTIAL_SUFFIX = ".partial";

/** A report file is readable by its owner only: it holds evidence paths and values. */
const REPORT_FILE_MODE = 0o600;

/**
 * Renders run `runId` in `format` and writes it.
 *
 * @returns false when the store has no such run.
 */
export async function writeRunReport(
  store: ResultStore,
  runId: number,
  format: ReportFormatName,
  target: ReportTarget,
): Promise<boolean> {
  const report = await readRunReport(store, runId);
  if (report === undefined) return false;
  const text = reportFormats[format].render(report);
  if ("path" in target) {
    // Written whole to a name beside it, then renamed: a reader never sees half a report. The
    // name is fixed so that a caller can grant writing these two files only (the PowerShell
    // module does).
    const partial = `${target.path}${PARTIAL_SUFFIX}`;
    await Deno.writeTextFile(partial, text, { mode: REPORT_FILE_MODE });
    await Deno.rename(partial, target.path);
  } else {
    target.writer.text(text);
  }
  return true;
}
