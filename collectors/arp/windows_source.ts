/**
 * The Windows neighbour table: `GetIpNetTable2` (iphlpapi, IPv4 and IPv6,
 * `MIB_IPNET_ROW2`), decoded by windows/layouts/ip_helper_rows.ts, with
 * `Get-NetNeighbor` through CIM as the bounded fallback (windows_cim.ts).
 *
 * **Not yet run on Windows**: the FFI path is type-checked and its decoder
 * tested on bytes built by code; the fallback is tested on recorded JSON.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  firstReadable,
  interfaceAlias,
  readMibTable2,
  type TableSource,
} from "../net_table/mod.ts";
import { MibIpnetRow2 } from "../../windows/layouts/ip_helper.ts";
import { decodeIpNetTable2, type NeighborRow } from "../../windows/layouts/ip_helper_rows.ts";
import type { ArpEntry } from "./arp_entry.ts";
import { cimArpSource } from "./windows_cim.ts";

/** How the API source is named. */
export const windowsArpApiName = "GetIpNetTable2";

/** The neighbour table through the API, then CIM. */
export function windowsArpSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<ArpEntry> {
  return firstReadable("neighbour-table:windows", [apiSource(), cimArpSource(options)]);
}

function apiSource(): TableSource<ArpEntry> {
  return {
    name: windowsArpApiName,
    read() {
      const table = readMibTable2("GetIpNetTable2", MibIpnetRow2.size);
      if (!table.ok) {
        return Promise.resolve({ ok: false, object: windowsArpApiName, detail: table.detail });
      }
      const decoded = decodeIpNetTable2(table.bytes);
      const aliases = new Map<bigint, string | undefined>();
      const alias = (luid: bigint) => {
        if (!aliases.has(luid)) aliases.set(luid, interfaceAlias(luid));
        return aliases.get(luid);
      };
      return Promise.resolve({
        ok: true,
        rows: decoded.rows.flatMap((row) => {
          const entry = arpEntryOfRow(row, alias(row.interfaceLuid));
          return entry ? [entry] : [];
        }),
      });
    },
  };
}

/** One decoded `MIB_IPNET_ROW2` as an entry (undefined for an address of no known family). */
export function arpEntryOfRow(row: NeighborRow, alias: string | undefined): ArpEntry | undefined {
  if (row.address.version === undefined) return undefined;
  return {
    interface: alias ?? `ifindex ${row.interfaceIndex}`,
    interfaceType: row.interfaceType,
    ...(row.physicalAddress === "" ? {} : { physicalAddress: row.physicalAddress }),
    ipAddress: row.address.address,
    version: row.address.version,
    isRouter: row.isRouter,
    state: row.state,
  };
}
