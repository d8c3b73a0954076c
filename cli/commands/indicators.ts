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
} from "../../engine/events.ts";
import { compilePlan, type NotEvaluatedReason } from "../../engine/mod.ts";
import {
  defaultMaxFileBytes,
  describeIoc,
  type IocDocument,
  type LoadedIocSet,
  loadIocPaths,
} from "../../openioc/mod.ts";
import { ExitCode } from "../exit_codes.ts";
import { NdjsonWriter } from "../ndjson_writer.ts";
import { loadWarningEvent } from "../../openioc/load_warning_event.ts";
import { exitCodeForInputs, iocSetTally } from "../exit_rule.ts";
import { toByteCount } from "../option_parsers.ts";
import { setExitCode } from "../command_exit_code.ts";
import { followIocLinksFlag, followIocLinksHelp } from "./follow_ioc_links.ts";
import { stdout } from "../stdout.ts";
import type { CommandRegistrar } from "./registrar.ts";
import { escapeTerminalText } from "../../report/mod.ts";

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
    .option(followIocLinksFlag, followIocLinksHelp);
  command.action(async (paths, flags) => {
    setExitCode(command, await indicatorsAction(paths, flags));
  });
  // addCommand() does not inherit exitOverride(); without it a usage error would
  // exit with commander's code 1 instead of reaching runCli, which maps it to 2.
  command.copyInheritedSettings(program);
  program.addCommand(command);
};

/** Hex digits of the SHA-256 the table shows: enough to tell same-id IOCs apart. */
const shortHashChars = 12;

interface IndicatorsFlags {
  json?: true;
  maxFileSize?: number;
  followIocLinks?: true;
  warnings?: true;
}

/** One listed document with the figures the table and the events share. */
interface ListedIoc {
  document: IocDocument;
  duplicate: boolean;
  event: IocEvent;
  /** Its items that a scan does not evaluate, one event each, in document order. */
  notEvaluated: NotEvaluatedEvent[];
}

/** The reasons an item is not evaluated, in the order the table shows them. */
const reasonOrder: readonly NotEvaluatedReason[] = [
  "no-collector",
  "not-produced",
  "unsupported-term",
  "empty-content",
  "invalid-value",
];

async function indicatorsAction(paths: string[], flags: IndicatorsFlags): Promise<number> {
  const set = await loadIocPaths(paths, {
    ...(flags.maxFileSize === undefined ? {} : { maxFileBytes: flags.maxFileSize }),
    followIocLinks: flags.followIocLinks === true,
  });
  for (const file of set.missing) {
    console.error(escapeTerminalText(`iocscan indicators: ${file}: no such file or folder`));
  }
  if (set.missing.length === paths.length) return ExitCode.Error;
  const listed = listDocuments(set);
  const summary = summarise(set, listed);
  if (flags.json === true) writeEvents(set, listed, summary);
  else writeTable(set, listed, summary, flags.warnings === true);
  // A rejected file or a missing path (rejected too) is an input not read: 3, or 2 when
  // nothing loaded.
  return exitCodeForInputs(iocSetTally(set));
}

function listDocuments(set: LoadedIocSet): ListedIoc[] {
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
    return { document, duplicate, event, notEvaluated: items };
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

function writeEvents(set: LoadedIocSet, listed: ListedIoc[], summary: SummaryEvent): void {
  const writer = new NdjsonWriter(stdout);
  for (const { event, notEvaluated } of listed) {
    writer.write(event);
    for (const item of notEvaluated) writer.write(item);
  }
  for (const rejected of set.rejected) {
    const event: RejectedEvent = { type: "rejected", file: rejected.file, error: rejected.error };
    if (rejected.line !== undefined) event.line = rejected.line;
    if (rejected.column !== undefined) event.column = rejected.column;
    writer.write(event);
  }
  for (const warning of set.warnings) writer.write(loadWarningEvent(warning));
  writer.write(summary);
  writer.flushSync();
}

function writeTable(
  set: LoadedIocSet,
  listed: ListedIoc[],
  summary: SummaryEvent,
  allWarnings: boolean,
): void {
  const rows = listed.map(({ event, duplicate }) => [
    escapeTerminalText(event.id) + (duplicate ? " (copy)" : ""),
    event.sha256.slice(0, shortHashChars),
    clip(event.name, 48),
    escapeTerminalText(event.version),
    String(event.items),
    `${event.evaluable}/${event.items}`,
    event.canFire ? "yes" : "NO",
    String(event.warnings),
  ]);
  const header = ["IOC ID", "SHA256", "NAME", "VER", "ITEMS", "EVALUABLE", "CAN FIRE", "WARN"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length))
  );
  const numeric = new Set([4, 5, 7]);
  const line = (cells: string[]) =>
    cells.map((cell, column) =>
      numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)
    )
      .join("  ").trimEnd();
  const out: string[] = [line(header), ...rows.map(line)];
  if (set.rejected.length > 0) {
    out.push("", "Rejected:");
    for (const rejected of set.rejected) {
      const place = rejected.line === undefined ? "" : `:${rejected.line}:${rejected.column ?? 1}`;
      out.push(escapeTerminalText(`  ${rejected.file}${place}: ${rejected.error}`));
    }
  }
  // Per reason, the search terms of the items not evaluated, by number of IOCs using them.
  const terms = new Map<string, Map<string, { search: string; iocs: Set<ListedIoc> }>>();
  for (const entry of listed) {
    for (const item of entry.notEvaluated) {
      let byTerm = terms.get(item.reason);
      if (byTerm === undefined) terms.set(item.reason, byTerm = new Map());
      const search = item.search.trim() === "" ? "(no search term)" : item.search;
      let term = byTerm.get(search.toLowerCase());
      if (term === undefined) byTerm.set(search.toLowerCase(), term = { search, iocs: new Set() });
      term.iocs.add(entry);
    }
  }
  for (const reason of reasonOrder) {
    const byTerm = terms.get(reason);
    if (byTerm === undefined) continue;
    out.push(
      "",
      `Not evaluated, ${reasonTitles[reason]} (search terms, by number of IOCs using them):`,
    );
    const sorted = [...byTerm.values()].sort((a, b) =>
      b.iocs.size - a.iocs.size || (a.search < b.search ? -1 : 1)
    );
    for (const { search, iocs } of sorted) {
      out.push(`  ${String(iocs.size).padStart(4)}  ${escapeTerminalText(search)}`);
    }
  }
  const byVersion = summary.byVersion as Record<string, number>;
  const notEvaluated = summary.notEvaluated as Partial<Record<NotEvaluatedReason, number>>;
  out.push(
    "",
    `${summary.files} files: ${summary.documents} IOCs (1.0: ${byVersion["1.0"]}, 1.1: ${
      byVersion["1.1"]
    }, ` +
      `${summary.duplicates} identical copies), ${summary.rejected} rejected, ${summary.items} items ` +
      `(${summary.evaluable} evaluable), ${summary.warnings} warnings`,
    `Not evaluated: ${
      reasonOrder.map((reason) => `${reasonTitles[reason]} ${notEvaluated[reason] ?? 0}`).join(
        ", ",
      )
    }; ${summary.cannotFire} IOC(s) cannot fire`,
  );
  console.log(out.join("\n"));
  if (allWarnings) {
    for (const warning of set.warnings) {
      const place = warning.line === undefined ? "" : `:${warning.line}:${warning.column ?? 1}`;
      console.error(
        escapeTerminalText(`warning ${warning.code}: ${warning.file}${place}: ${warning.message}`),
      );
    }
  } else if (set.warnings.length > 0) {
    const byCode = new Map<string, number>();
    for (const warning of set.warnings) {
      byCode.set(warning.code, (byCode.get(warning.code) ?? 0) + 1);
    }
    const counts = [...byCode].map(([code, count]) => `${code} ×${count}`).join(", ");
    console.error(
      escapeTerminalText(
        `warnings: ${counts} (--warnings lists them, --json gives them as events)`,
      ),
    );
  }
}

/** How the table names each reason. */
const reasonTitles: Readonly<Record<NotEvaluatedReason, string>> = {
  "no-collector": "no collector",
  "not-produced": "term not produced",
  "unsupported-term": "unsupported term",
  "empty-content": "empty content",
  "invalid-value": "invalid value",
};

function clip(text: string, width: number): string {
  const oneLine = escapeTerminalText(text.replace(/\s+/g, " "));
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}
