/**
 * The interface behind which each event source (offline EVTX files, live
 * Windows channels, the systemd journal) sits.
 *
 * @module
 */
import type { CollectorReporter } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { WindowsEvent } from "./windows_event.ts";

/** Running figures of one collection, for summaries. */
export interface EventLogStats {
  /** Event records read and decoded (the reference count for EVTX files). */
  records: number;
  /** Files (or live channels/journals) read. */
  files: number;
  /** Warnings reported. */
  warnings: number;
  /** Records left out by the time window without being decoded. */
  outsideWindow: number;
  /** Records whose body could not be decoded (reported as warnings, not counted). */
  decodeErrors: number;
  /** Bytes read from files. */
  bytes: number;
}

/** What a source gets for one run. */
export interface SourceContext {
  /** Where skips, warnings and progress go. */
  reporter: CollectorReporter;
  /** Figures the source updates as it reads. */
  stats: EventLogStats;
  /** Only events at or after this time. */
  since?: Date;
  /** Only events at or before this time. */
  until?: Date;
  /** Stops reading early. */
  signal?: AbortSignal;
}

/**
 * A source of events. Windows sources yield {@linkcode WindowsEvent}s (mapped
 * to EventLogItem and HX events by the collector); sources with no Windows
 * shape (the journal) yield EventLogItems directly.
 */
export interface EventLogSource {
  /** For messages: `evtx`, `wevtutil`, `journal`. */
  readonly name: string;
  /** Reads the events; never throws for bad input. */
  events(context: SourceContext): AsyncIterable<WindowsEvent | ObservedItem>;
}

/** An empty stats record. */
export function emptyStats(): EventLogStats {
  return { records: 0, files: 0, warnings: 0, outsideWindow: 0, decodeErrors: 0, bytes: 0 };
}
