/**
 * The collector shape the three host-table collectors (dns, arp, route)
 * share: read one table from its source, turn each row into an observed
 * object stamped with when and where it was observed, cap the count, and
 * report a source that cannot be read, or only in part (past the cap), as a
 * `source-unavailable` skip naming the table's document in `unreadDocuments` (it is then unread: an IOC
 * that needs it is undecided and the scan incomplete, never clean).
 *
 * @module
 */
import { thisComputerName } from "../live/mod.ts";
import type { Collector } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { TableSource } from "./table_source.ts";

/** When and where the objects of one read were observed. */
export interface Observation {
  /** ISO 8601 UTC. */
  readonly time: string;
  /** The host name. */
  readonly computer: string;
}

/** The figures `collect <name>` prints after a run. */
export interface TableStats {
  /** The source that was read (or tried). */
  source: string;
  /** Rows the source gave. */
  rows: number;
  /** Objects handed over (rows, up to the cap). */
  objects: number;
  /** Whether the source could not be read at all. */
  unavailable: boolean;
  /** Rows left out past the cap. */
  overCap: number;
}

/** How one table collector is made. */
export interface TableCollectorOptions<Row> {
  readonly name: string;
  readonly document: string;
  readonly source: TableSource<Row>;
  /** Turns one row into an object. */
  readonly toItem: (row: Row, observation: Observation) => ObservedItem;
  /** The most objects handed over; past it, a warning names the cap. */
  readonly maxObjects: number;
  /** The clock and host name (tests fix them). */
  readonly observe?: () => Observation;
}

/** The observation of now, on this host. */
export function observeNow(): Observation {
  return { time: new Date().toISOString(), computer: thisComputerName() };
}

/**
 * When an object of offline evidence was read, and no computer: the machine
 * that scans an image is not the image's (objects then name no computer).
 */
export function offlineObservation(): Observation {
  return { time: new Date().toISOString(), computer: "" };
}

/** A table collector: one read of its source per `collect`. */
export function createTableCollector<Row>(
  options: TableCollectorOptions<Row>,
): Collector & { readonly stats: Readonly<TableStats> } {
  const stats: TableStats = {
    source: options.source.name,
    rows: 0,
    objects: 0,
    unavailable: false,
    overCap: 0,
  };
  return {
    name: options.name,
    documents: [options.document],
    stats,
    async *collect(request) {
      const { reporter, signal } = request;
      const read = await options.source.read(signal);
      if (!read.ok) {
        stats.unavailable = true;
        reporter.skipped({
          collector: options.name,
          object: read.object,
          reason: "source-unavailable",
          unreadDocuments: [options.document],
          detail: read.detail,
        });
        return;
      }
      for (const warning of read.warnings ?? []) {
        reporter.warning({ collector: options.name, ...warning });
      }
      for (const part of read.unread ?? []) {
        reporter.skipped({
          collector: options.name,
          object: part.object,
          reason: "source-unavailable",
          unreadDocuments: [options.document],
          detail: part.detail,
        });
      }
      const observation = (options.observe ?? observeNow)();
      stats.rows = read.rows.length;
      for (const row of read.rows) {
        if (signal?.aborted) return;
        if (stats.objects >= options.maxObjects) {
          stats.overCap = read.rows.length - stats.objects;
          const message = `${options.source.name}: ${read.rows.length} entries, only the first ` +
            `${options.maxObjects} read (the ${options.name} collector's cap)`;
          reporter.warning({ collector: options.name, code: "object-cap", message });
          // The rest of the table was not read: its document is not ruled out by it.
          reporter.skipped({
            collector: options.name,
            object: options.source.name,
            reason: "source-unavailable",
            unreadDocuments: [options.document],
            detail: message,
          });
          return;
        }
        stats.objects++;
        yield options.toItem(row, observation);
        reporter.progress({ collector: options.name, objects: stats.objects });
      }
    },
  };
}
