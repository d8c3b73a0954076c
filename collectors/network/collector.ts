/**
 * The `network` collector (endpoint-network mode, opt-in): Network objects
 * from the names this machine resolved, read from Sysmon DNS query events
 * (offline .evtx files, or the live Sysmon channel through the event-log
 * collector's sources) and from the resolver cache (live only). It never
 * sends a DNS query.
 *
 * What it cannot read is never silence: a cache that is unavailable is a
 * skip of the source that names the Network document, so the scan counts
 * Network items as unknown, not false (docs/matching.md, "Endpoint network
 * mode").
 *
 * @module
 */
import type { Collector, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import {
  emptyStats,
  type EventLogSource,
  type EventLogStats,
  hxDocumentFor,
  type SourceContext,
} from "../eventlog/mod.ts";
import type { DnsCacheNames } from "./dns_cache_names.ts";
import { dnsCacheItem, networkDocument, sysmonDnsItem, uriHostOnly } from "./network_item.ts";

/** The collector's name: `--types network`, `collect network`, skip records. */
export const networkCollectorName = "network";

/** The documents it produces. */
export const networkDocuments: readonly string[] = [networkDocument];

/** The skip's object when no Sysmon DNS query was read (and no cache): Network is then unread. */
export const noSysmonDnsObject = "endpoint-network:Sysmon DNS queries";

/** The HX document Sysmon's DNS query event (id 22) maps to: how such events are told apart. */
const sysmonDnsDocument = "dnsLookupEvent";

/** Options of {@linkcode createNetworkCollector}. */
export interface NetworkCollectorOptions {
  /** Where Sysmon DNS query events are read (the event-log collector's sources); none: not read. */
  events?: readonly EventLogSource[];
  /** The resolver cache (a live scan only); none: not read. */
  dnsCache?: DnsCacheNames;
  /** Only events at or after this time. */
  since?: Date;
  /** Only events at or before this time. */
  until?: Date;
  /** The computer the cache belongs to (provenance of cache objects). */
  computer?: string;
}

/** Figures of one collection. */
export interface NetworkStats {
  /** Event records read by the event sources. */
  records: number;
  /** Sysmon DNS query events turned into objects. */
  queries: number;
  /** Names of the resolver cache turned into objects. */
  cacheNames: number;
}

/** The `network` collector, with the figures of its last run. */
export interface NetworkCollector extends Collector {
  /** Figures of the current or last `collect` run. */
  readonly stats: Readonly<NetworkStats>;
}

/**
 * Creates the collector.
 *
 * @example
 * ```ts
 * import { createNetworkCollector } from "./collector.ts";
 * import { evtxFileSource } from "../eventlog/mod.ts";
 * const collector = createNetworkCollector({ events: [evtxFileSource({ paths: ["sysmon.evtx"] })] });
 * const reporter = { skipped() {}, warning() {}, progress() {} };
 * const needs = new Map([["Network", new Set(["DNS"])]]);
 * for await (const item of collector.collect({ needs, reporter })) console.log(item.key);
 * ```
 */
export function createNetworkCollector(options: NetworkCollectorOptions = {}): NetworkCollector {
  let stats: NetworkStats = { records: 0, queries: 0, cacheNames: 0 };
  return {
    name: networkCollectorName,
    documents: networkDocuments,
    get stats() {
      return stats;
    },
    async *collect(request: CollectRequest): AsyncGenerator<ObservedItem> {
      stats = { records: 0, queries: 0, cacheNames: 0 };
      const needed = request.needs.get(networkDocument);
      if (needed === undefined) return;
      const { reporter, signal } = request;
      const eventStats: EventLogStats = emptyStats();
      const context: SourceContext = {
        reporter,
        stats: eventStats,
        ...(options.since ? { since: options.since } : {}),
        ...(options.until ? { until: options.until } : {}),
        ...(signal ? { signal } : {}),
      };
      for (const source of options.events ?? []) {
        for await (const event of source.events(context)) {
          stats.records = eventStats.records;
          // Sources without a Windows shape (the journal) have no Sysmon events.
          if ("document" in event || hxDocumentFor(event) !== sysmonDnsDocument) continue;
          const item = sysmonDnsItem(event);
          if (item === undefined) continue;
          stats.queries++;
          yield item;
        }
        stats.records = eventStats.records;
      }
      let cacheRead = false;
      if (options.dnsCache !== undefined && !signal?.aborted) {
        const read = await options.dnsCache.read(signal);
        cacheRead = !("unavailable" in read);
        if ("unavailable" in read) {
          reporter.skipped({
            collector: networkCollectorName,
            object: read.object ?? options.dnsCache.source,
            reason: "source-unavailable",
            detail: read.unavailable,
            unreadDocuments: [networkDocument],
          });
        } else {
          if (read.partial !== undefined) {
            reporter.skipped({
              collector: networkCollectorName,
              object: read.partial.object,
              reason: "source-unavailable",
              detail: read.partial.detail,
              unreadDocuments: [networkDocument],
            });
          }
          for (const entry of read.names) {
            stats.cacheNames++;
            yield dnsCacheItem(entry, options.computer);
          }
        }
      }
      if (signal?.aborted) return;
      // Event logs without one Sysmon DNS query say nothing of what the machine resolved (no
      // Sysmon, or a Sysmon that does not log DNS queries): without a cache read either, nothing
      // was read that could rule a name out, so the document is unread, never clean.
      // (A cache that could not be read, with no event source, is its own skip already.)
      const events = (options.events ?? []).length > 0;
      if (!cacheRead && stats.queries === 0 && (events || options.dnsCache === undefined)) {
        reporter.skipped({
          collector: networkCollectorName,
          object: noSysmonDnsObject,
          reason: "source-unavailable",
          detail: `no Sysmon DNS query event (id 22) in the ${stats.records} event(s) read ` +
            "(Sysmon absent, or not logging DNS queries)" +
            (options.dnsCache === undefined ? "" : ", and the DNS cache could not be read"),
          unreadDocuments: [networkDocument],
        });
        return;
      }
      // A URI item holds only on a host name seen and is never ruled out: with no name seen at
      // all, nothing says it is unknown, so the document is reported unread.
      const uriNeeded = [...needed].some((field) => field.toLowerCase() === "uri");
      if (uriNeeded && stats.queries + stats.cacheNames === 0) {
        reporter.skipped({
          collector: networkCollectorName,
          object: "endpoint-network:URI",
          reason: "unsupported",
          detail: `no host name was seen, and ${uriHostOnly}`,
          unreadDocuments: [networkDocument],
        });
      }
    },
  };
}
