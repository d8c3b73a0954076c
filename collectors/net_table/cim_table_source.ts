/**
 * A table read through PowerShell (`Get-NetNeighbor`, `Get-NetRoute`,
 * `Get-DnsClientCache` piped to `ConvertTo-Json`), bounded by
 * {@linkcode readCimJson}, each object decoded into a row; objects that
 * cannot be decoded are a part of the table not read (decoded_rows.ts).
 *
 * @example
 * ```ts ignore
 * import { cimTableSource } from "./mod.ts";
 * const source = cimTableSource("Get-NetRoute", "Get-NetRoute | ConvertTo-Json -Compress", decode);
 * const read = await source.read();
 * ```
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import { type CimObject, readCimJson } from "./cim_json.ts";
import { decodeRows } from "./decoded_rows.ts";
import type { TableSource } from "./table_source.ts";

/** The table `script` prints, named `name` in stats and skips. */
export function cimTableSource<Row>(
  name: string,
  script: string,
  decode: (object: CimObject) => Row | undefined,
  options: { readonly runner?: CommandRunner } = {},
): TableSource<Row> {
  return {
    name,
    async read(signal) {
      const read = await readCimJson(script, { ...(signal ? { signal } : {}), ...options });
      if (!read.ok) return { ok: false, object: name, detail: read.detail };
      const { rows, unread } = decodeRows(read, name, decode);
      return { ok: true, rows, ...(unread ? { unread: [unread] } : {}) };
    },
  };
}
