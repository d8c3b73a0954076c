/**
 * The `eventlog` collector: EventLogItem and the HX event documents from
 * offline .evtx files, live Windows channels or the systemd journal.
 *
 * @module
 */
import type { Collector, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { eventLogItemFields, toEventLogItem } from "./event_log_item.ts";
import { evtxFileSource } from "./evtx_source.ts";
import { hxEventDocuments, toHxEvent } from "./hx_events.ts";
import { journalSource } from "./journal_source.ts";
import {
  emptyStats,
  type EventLogSource,
  type EventLogStats,
  type SourceContext,
} from "./source.ts";
import { wevtutilSource } from "./wevtutil_source.ts";
import type { CommandRunner } from "../live/command_runner.ts";
import { eventLogCollectorName } from "./collector_name.ts";

/** The channels read live when none are named. */
export const defaultChannels: readonly string[] = ["Application", "System", "Security"];
/** The channel added live when HX event documents are needed. */
export const sysmonChannel = "Microsoft-Windows-Sysmon/Operational";
/** How far back live logs are read when no `since` is given. */
export const liveDefaultDays = 30;

/** Options of {@linkcode createEventLogCollector}. */
export interface EventLogCollectorOptions {
  /** .evtx files or folders (searched recursively). Offline mode when given. */
  evtx?: readonly string[];
  /** A mounted image or triage folder: its `Windows/System32/winevt/Logs` (any case). Offline mode. */
  root?: string;
  /** Several roots, as `root`. */
  roots?: readonly string[];
  /**
   * Live Windows channels (`--event-log`). Default Application, System and
   * Security, plus Microsoft-Windows-Sysmon/Operational when HX event
   * documents are needed.
   */
  channels?: readonly string[];
  /** Only events at or after this time. Live default: 30 days ago; offline default: none. */
  since?: Date;
  /** Only events at or before this time. Default: none. */
  until?: Date;
  /** The platform for live reading. Default `Deno.build.os`. */
  platform?: string;
  /** Runs wevtutil/journalctl (tests pass recorded output). */
  run?: CommandRunner;
  /** Extra sources (tests, future FFI readers); used instead of the defaults when given. */
  sources?: readonly EventLogSource[];
}

/** The documents the collector produces. */
export const eventLogDocuments: readonly string[] = ["EventLogItem", ...hxEventDocuments];

/** The `eventlog` collector, with the figures of its last run. */
export interface EventLogCollector extends Collector {
  /** Figures of the current or last `collect` run. */
  readonly stats: EventLogStats;
}

function lowerSet(names: ReadonlySet<string> | undefined): Set<string> | undefined {
  if (names === undefined || names.size === 0) return undefined;
  const out = new Set<string>();
  for (const name of names) out.add(name.split("/")[0]!);
  // Catalogue spelling wins; compare case-insensitively.
  for (const field of eventLogItemFields) {
    for (const name of names) {
      if (name.split("/")[0]!.toLowerCase() === field.toLowerCase()) out.add(field);
    }
  }
  return out;
}

/**
 * Creates the collector. Offline (`evtx`/`root` given) it reads those files
 * whole unless `since`/`until` narrow them; otherwise it reads live logs:
 * wevtutil on Windows, the systemd journal elsewhere (EventLogItem only).
 *
 * @example
 * ```ts
 * import { createEventLogCollector } from "./collector.ts";
 * const collector = createEventLogCollector({ evtx: ["Security.evtx"] });
 * const needs = new Map([["EventLogItem", new Set<string>()]]);
 * const reporter = { skipped() {}, warning() {}, progress() {} };
 * for await (const item of collector.collect({ needs, reporter })) console.log(item.key);
 * ```
 */
export function createEventLogCollector(options: EventLogCollectorOptions = {}): EventLogCollector {
  let stats = emptyStats();
  const roots = [...(options.root !== undefined ? [options.root] : []), ...(options.roots ?? [])];
  const offline = (options.evtx?.length ?? 0) > 0 || roots.length > 0;
  return {
    name: eventLogCollectorName,
    documents: eventLogDocuments,
    get stats() {
      return stats;
    },
    async *collect(request: CollectRequest): AsyncGenerator<ObservedItem> {
      stats = emptyStats();
      const wantItems = request.needs.has("EventLogItem");
      const hxDocs = new Set(hxEventDocuments.filter((d) => request.needs.has(d)));
      if (!wantItems && hxDocs.size === 0) return;
      const itemFields = lowerSet(request.needs.get("EventLogItem"));
      const since = options.since ??
        (offline ? undefined : new Date(Date.now() - liveDefaultDays * 86400_000));
      const sources = options.sources ?? eventLogSources(options, hxDocs.size > 0);
      const reporter = request.reporter;
      const context: SourceContext = {
        reporter: {
          skipped: (entry) => reporter.skipped(entry),
          warning: (entry) => reporter.warning(entry),
          progress: (entry) => reporter.progress(entry),
        },
        stats,
        ...(since ? { since } : {}),
        ...(options.until ? { until: options.until } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      };
      for (const source of sources) {
        for await (const event of source.events(context)) {
          if ("document" in event) {
            if (wantItems) yield event;
            continue;
          }
          if (wantItems) yield toEventLogItem(event, itemFields);
          if (hxDocs.size > 0) {
            const hx = toHxEvent(event, hxDocs);
            if (hx) yield hx;
          }
        }
      }
    },
  };
}

/**
 * The sources the collector reads for `options`: the .evtx files and roots
 * (offline), else wevtutil on Windows (with the Sysmon channel when HX
 * documents are needed and no channel is named), else the systemd journal.
 * Exported for collectors that read Windows events of their own (the
 * endpoint-network collector reads Sysmon DNS queries through it).
 */
export function eventLogSources(
  options: EventLogCollectorOptions,
  needsHx: boolean,
): EventLogSource[] {
  const roots = [...(options.root !== undefined ? [options.root] : []), ...(options.roots ?? [])];
  const offline = (options.evtx?.length ?? 0) > 0 || roots.length > 0;
  if (offline) {
    return [evtxFileSource({ paths: options.evtx ?? [], roots })];
  }
  const platform = options.platform ?? Deno.build.os;
  if (platform === "windows") {
    const channels = [...(options.channels ?? defaultChannels)];
    if (needsHx && !options.channels && !channels.includes(sysmonChannel)) {
      channels.push(sysmonChannel);
    }
    return [wevtutilSource({ channels, ...(options.run ? { run: options.run } : {}) })];
  }
  return [journalSource(options.run ? { run: options.run } : {})];
}
