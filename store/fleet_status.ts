/**
 * `iocscan fleet status`: per host, its last run (status, whether complete, detections) and its
 * isolation state, read from the fleet store (docs/fleet.md). An endpoint login sees only its
 * own hosts (row-level security); the admin sees the fleet.
 *
 * @module
 */
import { type Kysely, type RawBuilder, sql, type SqlBool } from "kysely";
import { fromJsonText } from "./json_text.ts";
import type { RunStatus, StoreDatabase } from "./schema.ts";

/** One host's line. */
export interface HostStatus {
  /** The host name its runs recorded. */
  host: string;
  /** Its runs in the store. */
  runs: number;
  /** The last run (highest start time): id, start, end, status. */
  lastRun: { id: number; started: string; finished: string | null; status: RunStatus };
  /**
   * Whether the last run read every input and evaluated every IOC (`completed`); a run that is
   * `running` has no answer yet (null).
   */
  complete: boolean | null;
  /** IOC detections of the last run (null while it runs). */
  detections: number | null;
  /** The state of the host's latest isolation (`active`, `released`…), or `none`. */
  isolation: string;
}

/** A host name pattern (`*` any text, `?` one character) as a SQL LIKE pattern. */
export function hostLikePattern(pattern: string): string {
  return pattern.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)
    .replaceAll("*", "%").replaceAll("?", "_");
}

/**
 * The condition "the row's `host` matches `pattern`" (`*`, `?`; case-insensitive), the same in
 * SQLite and PostgreSQL (an explicit ESCAPE: SQLite has no default one).
 */
export function hostMatches(pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(host) like ${hostLikePattern(pattern)} escape '\\'`;
}

/**
 * Every host's status, by host name.
 *
 * @param hostPattern Only hosts matching (`*`, `?`; case-insensitive).
 */
export async function fleetStatus(
  db: Kysely<StoreDatabase>,
  hostPattern?: string,
): Promise<HostStatus[]> {
  let query = db.selectFrom("runs")
    .select(["id", "host", "startedAt", "finishedAt", "status", "countsJson"])
    .orderBy("host").orderBy("startedAt").orderBy("id");
  if (hostPattern !== undefined) {
    query = query.where(hostMatches(hostPattern));
  }
  const byHost = new Map<string, HostStatus>();
  for (const row of await query.execute()) {
    const counts = fromJsonText(row.countsJson) as { detections?: unknown } | null;
    const running = row.status === "running";
    byHost.set(row.host, {
      host: row.host,
      runs: (byHost.get(row.host)?.runs ?? 0) + 1,
      lastRun: {
        id: Number(row.id),
        started: row.startedAt,
        finished: row.finishedAt,
        status: row.status,
      },
      complete: running ? null : row.status === "completed",
      detections: running ? null : Number(counts?.detections ?? 0),
      isolation: "none",
    });
  }
  const isolations = await db.selectFrom("isolations").select(["host", "state", "startedAt"])
    .where("host", "is not", null).orderBy("startedAt").execute();
  for (const isolation of isolations) {
    const status = byHost.get(isolation.host!);
    if (status) status.isolation = isolation.state;
  }
  return [...byHost.values()];
}
