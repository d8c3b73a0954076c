/**
 * The Windows route table: `GetIpForwardTable2` (iphlpapi, IPv4 and IPv6,
 * `MIB_IPFORWARD_ROW2`), decoded by windows/layouts/ip_helper_rows.ts, with
 * `Get-NetRoute` through CIM as the bounded fallback (windows_cim.ts).
 *
 * **Not yet run on Windows**: the FFI path is type-checked and its decoder
 * tested on bytes built by code; the fallback is tested on recorded JSON.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  firstReadable,
  loopbackInterfaceType,
  mibRowsRead,
  mibTableSource,
  type TableRows,
  type TableSource,
} from "../net_table/mod.ts";
import { MibIpforwardRow2 } from "../../windows/layouts/ip_helper.ts";
import {
  type DecodedTable,
  decodeIpForwardTable2,
  type ForwardRow,
} from "../../windows/layouts/ip_helper_rows.ts";
import type { RouteEntry } from "./route_entry.ts";
import { cimRouteSource } from "./windows_cim.ts";

/** How the API source is named. */
export const windowsRouteApiName = "GetIpForwardTable2";

/** The route table through the API, then CIM. */
export function windowsRouteSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<RouteEntry> {
  return firstReadable("route-table:windows", [apiSource(), cimRouteSource(options)]);
}

function apiSource(): TableSource<RouteEntry> {
  return mibTableSource({
    kind: windowsRouteApiName,
    rowSize: MibIpforwardRow2.size,
    read: (bytes, alias) => routeTableRead(decodeIpForwardTable2(bytes), alias),
  });
}

/**
 * The entries of a decoded route table, with the rows that could not be
 * read named as a part not read (collectors/net_table/mib_rows.ts).
 */
export function routeTableRead(
  decoded: DecodedTable<ForwardRow>,
  alias: (luid: bigint) => string | undefined,
): TableRows<RouteEntry> {
  return mibRowsRead(
    decoded,
    windowsRouteApiName,
    (row) => routeEntryOfRow(row, alias(row.interfaceLuid)),
  );
}

const unspecified = new Set(["0.0.0.0", "::"]);

/** One decoded `MIB_IPFORWARD_ROW2` as an entry (undefined for an address of no known family). */
export function routeEntryOfRow(
  row: ForwardRow,
  alias: string | undefined,
): RouteEntry | undefined {
  const version = row.destination.version;
  if (version === undefined) return undefined;
  const onLink = row.nextHop.version === undefined || unspecified.has(row.nextHop.address);
  return {
    interface: alias ?? `ifindex ${row.interfaceIndex}`,
    destination: row.destination.address,
    prefixLength: row.prefixLength,
    version,
    ...(onLink ? {} : { gateway: row.nextHop.address }),
    routeType: onLink ? "direct" : "indirect",
    protocol: row.protocol,
    metric: row.metric,
    isLoopback: row.loopback || row.interfaceType === loopbackInterfaceType,
    windows: {
      origin: row.origin,
      validLifetime: row.validLifetime,
      preferredLifetime: row.preferredLifetime,
      autoconfigureAddress: row.autoconfigureAddress,
      publish: row.publish,
      immortal: row.immortal,
    },
  };
}
