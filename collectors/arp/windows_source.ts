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
  mibRowsRead,
  mibTableSource,
  type TableRows,
  type TableSource,
} from "../net_table/mod.ts";
import { MibIpnetRow2 } from "../../windows/layouts/ip_helper.ts";
import {
  type DecodedTable,
  decodeIpNetTable2,
  type NeighborRow,
} from "../../windows/layouts/ip_helper_rows.ts";
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
  return mibTableSource({
    kind: windowsArpApiName,
    rowSize: MibIpnetRow2.size,
    read: (bytes, alias) => arpTableRead(decodeIpNetTable2(bytes), alias),
  });
}

/**
 * The entries of a decoded neighbour table, with the rows that could not be
 * read named as a part not read (collectors/net_table/mib_rows.ts).
 */
export function arpTableRead(
  decoded: DecodedTable<NeighborRow>,
  alias: (luid: bigint) => string | undefined,
): TableRows<ArpEntry> {
  return mibRowsRead(
    decoded,
    windowsArpApiName,
    (row) => arpEntryOfRow(row, alias(row.interfaceLuid)),
  );
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
