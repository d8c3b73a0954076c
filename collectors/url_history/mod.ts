/**
 * The url-history collector: `UrlHistoryItem` objects from the history of
 * every browser profile of every user (Chrome, Edge, Chromium, Brave,
 * Firefox), live or below mounted images, read in memory; and
 * {@linkcode readVisitedHostNames} for matching network indicators against
 * the host names browsed.
 *
 * @module
 */
export {
  createUrlHistoryCollector,
  liveHomeSource,
  maxUrlHistoryObjects,
  offlineHomeSource,
  urlHistoryCollectorName,
  type UrlHistoryCollectorOptions,
  urlHistoryDocuments,
  type UrlHistoryStats,
} from "./collector.ts";
export { type BrowserPlace, browserPlaces, versionOfFile } from "./browsers.ts";
export {
  type HistoryRead,
  maxHistoryDatabaseBytes,
  maxHistoryRowsPerDatabase,
  readHistoryDatabase,
} from "./history_database.ts";
export { historySchemas, prTime, webkitTime } from "./history_schemas.ts";
export {
  findHistoryDatabases,
  type HomeList,
  type HomeSource,
  type UserHome,
} from "./history_places.ts";
export {
  imageHomeSource,
  linuxHomeSource,
  parsePasswdHomes,
  windowsHomeSource,
} from "./home_sources.ts";
export { hostNameOf, toUrlHistoryItem, urlHistoryDocument, type UrlVisit } from "./url_visit.ts";
export { readVisitedHostNames, type VisitedHost, type VisitedHosts } from "./visited_hosts.ts";
