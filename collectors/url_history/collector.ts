/**
 * The url-history collector: one `UrlHistoryItem` per URL in the history of
 * every browser profile of every user (Chromium-based browsers' `History`,
 * Firefox's `places.sqlite`), on the live system or below mounted images.
 *
 * Every history that is not read makes the document unread for the scan
 * (a skip naming `UrlHistoryItem` in `unreadDocuments`): a database that is
 * refused, damaged or of another schema, a legacy IE/Edge `WebCacheV01.dat`
 * (an ESE database iocscan does not read), a home folder list that could not
 * be read, and the entries past a cap. An IOC on browser history is then
 * undecided, never clean.
 *
 * @module
 */
import type { Collector, CollectorReporter, SkipReason } from "../collector.ts";
import { readEvidenceFile } from "../evidence_file.ts";
import { type Observation, observeNow } from "../net_table/mod.ts";
import { versionOfFile } from "./browsers.ts";
import { type HistoryLimits, readHistoryDatabase } from "./history_database.ts";
import { findHistoryDatabases, type HistoryDatabase, type HomeSource } from "./history_places.ts";
import { imageHomeSource, linuxHomeSource, windowsHomeSource } from "./home_sources.ts";
import { toUrlHistoryItem, urlHistoryDocument } from "./url_visit.ts";
import type { ImageRoot } from "../file/mod.ts";

/** The collector's name (`collect url-history`, `--types url-history`). */
export const urlHistoryCollectorName = "url-history";
/** The documents it produces. */
export const urlHistoryDocuments: readonly string[] = [urlHistoryDocument];
/** The most objects one run hands over. */
export const maxUrlHistoryObjects = 2_000_000;
/** The largest browser version file read. */
const maxVersionFileBytes = 64 * 1024;

/** The figures `collect url-history` prints after a run. */
export interface UrlHistoryStats {
  /** Where the homes came from. */
  source: string;
  homes: number;
  /** History databases found, and read. */
  databases: number;
  databasesRead: number;
  objects: number;
  /** Databases, folders and legacy stores not read. */
  skipped: number;
}

/** How the collector is made. */
export interface UrlHistoryCollectorOptions {
  /** Where the homes are; by default the live system of `platform`. */
  readonly homes?: HomeSource;
  readonly platform?: string;
  readonly observe?: () => Observation;
  readonly maxObjects?: number;
  readonly limits?: HistoryLimits;
}

/** The live home source of a platform, or undefined when iocscan has none there. */
export function liveHomeSource(platform: string): HomeSource | undefined {
  if (platform === "linux") return linuxHomeSource();
  if (platform === "windows") return windowsHomeSource();
  return undefined;
}

/** The home source of mounted Windows images. */
export function offlineHomeSource(roots: readonly ImageRoot[]): HomeSource {
  return imageHomeSource(roots);
}

/** Creates the url-history collector. */
export function createUrlHistoryCollector(
  options: UrlHistoryCollectorOptions = {},
): Collector & { readonly stats: Readonly<UrlHistoryStats> } {
  const platform = options.platform ?? Deno.build.os;
  const homes = options.homes ?? liveHomeSource(platform);
  const maxObjects = options.maxObjects ?? maxUrlHistoryObjects;
  const stats: UrlHistoryStats = {
    source: homes?.name ?? `none on ${platform}`,
    homes: 0,
    databases: 0,
    databasesRead: 0,
    objects: 0,
    skipped: 0,
  };
  const name = urlHistoryCollectorName;
  return {
    name,
    documents: urlHistoryDocuments,
    stats,
    async *collect({ reporter, signal }) {
      const skip = (object: string, reason: SkipReason, detail: string) => {
        stats.skipped++;
        reporter.skipped({
          collector: name,
          object,
          reason,
          unreadDocuments: [urlHistoryDocument],
          detail,
        });
      };
      if (homes === undefined) {
        skip(`url-history:${platform}`, "source-unavailable", `no home list on ${platform}`);
        return;
      }
      const list = await homes.homes();
      stats.homes = list.homes.length;
      for (const refusal of list.unread) {
        skip(homes.shown(refusal.file), refusal.reason, refusal.detail);
      }
      const found = findHistoryDatabases(list.homes);
      for (const refusal of found.refused) {
        skip(homes.shown(refusal.file), refusal.reason, refusal.detail);
      }
      for (const cache of found.webCaches) {
        skip(
          homes.shown(cache.file),
          "unsupported",
          "legacy Internet Explorer / Edge history (an ESE database) is not read",
        );
      }
      stats.databases = found.databases.length;
      const observation = (options.observe ?? observeNow)();
      for (const database of found.databases) {
        if (signal?.aborted) return;
        const shown = homes.shown(database.file);
        const read = readHistoryDatabase(database.file, database.browser.engine, options.limits);
        if (!read.ok) {
          skip(shown, read.reason, read.detail);
          continue;
        }
        stats.databasesRead++;
        for (const note of read.notes) {
          reporter.warning({ collector: name, code: "history-log", message: `${shown}: ${note}` });
        }
        if (read.overCap > 0) {
          capped(reporter, shown, `${read.overCap} entries past the first ${read.visits.length}`);
          stats.skipped++;
        }
        const origin = originOf(database, shown);
        for (const visit of read.visits) {
          if (stats.objects >= maxObjects) {
            capped(reporter, shown, `the collector's cap of ${maxObjects} objects was reached`);
            stats.skipped++;
            return;
          }
          stats.objects++;
          yield toUrlHistoryItem(visit, origin, observation);
          reporter.progress({ collector: name, objects: stats.objects });
        }
      }
    },
  };
}

/** Reports entries past a cap: a warning, and the history as not read whole. */
function capped(reporter: CollectorReporter, shown: string, what: string): void {
  const message = `${shown}: ${what} are not read`;
  reporter.warning({ collector: urlHistoryCollectorName, code: "object-cap", message });
  reporter.skipped({
    collector: urlHistoryCollectorName,
    object: shown,
    reason: "source-unavailable",
    unreadDocuments: [urlHistoryDocument],
    detail: message,
  });
}

function originOf(database: HistoryDatabase, shown: string) {
  const versionBytes = readEvidenceFile(database.versionFile, { maxSize: maxVersionFileBytes });
  const version = versionBytes instanceof Uint8Array
    ? versionOfFile(database.browser.engine, new TextDecoder().decode(versionBytes))
    : undefined;
  return {
    browserName: database.browser.name,
    ...(version === undefined ? {} : { browserVersion: version }),
    profile: database.profile,
    username: database.home.username,
    source: database.file,
    shown,
  };
}
