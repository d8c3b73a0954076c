/**
 * `iocscan collect eventlog`: reads .evtx files (or live event logs) and
 * prints one EventLogItem per record, optionally the HX event objects mapped
 * from Sysmon/Security events, then a summary whose `records` counts the
 * records parsed.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { CollectorReporter } from "../../collectors/collector.ts";
import {
  createEventLogCollector,
  type EventLogCollectorOptions,
  eventLogItemFields,
  hxEventDocuments,
} from "../../collectors/eventlog/mod.ts";
import type { IocScanEvent } from "../../contracts/events.ts";
import { exitCodeForInputs } from "../exit_rule.ts";
import { checkTimeWindow, toTimeBound } from "../option_parsers.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { setExitCode } from "../command_exit_code.ts";
import type { CollectSourceRegistrar } from "./registrar.ts";
import {
  formatCollectorWarningLine,
  formatEventLogFigures,
  formatEventLogLine,
  formatSkippedLine,
} from "../../report/mod.ts";

/** Registers `iocscan collect eventlog`. */
export const registerCollectEventLog: CollectSourceRegistrar = (collect) => {
  const command = new Command("eventlog")
    .description(
      "Read Windows event logs (offline .evtx files, or live logs: wevtutil on Windows, the " +
        "systemd journal on Linux) and print EventLogItem objects",
    )
    .option("--evtx <paths...>", ".evtx files or folders of them (repeatable)")
    .option(
      "--root <dirs...>",
      "mounted Windows volumes: reads Windows/System32/winevt/Logs (repeatable)",
    )
    .option("--event-log <channels...>", "live channels to read (repeatable)")
    .option(
      "--since <time>",
      "only events at or after this time (ISO 8601, UTC when no zone; or a span such as 30d)",
      toTimeBound,
    )
    .option(
      "--until <time>",
      "only events at or before this time (ISO 8601, UTC when no zone; or a span such as 1d)",
      toTimeBound,
    )
    .option("--events", "also print the HX event objects (processEvent, regKeyEvent…)")
    .option("--json", "write NDJSON events to stdout");
  command.action(async (flags) => {
    setExitCode(command, await collectEventLogAction(flags));
  });
  collect.addCommand(command);
};

interface EventLogFlags {
  evtx?: string[];
  root?: string[];
  eventLog?: string[];
  since?: Date;
  until?: Date;
  events?: true;
  json?: true;
}

/** Event-log output is written in 256 KiB blocks: a large .evtx gives millions of lines. */
const eventLogBlockBytes = 256 * 1024;

async function collectEventLogAction(flags: EventLogFlags): Promise<number> {
  const { since, until } = flags;
  checkTimeWindow(since, until);
  const json = flags.json === true;
  // Event-log items hold only strings, numbers and arrays: plain JSON, no replacer.
  const writer = new OutputWriter(undefined, { blockBytes: eventLogBlockBytes, plainJson: true });
  const emit = (event: IocScanEvent) => writer.event(event);
  // Inputs not read: skipped files, folders and channels (a link to a folder is a choice,
  // not a failure) and files that proved not to be EVTX or could not be read to the end.
  let skippedInputs = 0;
  const failedFiles = new Set<string>();
  const reporter: CollectorReporter = {
    skipped(entry) {
      if (entry.reason !== "symlink") skippedInputs++;
      if (json) emit({ type: "skipped", ...entry });
      else console.error(formatSkippedLine(entry));
    },
    warning(entry) {
      if (unreadFileWarnings.has(entry.code) && entry.file) failedFiles.add(entry.file);
      if (json) emit({ type: "warning", ...entry });
      else console.error(formatCollectorWarningLine(entry, false));
    },
    progress() {},
  };
  const options: EventLogCollectorOptions = {};
  if (flags.evtx?.length) options.evtx = flags.evtx;
  if (flags.root?.length) options.roots = flags.root;
  if (flags.eventLog?.length) options.channels = flags.eventLog;
  if (since) options.since = since;
  if (until) options.until = until;
  const collector = createEventLogCollector(options);
  const needs = new Map<string, ReadonlySet<string>>([
    ["EventLogItem", new Set(eventLogItemFields)],
  ]);
  if (flags.events) { for (const document of hxEventDocuments) needs.set(document, new Set()); }
  const started = performance.now();
  const counts: Record<string, number> = {};
  for await (const item of collector.collect({ needs, reporter })) {
    counts[item.document] = (counts[item.document] ?? 0) + 1;
    if (json) {
      // The NDJSON `type` is the event kind ("item"), so EventLogItem's own `type`
      // field (Information, Warning…) goes out as `entryType`.
      const { type: entryType, ...fields } = item.fields;
      writer.event({
        type: "item",
        document: item.document,
        key: item.key,
        ...(entryType !== undefined ? { entryType } : {}),
        ...fields,
      });
    } else writer.line(formatEventLogLine(item));
  }
  const stats = collector.stats;
  const summary = {
    type: "summary" as const,
    records: stats.records,
    files: stats.files,
    warnings: stats.warnings,
    decodeErrors: stats.decodeErrors,
    outsideWindow: stats.outsideWindow,
    bytes: stats.bytes,
    items: counts,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (json) writer.event(summary);
  else writer.line(formatEventLogFigures(stats));
  writer.flush();
  return exitCodeForInputs({
    inputs: stats.files + skippedInputs,
    failed: skippedInputs + failedFiles.size,
  });
}

/** Warnings that mean a file was not read, or not to its end: the input counts as failed. */
const unreadFileWarnings = new Set(["evtx-not-evtx", "evtx-read-error"]);
