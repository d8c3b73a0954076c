/**
 * `iocscan indicators PATH...`: loads IOC files and lists what they contain,
 * what iocscan can evaluate, what it cannot, and what was rejected.
 *
 * Exit code 0 whenever it ran (rejected files included), 2 when no given
 * path exists or the options are wrong.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import type { IocEvent, RejectedEvent, SummaryEvent } from "../../engine/events.ts";
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
import { setExitCode } from "../program.ts";
import type { CommandRegistrar } from "./mod.ts";
import { escapeTerminalText } from "../../report/mod.ts";

/** Registers `iocscan indicators`. */
export const registerIndicators: CommandRegistrar = (program) => {
  const command = new Command("indicators")
    .description(
      "Load OpenIOC files or folders and list their indicators, what can be evaluated, and problems",
    )
    .argument("<paths...>", "IOC files (any name) or folders (walked for .ioc/.xml)")
    .option("--json", "write NDJSON events (ioc, rejected, warning, summary) to stdout")
    .option(
      "--max-file-size <bytes>",
      `reject IOC files larger than this (default ${defaultMaxFileBytes})`,
      toByteCount,
    )
    .option("--warnings", "list every warning on stderr (the table only counts them)");
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
  maxFileSize?: number;
  warnings?: true;
}

/** One listed document with the figures the table and the events share. */
interface ListedIoc {
  document: IocDocument;
  duplicate: boolean;
  event: IocEvent;
}

async function indicatorsAction(paths: string[], flags: IndicatorsFlags): Promise<number> {
  const set = await loadIocPaths(
    paths,
    flags.maxFileSize === undefined ? {} : { maxFileBytes: flags.maxFileSize },
  );
  if (set.missing.length === paths.length) {
    for (const file of set.missing) {
      console.error(escapeTerminalText(`iocscan indicators: ${file}: no such file or folder`));
    }
    return ExitCode.Error;
  }
  const listed = listDocuments(set);
  const summary = summarise(set, listed);
  if (flags.json === true) writeEvents(set, listed, summary);
  else writeTable(set, listed, summary, flags.warnings === true);
  return ExitCode.Clean;
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
  return all.map(({ document, duplicate }) => {
    const description = describeIoc(document);
    const event: IocEvent = {
      type: "ioc",
      file: document.file,
      id: document.id,
      version: document.version,
      name: description.name,
      items: description.items,
      evaluable: description.evaluable,
      unsupported: description.unsupported,
      warnings: warningsByFile.get(document.file) ?? 0,
    };
    if (duplicate) event.duplicate = true;
    return { document, duplicate, event };
  });
}

function summarise(set: LoadedIocSet, listed: ListedIoc[]): SummaryEvent {
  const byVersion: Record<string, number> = { "1.0": 0, "1.1": 0 };
  let items = 0;
  let evaluable = 0;
  for (const { document, event } of listed) {
    byVersion[document.version] = (byVersion[document.version] ?? 0) + 1;
    items += event.items;
    evaluable += event.evaluable;
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
  };
}

function writeEvents(set: LoadedIocSet, listed: ListedIoc[], summary: SummaryEvent): void {
  const writer = new NdjsonWriter(Deno.stdout);
  for (const { event } of listed) writer.write(event);
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
    escapeTerminalText(event.id) + (duplicate ? " (dup)" : ""),
    clip(event.name, 48),
    escapeTerminalText(event.version),
    String(event.items),
    `${event.evaluable}/${event.items}`,
    String(event.warnings),
  ]);
  const header = ["IOC ID", "NAME", "VER", "ITEMS", "EVALUABLE", "WARN"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length))
  );
  const numeric = new Set([3, 4, 5]);
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
  const unsupported = new Map<string, number>();
  for (const { event } of listed) {
    for (const search of event.unsupported) {
      unsupported.set(search, (unsupported.get(search) ?? 0) + 1);
    }
  }
  if (unsupported.size > 0) {
    out.push("", "Not evaluated (unsupported search terms, by number of IOCs using them):");
    const sorted = [...unsupported].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [search, count] of sorted) {
      out.push(`  ${String(count).padStart(4)}  ${escapeTerminalText(search)}`);
    }
  }
  const byVersion = summary.byVersion as Record<string, number>;
  out.push(
    "",
    `${summary.files} files: ${summary.documents} IOCs (1.0: ${byVersion["1.0"]}, 1.1: ${
      byVersion["1.1"]
    }, ` +
      `${summary.duplicates} duplicate ids), ${summary.rejected} rejected, ${summary.items} items ` +
      `(${summary.evaluable} evaluable), ${summary.warnings} warnings`,
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

function clip(text: string, width: number): string {
  const oneLine = escapeTerminalText(text.replace(/\s+/g, " "));
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}

function toByteCount(value: string): number {
  const bytes = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new InvalidArgumentError("expected a positive whole number of bytes");
  }
  return bytes;
}
