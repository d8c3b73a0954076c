/**
 * The contract between the scan orchestration and the collectors.
 *
 * A collector turns one data source (the file system, event logs, the
 * registry…) into {@linkcode ObservedItem}s. It never throws for bad input:
 * whatever it cannot read becomes a {@linkcode SkippedObject} with a reason, and
 * whatever is odd but readable becomes a {@linkcode CollectorWarning}.
 *
 * @module
 */
import type { ObservedItem } from "../contracts/observed_item.ts";
import type { SkipReason } from "../contracts/skip_reason.ts";
import type { FindingEvent } from "../contracts/events.ts";

/** Why an object was skipped: defined with the other shared contracts, in `contracts/skip_reason.ts`. */
export type { SkipReason };

/** An object the collector did not evaluate, and why. */
export interface SkippedObject {
  collector: string;
  /** Path or key of the object, lossless where possible. */
  object: string;
  reason: SkipReason;
  detail?: string;
  /**
   * The documents this skip leaves unread as a whole (a live source that could
   * not be read at all, or one of its tables): the scan reads them as not
   * observed, so an IOC that needs them and did not fire is undecided, not
   * clean.
   */
  unreadDocuments?: readonly string[];
}

/** A problem the collector worked around. */
export interface CollectorWarning {
  collector: string;
  code: string;
  message: string;
  /** The file the warning is about, when there is one. */
  file?: string;
  /** Where in the file: a byte offset, a record id, a key path… */
  place?: string;
}

/** Progress figures; collectors report them as they go. */
export interface CollectorProgress {
  collector: string;
  objects: number;
  bytes?: number;
  /** What the collector is working on now. */
  current?: string;
}

/**
 * A result a collector found without an IOC (executable memory no file backs, a kernel module of
 * unknown origin, an antivirus's verdict): the finding event without its type and run.
 */
export type CollectorFinding = Omit<FindingEvent, "type" | "runId">;

/** The channel through which a collector reports skips, warnings, progress and findings. */
export interface CollectorReporter {
  skipped(entry: SkippedObject): void;
  warning(entry: CollectorWarning): void;
  progress(entry: CollectorProgress): void;
  /**
   * A finding (docs/critical-scan.md). Optional: a reporter without it (`collect`, tests) does not
   * take findings, and collectors call it as `reporter.finding?.(…)`; a scan stores each one.
   */
  finding?(entry: CollectorFinding): void;
}

/** What a collector is asked to collect for one run. */
export interface CollectRequest {
  /**
   * The documents the loaded IOCs need from this collector, each with the
   * top-level field names they use (e.g. `FileItem` → `FullPath`, `Md5sum`).
   * A collector computes nothing that no field here asks for.
   */
  needs: ReadonlyMap<string, ReadonlySet<string>>;
  reporter: CollectorReporter;
  signal?: AbortSignal;
}

/** A source of observed objects. */
export interface Collector {
  /** A short name used in skip records and `--types`, e.g. `file`, `eventlog`, `registry`. */
  readonly name: string;
  /** The OpenIOC documents this collector can produce. */
  readonly documents: readonly string[];
  /**
   * Documents another collector owns that this one also yields objects of, as
   * a view: the autoruns collector's autostart images are FileItem objects, so
   * that FileItem IOCs reach them outside the file scan's scope. The scan hands
   * it their needs too; selection still follows `documents` only.
   */
  readonly viewDocuments?: readonly string[];
  /**
   * The figures of the current or last `collect` run (files, records,
   * bytes…), read after it: `collect <name>` prints them in its summary.
   */
  readonly stats?: Readonly<object>;
  collect(request: CollectRequest): AsyncIterable<ObservedItem>;
  /**
   * The same objects as `collect`, in the same order, a batch at a time (a
   * folder's files, say). Optional: for collectors of many small objects,
   * where handing objects over one by one (an async iteration each) costs
   * as much as evaluating them. {@linkcode collectBatches} falls back on
   * `collect`.
   */
  collectBatches?(request: CollectRequest): AsyncIterable<readonly ObservedItem[]>;
  /**
   * Says `collect` will soon be called with these needs, so that slow start-up
   * work (the file collector's hash workers) overlaps the scan's own set-up,
   * such as opening the results store. Optional; collecting works without it.
   * Returns what undoes it, for a scan that fails before it collects.
   */
  prepare?(needs: ReadonlyMap<string, ReadonlySet<string>>): () => void;
}

/**
 * A collector's objects a batch at a time: its own batches where it has
 * {@linkcode Collector.collectBatches}, else one object per batch.
 *
 * @example
 * ```ts
 * import { collectBatches, type Collector } from "./collector.ts";
 * const collector: Collector = {
 *   name: "demo",
 *   documents: ["FileItem"],
 *   async *collect() {
 *     yield { document: "FileItem", key: "/a", fields: {} };
 *   },
 * };
 * const reporter = { skipped() {}, warning() {}, progress() {} };
 * for await (const batch of collectBatches(collector, { needs: new Map(), reporter })) {
 *   console.log(batch.length); // 1
 * }
 * ```
 */
export function collectBatches(
  collector: Collector,
  request: CollectRequest,
): AsyncIterable<readonly ObservedItem[]> {
  if (collector.collectBatches) return collector.collectBatches(request);
  return oneByOne(collector.collect(request));
}

async function* oneByOne(items: AsyncIterable<ObservedItem>): AsyncGenerator<ObservedItem[]> {
  for await (const item of items) yield [item];
}
