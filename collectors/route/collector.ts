/**
 * The route collector: one `RouteEntryItem` per route of every routing
 * table (IPv4 and IPv6; on Linux the main, local and policy tables), from
 * the live host's source for its platform.
 *
 * @module
 */
import type { Collector } from "../collector.ts";
import type { CommandRunner } from "../live/mod.ts";
import {
  createTableCollector,
  type Observation,
  type TableSource,
  type TableStats,
} from "../net_table/mod.ts";
import { routeDocument, type RouteEntry, toRouteItem } from "./route_entry.ts";
import { linuxRouteSource } from "./linux_source.ts";
import { windowsRouteSource } from "./windows_source.ts";

/** The collector's name. */
export const routeCollectorName = "route";
/** The documents it produces. */
export const routeDocuments: readonly string[] = [routeDocument];
/** The most entries read (a host with a full BGP table holds about a million: the cap says so). */
export const maxRouteEntries = 100_000;

/** How the collector is made. */
export interface RouteCollectorOptions {
  /** The source; by default the live one of `platform`. */
  readonly source?: TableSource<RouteEntry>;
  readonly platform?: string;
  readonly runner?: CommandRunner;
  readonly observe?: () => Observation;
  readonly maxObjects?: number;
}

/** The live source of a platform, or undefined when iocscan has none there. */
export function liveRouteSource(
  platform: string,
  runner?: CommandRunner,
): TableSource<RouteEntry> | undefined {
  const options = runner ? { runner } : {};
  if (platform === "linux") return linuxRouteSource(options);
  if (platform === "windows") return windowsRouteSource(options);
  return undefined;
}

/** Creates the route collector. */
export function createRouteCollector(
  options: RouteCollectorOptions = {},
): Collector & { readonly stats: Readonly<TableStats> } {
  const source = options.source ??
    liveRouteSource(options.platform ?? Deno.build.os, options.runner) ??
    unsupported(options.platform ?? Deno.build.os);
  return createTableCollector({
    name: routeCollectorName,
    document: routeDocument,
    source,
    toItem: toRouteItem,
    maxObjects: options.maxObjects ?? maxRouteEntries,
    ...(options.observe ? { observe: options.observe } : {}),
  });
}

function unsupported(platform: string): TableSource<RouteEntry> {
  return {
    name: `route-table:${platform}`,
    read: () =>
      Promise.resolve({
        ok: false,
        object: `route-table:${platform}`,
        detail: `iocscan has no route-table source on ${platform}`,
      }),
  };
}
