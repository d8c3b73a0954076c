/**
 * The host names the browsers of this host (or of a mounted image) visited,
 * for matching network indicators against browsing (a binding or network
 * mode): one entry per host name, with how many history entries name it and
 * when it was last visited.
 *
 * @module
 */
import type { CollectorReporter, SkippedObject } from "../collector.ts";
import { createUrlHistoryCollector, type UrlHistoryCollectorOptions } from "./collector.ts";

/** One host name visited. */
export interface VisitedHost {
  /** Lower case, IDNs in their `xn--` form. */
  readonly hostName: string;
  /** History entries (URLs) on this host. */
  readonly entries: number;
  /** The last visit, ISO 8601 UTC, when the history tells it. */
  readonly lastVisitDate?: string;
}

/** The visited host names, and the histories that could not be read (so no host is ruled out). */
export interface VisitedHosts {
  readonly hosts: readonly VisitedHost[];
  readonly skipped: readonly SkippedObject[];
}

/** Lists the host names of every browser history the url-history collector reads. */
export async function readVisitedHostNames(
  options: UrlHistoryCollectorOptions = {},
): Promise<VisitedHosts> {
  const skipped: SkippedObject[] = [];
  const reporter: CollectorReporter = {
    skipped: (entry) => skipped.push(entry),
    warning() {},
    progress() {},
  };
  const hosts = new Map<string, { entries: number; last?: string }>();
  const collector = createUrlHistoryCollector(options);
  for await (const item of collector.collect({ needs: new Map(), reporter })) {
    const host = item.fields.HostName;
    if (typeof host !== "string") continue;
    const last = item.fields.LastVisitDate;
    const seen = hosts.get(host) ?? { entries: 0 };
    seen.entries++;
    if (typeof last === "string" && (seen.last === undefined || last > seen.last)) seen.last = last;
    hosts.set(host, seen);
  }
  return {
    hosts: [...hosts].sort(([a], [b]) => a.localeCompare(b)).map(([hostName, seen]) => ({
      hostName,
      entries: seen.entries,
      ...(seen.last === undefined ? {} : { lastVisitDate: seen.last }),
    })),
    skipped,
  };
}
