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
import { ExitCode } from "../exit_codes.ts";
import { setExitCode } from "../program.ts";
import type { CollectSourceRegistrar } from "./collect.ts";
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
    .option("--since <time>", "only events at or after this time (ISO 8601, or a span such as 30d)")
    .option("--until <time>", "only events at or before this time (ISO 8601, or a span such as 1d)")
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
  since?: string;
  until?: string;
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
    while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
  }
}

/** An ISO-8601 time, or a span back from now such as `30d`, `12h`, `15m`, `90s`. */
function parseTime(text: string | undefined, flag: string): Date | undefined | null {
  if (text === undefined) return undefined;
  const span = /^(\d+(?:\.\d+)?)([smhd])$/i.exec(text.trim());
  if (span) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[span[2]!.toLowerCase() as "s"]!;
    return new Date(Date.now() - Number(span[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    console.error(`iocscan collect eventlog: ${flag} is not a date or a span such as 30d: ${text}`);
    return null;
  }
  return date;
}

async function collectEventLogAction(flags: EventLogFlags): Promise<number> {
  const since = parseTime(flags.since, "--since");
  const until = parseTime(flags.until, "--until");
  if (since === null || until === null) return ExitCode.Error;
  const json = flags.json === true;
  const writer = new LineWriter();
  const encoder = new TextEncoder();
  const emit = (event: IocScanEvent) => writer.write(event);
  const human: string[] = [];
  const flushHuman = () => {
    if (human.length === 0) return;
    let bytes = encoder.encode(human.join(""));
    while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
    human.length = 0;
  };
  let notFound = 0;
  const reporter: CollectorReporter = {
    skipped(entry) {
      if (entry.reason === "not-found") notFound++;
      if (json) emit({ type: "skipped", ...entry });
      else {
        console.error(escapeTerminalText(
          `skipped ${entry.object}: ${entry.reason}${entry.detail ? ` (${entry.detail})` : ""}`,
        ));
      }
    },
    warning(entry) {
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
  try {
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
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return ExitCode.Clean;
    throw error;
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
  try {
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
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
  const asked = (flags.evtx?.length ?? 0) + (flags.root?.length ?? 0);
  return asked > 0 && notFound >= asked && stats.files === 0 ? ExitCode.Error : ExitCode.Clean;
}
