/**
 * One history entry (a URL a profile visited, with its visit figures) as the
 * history readers give it, and the `UrlHistoryItem` object made of it.
 *
 * @module
 */
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";

/** The OpenIOC document of browser history. */
export const urlHistoryDocument = "UrlHistoryItem";

/** Where an entry was read: the browser, its profile and its user. */
export interface HistoryOrigin {
  /** `Google Chrome`, `Firefox`… */
  readonly browserName: string;
  /** The browser's version, when its profile tells it. */
  readonly browserVersion?: string;
  /** The profile folder's name (`Default`, `abcd1234.default-release`). */
  readonly profile: string;
  /** The user whose home holds the profile. */
  readonly username: string;
  /** The database file on the scanning machine. */
  readonly source: string;
  /** The database as the evidence names it (the Windows form on a mounted image). */
  readonly shown: string;
}

/** One URL of a history database. */
export interface UrlVisit {
  readonly url: string;
  readonly title?: string;
  readonly visitCount?: number;
  readonly typed?: boolean;
  readonly hidden?: boolean;
  /** ISO 8601 UTC. */
  readonly firstVisitDate?: string;
  readonly lastVisitDate?: string;
  /** How the last visit came about (`LINK`, `TYPED`, `RELOAD`…). */
  readonly visitType?: string;
  /** The URL the last visit came from. */
  readonly visitFrom?: string;
  /** Fields the database holds but in a form iocscan could not read, and why. */
  readonly unread?: Readonly<Record<string, string>>;
}

/** The host name of a URL (lower case, IDNs in their `xn--` form), or undefined without one. */
export function hostNameOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return host === "" ? undefined : host.replace(/^\[|\]$/g, "");
  } catch {
    return undefined;
  }
}

/** The object of one entry; its key is the URL, as analysts write it. */
export function toUrlHistoryItem(
  visit: UrlVisit,
  origin: HistoryOrigin,
  observation: { readonly time: string; readonly computer: string },
): ObservedItem {
  const host = hostNameOf(visit.url);
  const unevaluated: Record<string, string> = { ...visit.unread };
  if (origin.browserVersion === undefined) {
    unevaluated.BrowserVersion = "the profile does not tell the browser's version";
  }
  return {
    document: urlHistoryDocument,
    key: visit.url,
    fields: {
      URL: visit.url,
      ...(host === undefined ? {} : { HostName: host }),
      ...(visit.title === undefined ? {} : { PageTitle: visit.title }),
      Username: origin.username,
      Profile: origin.profile,
      BrowserName: origin.browserName,
      ...(origin.browserVersion === undefined ? {} : { BrowserVersion: origin.browserVersion }),
      ...(visit.visitType === undefined ? {} : { VisitType: visit.visitType }),
      ...(visit.visitFrom === undefined ? {} : { VisitFrom: visit.visitFrom }),
      ...(visit.visitCount === undefined ? {} : { VisitCount: visit.visitCount }),
      ...(visit.typed === undefined ? {} : { Typed: visit.typed }),
      ...(visit.hidden === undefined ? {} : { Hidden: visit.hidden }),
      ...(visit.firstVisitDate === undefined ? {} : { FirstVisitDate: visit.firstVisitDate }),
      ...(visit.lastVisitDate === undefined ? {} : { LastVisitDate: visit.lastVisitDate }),
    },
    provenance: {
      // The entry's own time when it has one; else when it was read.
      time: visit.lastVisitDate ?? observation.time,
      // No computer for offline evidence (""): the scanning machine is not the evidence's.
      ...(observation.computer ? { computer: observation.computer } : {}),
      source: origin.source,
    },
    ...(Object.keys(unevaluated).length > 0 ? { unevaluated: unevaluated as Unevaluated } : {}),
  };
}
