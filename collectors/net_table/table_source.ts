/**
 * A source of one host table (the DNS cache, the neighbour table, the route
 * table): one platform's way to read it, behind one interface, so that the
 * collector logic is tested with recorded output.
 *
 * @module
 */

/** Why a table could not be read at all: the source is named, with the reason in words. */
export interface TableUnavailable {
  readonly ok: false;
  /** The source as a skip record names it, e.g. `dns-cache:systemd-resolved` or `ip -j neigh`. */
  readonly object: string;
  /** What failed, e.g. `resolvectl is not installed`. */
  readonly detail: string;
}

/** The rows read, with what was odd but worked around. */
export interface TableRows<Row> {
  readonly ok: true;
  readonly rows: readonly Row[];
  /** Problems the source worked around (a row it could not decode, a fallback taken). */
  readonly warnings?: readonly TableWarning[];
  /**
   * Parts of the table that could not be read (the IPv6 routes of a kernel without IPv6): each is
   * a `source-unavailable` skip, since the rows read are not the whole table.
   */
  readonly unread?: readonly Omit<TableUnavailable, "ok">[];
}

/** A problem a source worked around. */
export interface TableWarning {
  /** A stable code, e.g. `dns-cache-fallback`. */
  readonly code: string;
  readonly message: string;
}

/** What reading a table gives. */
export type TableRead<Row> = TableRows<Row> | TableUnavailable;

/** One platform's way to read a table. */
export interface TableSource<Row> {
  /** How the source is named in stats and skips, e.g. `ip -j neigh`, `GetIpNetTable2`. */
  readonly name: string;
  read(signal?: AbortSignal): Promise<TableRead<Row>>;
}

/**
 * A source that tries each of `sources` in turn and keeps the first that
 * reads: the Windows API first, then its bounded CIM fallback. When none
 * reads, the failure names every attempt.
 */
export function firstReadable<Row>(
  object: string,
  sources: readonly TableSource<Row>[],
): TableSource<Row> {
  return {
    name: sources.map((source) => source.name).join(" | "),
    async read(signal) {
      const failures: string[] = [];
      for (const source of sources) {
        const read = await source.read(signal);
        if (read.ok) {
          const fellBack: TableWarning[] = failures.map((failure) => ({
            code: "table-source-fallback",
            message: `${failure}; read with ${source.name} instead`,
          }));
          return { ok: true, rows: read.rows, warnings: [...fellBack, ...(read.warnings ?? [])] };
        }
        failures.push(`${source.name}: ${read.detail}`);
        if (signal?.aborted) break;
      }
      return { ok: false, object, detail: failures.join("; ") };
    },
  };
}
