/**
 * History databases built by code with the schemas the browsers create (the
 * CREATE statements of Chromium's `History` and Firefox's `places.sqlite`,
 * as recent versions write them), for tests. Test helper: production code
 * never imports it.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** Chromium's `History` tables and indexes (Chromium 120+, trimmed of tables iocscan does not read). */
export const chromiumSchema = `
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT,url LONGVARCHAR,title LONGVARCHAR,visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT NULL,last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT,url INTEGER NOT NULL,visit_time INTEGER NOT NULL,from_visit INTEGER,external_referrer_url TEXT,transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,visit_duration INTEGER DEFAULT 0 NOT NULL,incremented_omnibox_typed_score BOOLEAN DEFAULT FALSE NOT NULL,opener_visit INTEGER,originator_cache_guid TEXT,originator_visit_id INTEGER,originator_from_visit INTEGER,originator_opener_visit INTEGER,is_known_to_sync BOOLEAN DEFAULT FALSE NOT NULL,consider_for_ntp_most_visited BOOLEAN DEFAULT FALSE NOT NULL,visited_link_id INTEGER DEFAULT 0 NOT NULL,app_id TEXT);
CREATE INDEX visits_url_index ON visits (url);
CREATE INDEX visits_from_index ON visits (from_visit);
CREATE INDEX visits_time_index ON visits (visit_time);
CREATE INDEX urls_url_index ON urls (url);
CREATE TABLE keyword_search_terms (keyword_id INTEGER NOT NULL,url_id INTEGER NOT NULL,term LONGVARCHAR NOT NULL,normalized_term LONGVARCHAR NOT NULL);
`;

/** Firefox's `places.sqlite` history tables (Firefox 120+, trimmed of tables iocscan does not read). */
export const firefoxSchema = `
CREATE TABLE moz_origins ( id INTEGER PRIMARY KEY, prefix TEXT NOT NULL, host TEXT NOT NULL, frecency INTEGER NOT NULL, recalc_frecency INTEGER NOT NULL DEFAULT 0, alt_frecency INTEGER, recalc_alt_frecency INTEGER NOT NULL DEFAULT 0, UNIQUE (prefix, host) );
CREATE TABLE moz_places (   id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, rev_host LONGVARCHAR, visit_count INTEGER DEFAULT 0, hidden INTEGER DEFAULT 0 NOT NULL, typed INTEGER DEFAULT 0 NOT NULL, frecency INTEGER DEFAULT -1 NOT NULL, last_visit_date INTEGER , guid TEXT, foreign_count INTEGER DEFAULT 0 NOT NULL, url_hash INTEGER DEFAULT 0 NOT NULL , description TEXT, preview_image_url TEXT, site_name TEXT, origin_id INTEGER REFERENCES moz_origins(id), recalc_frecency INTEGER NOT NULL DEFAULT 0, alt_frecency INTEGER, recalc_alt_frecency INTEGER NOT NULL DEFAULT 0);
CREATE TABLE moz_historyvisits (  id INTEGER PRIMARY KEY, from_visit INTEGER, place_id INTEGER, visit_date INTEGER, visit_type INTEGER, session INTEGER, source INTEGER DEFAULT 0 NOT NULL, triggeringPlaceId INTEGER);
CREATE INDEX moz_places_url_hashindex ON moz_places (url_hash);
CREATE INDEX moz_historyvisits_placedateindex ON moz_historyvisits (place_id, visit_date);
CREATE INDEX moz_historyvisits_fromindex ON moz_historyvisits (from_visit);
`;

/** One visit of a fixture: the URL, when, how (Chromium transition or Firefox visit type), from. */
export interface FixtureVisit {
  readonly url: string;
  readonly title?: string;
  /** Milliseconds since 1970. */
  readonly time: number;
  readonly typed?: boolean;
  /** The index (in the fixture's list) of the visit this one came from. */
  readonly from?: number;
  /** Chromium `transition` or Firefox `visit_type`. */
  readonly kind?: number;
}

const webkitOffsetMicros = 11_644_473_600_000_000n;

/** Writes a Chromium `History` at `file` with `visits` (URLs grouped, figures as Chromium keeps them). */
export function writeChromiumHistory(file: string, visits: readonly FixtureVisit[]): void {
  const db = new DatabaseSync(file);
  try {
    db.exec(chromiumSchema);
    db.exec("INSERT INTO meta VALUES ('version', '67'), ('last_compatible_version', '16')");
    const urlIds = new Map<string, number>();
    visits.forEach((visit, index) => {
      const micros = BigInt(visit.time) * 1000n + webkitOffsetMicros;
      let id = urlIds.get(visit.url);
      if (id === undefined) {
        id = urlIds.size + 1;
        urlIds.set(visit.url, id);
        db.prepare(
          "INSERT INTO urls(id, url, title, visit_count, typed_count, last_visit_time, hidden) " +
            "VALUES (?, ?, ?, 0, 0, ?, 0)",
        ).run(id, visit.url, visit.title ?? "", micros);
      }
      db.prepare(
        "UPDATE urls SET visit_count = visit_count + 1, typed_count = typed_count + ?, " +
          "last_visit_time = MAX(last_visit_time, ?) WHERE id = ?",
      ).run(visit.typed ? 1 : 0, micros, id);
      db.prepare(
        "INSERT INTO visits(id, url, visit_time, from_visit, transition) VALUES (?, ?, ?, ?, ?)",
      ).run(index + 1, id, micros, visit.from === undefined ? 0 : visit.from + 1, visit.kind ?? 0);
    });
  } finally {
    db.close();
  }
}

/**
 * Writes a Firefox `places.sqlite` at `file` with `visits`; with `inLog`, the
 * database is in WAL mode and the last `inLog` visits are only in its
 * `-wal` file (the state a running Firefox leaves: not checkpointed).
 */
export function writeFirefoxPlaces(
  file: string,
  visits: readonly FixtureVisit[],
  options: { inLog?: number } = {},
): void {
  const db = new DatabaseSync(file);
  const inLog = options.inLog ?? 0;
  try {
    if (inLog > 0) db.exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;");
    db.exec(firefoxSchema);
    const add = (visit: FixtureVisit, index: number) => {
      const micros = BigInt(visit.time) * 1000n;
      const known = db.prepare("SELECT id FROM moz_places WHERE url = ?").get(visit.url) as
        | { id: number }
        | undefined;
      let id = known?.id;
      if (id === undefined) {
        db.prepare(
          "INSERT INTO moz_places(url, title, rev_host, visit_count, typed, last_visit_date, guid) " +
            "VALUES (?, ?, ?, 0, 0, ?, ?)",
        ).run(visit.url, visit.title ?? null, "", micros, `guid${index}`);
        id = Number((db.prepare("SELECT last_insert_rowid() AS id").get() as { id: number }).id);
      }
      db.prepare(
        "UPDATE moz_places SET visit_count = visit_count + 1, typed = MAX(typed, ?), " +
          "last_visit_date = MAX(last_visit_date, ?) WHERE id = ?",
      ).run(visit.typed ? 1 : 0, micros, id);
      db.prepare(
        "INSERT INTO moz_historyvisits(id, from_visit, place_id, visit_date, visit_type) " +
          "VALUES (?, ?, ?, ?, ?)",
      ).run(index + 1, visit.from === undefined ? 0 : visit.from + 1, id, micros, visit.kind ?? 1);
    };
    const checkpointed = visits.length - inLog;
    visits.slice(0, checkpointed).forEach(add);
    if (inLog > 0) {
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      visits.slice(checkpointed).forEach((visit, i) => add(visit, checkpointed + i));
      // Left open in a copy's place: the log is copied before the connection checkpoints on close.
      Deno.copyFileSync(file, `${file}.kept`);
      Deno.copyFileSync(`${file}-wal`, `${file}-wal.kept`);
    }
  } finally {
    db.close();
  }
  if (inLog > 0) {
    Deno.renameSync(`${file}.kept`, file);
    Deno.renameSync(`${file}-wal.kept`, `${file}-wal`);
    try {
      Deno.removeSync(`${file}-shm`);
    } catch {
      // No shared-memory file left: nothing to remove.
    }
  }
}
