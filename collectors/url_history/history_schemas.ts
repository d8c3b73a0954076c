/**
 * The two history schemas iocscan reads, as data: the tables and columns a
 * database must have, the one query that reads its entries (each URL with
 * the first and last of its visits), and how a row becomes a
 * {@linkcode UrlVisit}.
 *
 * - Chromium (Chrome, Edge, Brave): `urls` and `visits`; times are
 *   microseconds since 1601-01-01 UTC (WebKit/Windows epoch), 0 for none;
 *   `transition`'s low byte is the core transition type.
 * - Firefox: `moz_places` and `moz_historyvisits`; times are PRTime,
 *   microseconds since 1970-01-01 UTC; places never visited (bookmarks
 *   only) are left out.
 *
 * Text columns are read as text (`CAST … AS TEXT`), as the browsers read them
 * (`sqlite3_column_text`): a URL stored as a BLOB or a number is still the
 * URL the browser shows, not a row to drop.
 *
 * The queries join on the visits' integer keys only and group visits once,
 * so a database without its indexes (a crafted one) costs a sort, not a
 * scan per URL; `LIMIT` bounds what is read.
 *
 * @module
 */
import type { BrowserEngine } from "./browsers.ts";
import type { UrlVisit } from "./url_visit.ts";

/** A row as node:sqlite returns it. */
export type HistoryRow = Readonly<Record<string, unknown>>;

/** One schema: what it needs, how it is read, how a row is read. */
export interface HistorySchema {
  /** Tables and the columns the query reads from each. */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  /** The query; its one parameter is the row limit. */
  readonly query: string;
  readonly toVisit: (row: HistoryRow) => UrlVisit;
}

/** Microseconds between 1601-01-01 and 1970-01-01. */
const webkitEpochOffsetMicros = 11_644_473_600_000_000n;
/** The latest time believed (year 9999): later values are damage, not visits. */
const latestMillis = Date.UTC(9999, 11, 31);

/** Chromium's core transition types (the low byte of `visits.transition`). */
const chromiumTransitions = [
  "LINK",
  "TYPED",
  "AUTO_BOOKMARK",
  "AUTO_SUBFRAME",
  "MANUAL_SUBFRAME",
  "GENERATED",
  "AUTO_TOPLEVEL",
  "FORM_SUBMIT",
  "RELOAD",
  "KEYWORD",
  "KEYWORD_GENERATED",
] as const;
const chromiumCoreMask = 0xff;

/** Firefox's visit types (`moz_historyvisits.visit_type`, from 1). */
const firefoxVisitTypes = [
  "LINK",
  "TYPED",
  "BOOKMARK",
  "EMBED",
  "REDIRECT_PERMANENT",
  "REDIRECT_TEMPORARY",
  "DOWNLOAD",
  "FRAMED_LINK",
  "RELOAD",
] as const;

/** The schemas, by engine. */
export const historySchemas: Readonly<Record<BrowserEngine, HistorySchema>> = {
  chromium: {
    tables: {
      urls: ["id", "url", "title", "visit_count", "typed_count", "last_visit_time", "hidden"],
      visits: ["id", "url", "visit_time", "from_visit", "transition"],
    },
    query: `
      WITH seen AS (SELECT url AS place, MIN(visit_time) AS first, MAX(id) AS last_id
                    FROM visits GROUP BY url)
      SELECT CAST(u.url AS TEXT) AS url, CAST(u.title AS TEXT) AS title, u.visit_count AS visit_count,
             u.typed_count AS typed, u.hidden AS hidden, u.last_visit_time AS last_time,
             seen.first AS first_time, lv.transition AS kind, CAST(fu.url AS TEXT) AS from_url
      FROM urls u
      LEFT JOIN seen ON seen.place = u.id
      LEFT JOIN visits lv ON lv.id = seen.last_id
      LEFT JOIN visits fv ON fv.id = lv.from_visit
      LEFT JOIN urls fu ON fu.id = fv.url
      ORDER BY u.id LIMIT ?`,
    toVisit: (row) =>
      visitOf(row, webkitTime, (kind) => chromiumTransitions[Number(kind) & chromiumCoreMask]),
  },
  firefox: {
    tables: {
      moz_places: ["id", "url", "title", "visit_count", "typed", "hidden", "last_visit_date"],
      moz_historyvisits: ["id", "place_id", "visit_date", "from_visit", "visit_type"],
    },
    query: `
      WITH seen AS (SELECT place_id AS place, MIN(visit_date) AS first, MAX(id) AS last_id
                    FROM moz_historyvisits GROUP BY place_id)
      SELECT CAST(p.url AS TEXT) AS url, CAST(p.title AS TEXT) AS title, p.visit_count AS visit_count, p.typed AS typed,
             p.hidden AS hidden, p.last_visit_date AS last_time, seen.first AS first_time,
             lv.visit_type AS kind, CAST(fp.url AS TEXT) AS from_url
      FROM moz_places p
      LEFT JOIN seen ON seen.place = p.id
      LEFT JOIN moz_historyvisits lv ON lv.id = seen.last_id
      LEFT JOIN moz_historyvisits fv ON fv.id = lv.from_visit
      LEFT JOIN moz_places fp ON fp.id = fv.place_id
      WHERE p.last_visit_date IS NOT NULL OR seen.place IS NOT NULL
      ORDER BY p.id LIMIT ?`,
    toVisit: (row) => visitOf(row, prTime, (kind) => firefoxVisitTypes[Number(kind) - 1]),
  },
};

/** A time column read: an ISO time, none (0 or NULL), or a value out of range. */
type TimeRead = { readonly iso: string } | "none" | "bad";

/** Chromium's microseconds since 1601 as ISO 8601 UTC. */
export function webkitTime(value: unknown): TimeRead {
  const micros = integerOf(value);
  if (micros === undefined) return value === null || value === undefined ? "none" : "bad";
  if (micros === 0n) return "none";
  return isoOfMillis(Number((micros - webkitEpochOffsetMicros) / 1000n));
}

/** Firefox's PRTime (microseconds since 1970) as ISO 8601 UTC. */
export function prTime(value: unknown): TimeRead {
  const micros = integerOf(value);
  if (micros === undefined) return value === null || value === undefined ? "none" : "bad";
  if (micros === 0n) return "none";
  return isoOfMillis(Number(micros / 1000n));
}

function isoOfMillis(millis: number): TimeRead {
  if (!Number.isFinite(millis) || millis < 0 || millis > latestMillis) return "bad";
  return { iso: new Date(millis).toISOString() };
}

function integerOf(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function countOf(value: unknown): number | undefined {
  const integer = integerOf(value);
  return integer === undefined || integer < 0n ? undefined : Number(integer);
}

function visitOf(
  row: HistoryRow,
  time: (value: unknown) => TimeRead,
  kindName: (kind: unknown) => string | undefined,
): UrlVisit {
  const unread: Record<string, string> = {};
  const timeField = (field: string, value: unknown): Record<string, string> => {
    const read = time(value);
    if (read === "none") return {};
    if (read === "bad") {
      unread[field] = `the database holds a time out of range (${String(value).slice(0, 40)})`;
      return {};
    }
    return { [field]: read.iso };
  };
  const visitCount = countOf(row.visit_count);
  const typed = countOf(row.typed);
  const hidden = countOf(row.hidden);
  const kind = row.kind === null || row.kind === undefined ? undefined : kindName(row.kind);
  const title = textOf(row.title);
  const from = textOf(row.from_url);
  const times = {
    ...timeField("firstVisitDate", row.first_time),
    ...timeField("lastVisitDate", row.last_time),
  };
  const unreadFields = Object.fromEntries(
    Object.entries(unread).map((
      [field, reason],
    ) => [field[0]!.toUpperCase() + field.slice(1), reason]),
  );
  return {
    url: textOf(row.url) ?? "",
    ...(title === undefined || title === "" ? {} : { title }),
    ...(visitCount === undefined ? {} : { visitCount }),
    ...(typed === undefined ? {} : { typed: typed > 0 }),
    ...(hidden === undefined ? {} : { hidden: hidden > 0 }),
    ...times,
    ...(kind === undefined ? {} : { visitType: kind }),
    ...(from === undefined ? {} : { visitFrom: from }),
    ...(Object.keys(unreadFields).length > 0 ? { unread: unreadFields } : {}),
  };
}
