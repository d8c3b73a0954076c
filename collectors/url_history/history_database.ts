/**
 * Reading one history database, whatever state its browser left it in and
 * whoever shaped it: the file (and its `-wal` log, if any) is read through
 * the evidence opener (regular files only, never past the size it had,
 * capped, read again when it changed meanwhile), the log's committed frames are replayed in memory
 * (formats/sqlite), and SQLite opens the result from memory
 * (`deserialize`): no temporary copy on disk, no lock on the browser's file,
 * no write permission needed, nothing left behind. The in-memory database is
 * queried with `query_only` on; the schema must hold real tables (not views,
 * not virtual tables) with the columns the query reads, else the database is
 * skipped with the reason.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import type { SkipReason } from "../collector.ts";
import { type EvidenceFs, readEvidenceFile } from "../evidence_file.ts";
import { replayWal } from "../../formats/sqlite/mod.ts";
import type { BrowserEngine } from "./browsers.ts";
import { type HistoryRow, historySchemas } from "./history_schemas.ts";
import type { UrlVisit } from "./url_visit.ts";

/** The largest history database (with its log) read: Chrome's `History` is rarely past 100 MB. */
export const maxHistoryDatabaseBytes = 512 * 1024 * 1024;
/** The most entries read from one database. */
export const maxHistoryRowsPerDatabase = 250_000;

/** The first bytes of every SQLite 3 database. */
const sqliteMagic = new TextEncoder().encode("SQLite format 3\0");

/** The entries of one database, or why it could not be read. */
export type HistoryRead =
  | {
    readonly ok: true;
    readonly visits: readonly UrlVisit[];
    /** Entries left out past the row cap (0 when none). */
    readonly overCap: number;
    /** What was worked around (a log that did not hold). */
    readonly notes: readonly string[];
  }
  | { readonly ok: false; readonly reason: SkipReason; readonly detail: string };

/** How often a database (with its log) that changed while it was read is read again. */
export const maxHistoryReadAttempts = 3;

/** Limits of one read (tests lower them). */
export interface HistoryLimits {
  readonly maxBytes?: number;
  readonly maxRows?: number;
  /** The `node:fs` calls the evidence opener uses (tests write the file while it is read). */
  readonly fs?: EvidenceFs;
}

/** Reads the history entries of the `engine` database at `file`. Never throws. */
export function readHistoryDatabase(
  file: string,
  engine: BrowserEngine,
  limits: HistoryLimits = {},
): HistoryRead {
  const maxBytes = limits.maxBytes ?? maxHistoryDatabaseBytes;
  const maxRows = limits.maxRows ?? maxHistoryRowsPerDatabase;
  const files = readSteadyFiles(file, maxBytes, limits.fs);
  if (!files.ok) return files;
  const { main, wal } = files;
  const notes: string[] = [];
  const replayed = replayWal(main, wal, maxBytes);
  if (replayed.note !== undefined) notes.push(`its write-ahead log: ${replayed.note}`);
  const schema = historySchemas[engine];
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(":memory:", { allowExtension: false });
    db.deserialize(replayed.database);
    db.exec("PRAGMA query_only = ON");
    const missing = missingSchema(db, schema.tables);
    if (missing !== undefined) {
      return { ok: false, reason: "unsupported", detail: `not a ${engine} history: ${missing}` };
    }
    const statement = db.prepare(schema.query);
    statement.setReadBigInts(true);
    const rows = statement.all(maxRows + 1) as HistoryRow[];
    const visits = rows.slice(0, maxRows).map(schema.toVisit).filter((visit) => visit.url !== "");
    const overCap = rows.length > maxRows ? Math.max(1, countRows(db, engine) - maxRows) : 0;
    return { ok: true, visits, overCap, notes };
  } catch (error) {
    return { ok: false, reason: "corrupt", detail: `SQLite: ${(error as Error).message}` };
  } finally {
    db?.close();
  }
}

type SteadyFiles =
  | { readonly ok: true; readonly main: Uint8Array; readonly wal: Uint8Array | undefined }
  | { readonly ok: false; readonly reason: SkipReason; readonly detail: string };

/**
 * The database and its log, read while neither changed: a browser writing
 * meanwhile (or checkpointing its log into the database between the two
 * reads) leaves bytes of two states, which can read as a database that
 * silently lacks rows. Size and modification time are compared before and
 * after; a pair that changed is read again, at most
 * {@linkcode maxHistoryReadAttempts} times, then skipped as
 * `changed-while-read`.
 */
function readSteadyFiles(file: string, maxBytes: number, fs?: EvidenceFs): SteadyFiles {
  const walPath = `${file}-wal`;
  for (let attempt = 0; attempt < maxHistoryReadAttempts; attempt++) {
    const before = [stamp(file), stamp(walPath)].join("|");
    const main = readEvidenceFile(file, { maxSize: maxBytes, kind: "history database" }, fs);
    if (!(main instanceof Uint8Array)) {
      return { ok: false, reason: main.reason, detail: main.detail };
    }
    if (main.length < 100 || !sqliteMagic.every((byte, i) => main[i] === byte)) {
      return { ok: false, reason: "corrupt", detail: "not a SQLite database" };
    }
    let wal: Uint8Array | undefined;
    const walFile = readEvidenceFile(walPath, {
      maxSize: maxBytes - main.length,
      kind: "history write-ahead log",
    }, fs);
    if (walFile instanceof Uint8Array) wal = walFile;
    else if (walFile.reason !== "not-found") {
      // The newest entries live in the log: without it the database is not read whole.
      return {
        ok: false,
        reason: walFile.reason,
        detail: `its write-ahead log: ${walFile.detail}`,
      };
    }
    if ([stamp(file), stamp(walPath)].join("|") === before) return { ok: true, main, wal };
  }
  return {
    ok: false,
    reason: "changed-while-read",
    detail: `written to while it was read, ${maxHistoryReadAttempts} times (a browser in use)`,
  };
}

/** A file's size and modification time, or `none`. */
function stamp(path: string): string {
  try {
    const info = Deno.statSync(path);
    return `${info.size}@${info.mtime?.getTime() ?? "?"}`;
  } catch {
    return "none";
  }
}

/**
 * A virtual table's definition: its rows come from a module (FTS5 reading an
 * "external content" view, say), so a few KiB can make a read do unbounded
 * work; no browser keeps its history in one.
 */
const virtualTableDefinition = /^\s*CREATE\s+VIRTUAL\s+TABLE\b/i;

/**
 * What the schema lacks (a table, a view or a virtual table in a table's
 * place, a column), or undefined. Generated columns are not in
 * `pragma_table_info`: a generated column the query reads is lacking too.
 */
function missingSchema(
  db: DatabaseSync,
  tables: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  for (const [table, columns] of Object.entries(tables)) {
    const kind = db.prepare("SELECT type, sql FROM sqlite_master WHERE name = ?").get(table) as
      | { type?: unknown; sql?: unknown }
      | undefined;
    if (kind?.type !== "table") {
      return kind === undefined ? `no table ${table}` : `${table} is a ${String(kind.type)}`;
    }
    if (typeof kind.sql === "string" && virtualTableDefinition.test(kind.sql)) {
      return `${table} is a virtual table`;
    }
    const present = new Set(
      db.prepare("SELECT name FROM pragma_table_info(?)").all(table).map((row) =>
        String(row.name).toLowerCase()
      ),
    );
    const lacking = columns.filter((column) => !present.has(column));
    if (lacking.length > 0) return `${table} has no ${lacking.join(", ")}`;
  }
  return undefined;
}

/** How many entries the database holds (for the cap's warning). */
function countRows(db: DatabaseSync, engine: BrowserEngine): number {
  const table = Object.keys(historySchemas[engine].tables)[0]!;
  const row = db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n?: unknown };
  return Number(row?.n ?? 0);
}
