/**
 * `iocscan indicators PATH...`: loads IOC files and lists what they contain,
 * what iocscan can evaluate, what it cannot, and what was rejected.
 *
 * What it says is evaluable is what a scan evaluates: both compile the IOCs
 * with the same plan (engine/plan.ts, objects from this build's collectors),
 * so an item `indicators` counts as not evaluated is reported by `scan` with
 * the same reason, and an IOC it says cannot fire makes a scan incomplete.
 * A scan may add run-dependent reasons on top (`type-not-selected`,
 * `no-source`) for items evaluable here.
 *
 * Exit codes follow the rule of every command (cli/exit_rule.ts): 0 when
 * every file loaded, 3 when some were rejected or some paths are missing, 2
 * when nothing loaded (no given path exists, every file rejected) or the
 * options are wrong.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type {
  IocEvent,
  NotEvaluatedEvent,
  RejectedEvent,
  SummaryEvent,
  WarningEvent,
} from "../../contracts/events.ts";
import { compilePlan, type NotEvaluatedReason } from "../../engine/mod.ts";
import {
  defaultMaxFileBytes,
  describeIoc,
  type IocDocument,
  type LoadedIocSet,
  loadIocPaths,
} from "../../openioc/mod.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { loadWarningEvent } from "../../openioc/load_warning_event.ts";
import { exitCodeForInputs, iocSetTally } from "../exit_rule.ts";
import { toByteCount } from "../option_parsers.ts";
import { setExitCode } from "../command_exit_code.ts";
import { followIocLinksFlag, followIocLinksHelp } from "./follow_ioc_links.ts";
import type { CommandRegistrar } from "./registrar.ts";
import {
  escapeTerminalText,
  formatIndicatorTable,
  formatLoadWarnings,
  type IndicatorListing,
  type ListedIocEvents,
} from "../../report/mod.ts";

/** Registers `iocscan indicators`. */
export const registerIndicators: CommandRegistrar = (program) => {
  const command = new Command("indicators")
    .description(
      "Load OpenIOC files or folders and list their indicators, what can be evaluated, and problems",
    )
    .argument("<paths...>", "IOC files (any name) or folders (walked for .ioc/.xml)")
    .option(
      "--json",
      "write NDJSON events (ioc, not-evaluated, rejected, warning, summary) to stdout",
    )
    .option(
      "--max-file-size <bytes>",
      `reject IOC files larger than this (default ${defaultMaxFileBytes})`,
      toByteCount,
    )
    .option("--warnings", "list every warning on stderr (the table only counts them)")
    .option(
      "--explain",
      "show how each IOC's items bind: to one object, one port of a process, or the host",
    )
    .option(followIocLinksFlag, followIocLinksHelp);
  command.action(async (paths, flags) => {
    setExitCode(command, await indicatorsAction(paths, flags));
  });
  // addCommand() does not inherit exitOverride(); without it a usage error would
  // exit with commander's code 1 instead of reaching runCli, which maps it to 2.
  command.copyInheritedSettings(program);
  program.addCommand(command);
};

interface IndicatorsFlags {
  json?: true;
  explain?: true;
  maxFileSize?: number;
  followIocLinks?: true;
  warnings?: true;
}

/** One listed document with the events the table and `--json` share. */
interface ListedIoc extends ListedIocEvents {
  document: IocDocument;
  event: IocEvent;
  notEvaluated: NotEvaluatedEvent[];
}

async function indicatorsAction(paths: string[], flags: IndicatorsFlags): Promise<number> {
  const set = await loadIocPaths(paths, {
    ...(flags.maxFileSize === undefined ? {} : { maxFileBytes: flags.maxFileSize }),
    followIocLinks: flags.followIocLinks === true,
  });
  for (const file of set.missing) {
    console.error(escapeTerminalText(`iocscan indicators: ${file}: no such file or folder`));
  }
  if (set.missing.length === paths.length) return ExitCode.Error;
  const listed = listDocuments(set, flags.explain === true);
  const listing: IndicatorListing = {
    iocs: listed,
    rejected: set.rejected.map(rejectedEvent),
    summary: summarise(set, listed),
  };
  const warnings = set.warnings.map(loadWarningEvent);
  const out = new OutputWriter();
  if (flags.json === true) writeEvents(out, listing, warnings);
  else {
    out.line(formatIndicatorTable(listing));
    if (flags.explain === true) {
      out.line("How the items bind (docs/matching.md 4, 4a):");
      for (const { event } of listed) {
        out.line(escapeTerminalText(`${event.id} (${event.file}): ${event.binding ?? ""}`));
      }
    }
    out.flush();
    for (const line of formatLoadWarnings(warnings, flags.warnings === true)) console.error(line);
  }
  out.flush();
  // A rejected file or a missing path (rejected too) is an input not read: 3, or 2 when
  // nothing loaded.
  return exitCodeForInputs(iocSetTally(set));
}

function listDocuments(set: LoadedIocSet, explain: boolean): ListedIoc[] {
  const warningsByFile = new Map<string, number>();
  for (const warning of set.warnings) {
    warningsByFile.set(warning.file, (warningsByFile.get(warning.file) ?? 0) + 1);
  }
  const all = [
    ...set.documents.map((document) => ({ document, duplicate: false })),
    ...set.duplicates.map(({ document }) => ({ document, duplicate: true })),
  ].sort((
    a,
    b,
  ) => (a.document.file < b.document.file ? -1 : a.document.file > b.document.file ? 1 : 0));
  // The same compilation a scan does: the one place that decides what is evaluated.
  const plan = compilePlan(all.map(({ document }) => document));
  const key = (ioc: { file: string; id: string }) => `${ioc.file}\n${ioc.id}`;
  const coverage = new Map(plan.coverage.map((entry) => [key(entry.ioc), entry]));
  const notEvaluated = Map.groupBy(plan.notEvaluated, (event) => key(event.ioc));
  return all.map(({ document, duplicate }) => {
    const description = describeIoc(document);
    const items = notEvaluated.get(key(document)) ?? [];
    const byReason: Partial<Record<NotEvaluatedReason, number>> = {};
    for (const event of items) {
      const reason = event.reason as NotEvaluatedReason;
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
    const event: IocEvent = {
      type: "ioc",
      file: document.file,
      id: document.id,
      sha256: document.contentHash,
      version: document.version,
      name: description.name,
      items: description.items,
      evaluable: description.items - items.length,
      notEvaluated: byReason,
      canFire: coverage.get(key(document))?.canFire ?? false,
      unsupported: description.unsupported,
      warnings: warningsByFile.get(document.file) ?? 0,
    };
    if (duplicate) event.duplicate = true;
    const binding = coverage.get(key(document))?.binding;
    if (explain && binding !== undefined) event.binding = binding;
    return { document, event, notEvaluated: items };
  });
}

function summarise(set: LoadedIocSet, listed: ListedIoc[]): SummaryEvent {
  const byVersion: Record<string, number> = { "1.0": 0, "1.1": 0 };
  let items = 0;
  let evaluable = 0;
  let cannotFire = 0;
  const notEvaluated: Partial<Record<NotEvaluatedReason, number>> = {};
  for (const { document, event } of listed) {
    byVersion[document.version] = (byVersion[document.version] ?? 0) + 1;
    items += event.items;
    evaluable += event.evaluable;
    if (!event.canFire) cannotFire++;
    for (const [reason, count] of Object.entries(event.notEvaluated)) {
      notEvaluated[reason as NotEvaluatedReason] =
        (notEvaluated[reason as NotEvaluatedReason] ?? 0) + count;
    }
  }
  return {
    type: "summary",
    files: set.files.length,
    documents: listed.length,
    duplicates: set.duplicates.length,
    rejected: set.rejected.length,
    warnings: set.warnings.length,
    byVersion,
    items,
    evaluable,
    notEvaluated,
    cannotFire,
  };
}

/** The `rejected` event of a file that could not be loaded. */
function rejectedEvent(rejected: LoadedIocSet["rejected"][number]): RejectedEvent {
  const event: RejectedEvent = { type: "rejected", file: rejected.file, error: rejected.error };
  if (rejected.line !== undefined) event.line = rejected.line;
  if (rejected.column !== undefined) event.column = rejected.column;
  return event;
}

function writeEvents(out: OutputWriter, listing: IndicatorListing, warnings: WarningEvent[]): void {
  for (const { event, notEvaluated } of listing.iocs) {
    out.event(event);
    for (const item of notEvaluated) out.event(item);
  }
  for (const rejected of listing.rejected) out.event(rejected);
  for (const warning of warnings) out.event(warning);
  out.event(listing.summary);
}
