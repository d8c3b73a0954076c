/**
 * The rows of an IP Helper table (`MIB_IPNET_TABLE2`, `MIB_IPFORWARD_TABLE2`)
 * as a table read: each decoded row made an entry, and what could not be
 * read (rows `NumEntries` promised beyond the table's bytes, rows of no
 * known address family) named as a part not read, so the table's document
 * is unread rather than ruled out by rows iocscan never saw.
 *
 * @module
 */
import type { DecodedTable } from "../../windows/layouts/ip_helper_rows.ts";
import type { TableRows } from "./table_source.ts";

/**
 * The entries of a decoded table; `toEntry` gives undefined for a row of no
 * known address family. `object` names the API (`GetIpNetTable2`).
 */
export function mibRowsRead<Raw, Row>(
  decoded: DecodedTable<Raw>,
  object: string,
  toEntry: (row: Raw) => Row | undefined,
): TableRows<Row> {
  const rows: Row[] = [];
  let noFamily = 0;
  for (const raw of decoded.rows) {
    const entry = toEntry(raw);
    if (entry === undefined) noFamily++;
    else rows.push(entry);
  }
  const lost = decoded.missing + noFamily;
  if (lost === 0) return { ok: true, rows };
  const why = [
    ...(decoded.missing > 0
      ? [`${decoded.missing} promised by NumEntries beyond the table's bytes`]
      : []),
    ...(noFamily > 0 ? [`${noFamily} of no known address family`] : []),
  ];
  const total = decoded.rows.length + decoded.missing;
  return {
    ok: true,
    rows,
    unread: [{
      object,
      detail: `${object}: ${lost} of ${total} rows could not be read (${why.join(", ")})`,
    }],
  };
}
