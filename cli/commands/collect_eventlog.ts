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
import type { IocScanEvent } from "../../engine/events.ts";
import { exitCodeForInputs } from "../exit_rule.ts";
import { checkTimeWindow, toTimeBound } from "../option_parsers.ts";
import { stdout } from "../stdout.ts";
import { setExitCode } from "../program.ts";
import type { CollectSourceRegistrar } from "./mod.ts";
import { escapeTerminalText } from "../../report/mod.ts";

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

/**
 * Buffered NDJSON output. Event-log items hold only strings, numbers and
 * arrays, so plain JSON.stringify (no replacer, which costs a call per value)
 * serialises them exactly.
 */
class LineWriter {
  #lines: string[] = [];
  #size = 0;
  readonly #encoder = new TextEncoder();

  write(event: unknown): void {
    const line = JSON.stringify(event) + "\n";
    this.#lines.push(line);
    this.#size += line.length;
    if (this.#size >= 256 * 1024) this.flushSync();
  }

  flushSync(): void {
    if (this.#lines.length === 0) return;
    let bytes = this.#encoder.encode(this.#lines.join(""));
    this.#lines = [];
    this.#size = 0;
    while (bytes.length > 0) bytes = bytes.subarray(stdout.writeSync(bytes));
  }
}

async function collectEventLogAction(flags: EventLogFlags): Promise<number> {
  const { since, until } = flags;
  checkTimeWindow(since, until);
  const json = flags.json === true;
  const writer = new LineWriter();
  const emit = (event: IocScanEvent) => writer.write(event);
  const human: string[] = [];
  const flushHuman = () => {
    if (human.length === 0) return;
    stdout.write(human.join(""));
    human.length = 0;
  };
  // Inputs not read: skipped files, folders and channels (a link to a folder is a choice,
  // not a failure) and files that proved not to be EVTX or could not be read to the end.
  let skippedInputs = 0;
  const failedFiles = new Set<string>();
  const reporter: CollectorReporter = {
    skipped(entry) {
      if (entry.reason !== "symlink") skippedInputs++;
      if (json) emit({ type: "skipped", ...entry });
      else {
        console.error(escapeTerminalText(
          `skipped ${entry.object}: ${entry.reason}${entry.detail ? ` (${entry.detail})` : ""}`,
        ));
      }
    },
    warning(entry) {
      if (unreadFileWarnings.has(entry.code) && entry.file) failedFiles.add(entry.file);
      if (json) emit({ type: "warning", ...entry });
      else console.error(escapeTerminalText(`warning ${entry.code}: ${entry.message}`));
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
      writer.write({
        type: "item",
        document: item.document,
        key: item.key,
        ...(entryType !== undefined ? { entryType } : {}),
        ...fields,
      });
    } else {
      const f = item.fields;
      human.push(
        escapeTerminalText(
          item.document === "EventLogItem"
            ? `${f.genTime ?? ""} ${item.key} EID ${f.EID ?? ""} ${f.source ?? ""}`
            : `  ${item.document} ${
              String(f.processPath ?? f.fullPath ?? f.path ?? f.hostname ?? f.remoteIP ?? "")
            }`,
        ) + "\n",
      );
      if (human.length >= 512) flushHuman();
    }
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
  if (json) {
    writer.write(summary);
    writer.flushSync();
  } else {
    flushHuman();
    console.log(
      `${stats.records} records from ${stats.files} file(s), ${stats.warnings} warning(s)` +
        (stats.outsideWindow > 0 ? `, ${stats.outsideWindow} outside the time window` : ""),
    );
  }
  return exitCodeForInputs({
    inputs: stats.files + skippedInputs,
    failed: skippedInputs + failedFiles.size,
  });
}

/** Warnings that mean a file was not read, or not to its end: the input counts as failed. */
const unreadFileWarnings = new Set(["evtx-not-evtx", "evtx-read-error"]);
