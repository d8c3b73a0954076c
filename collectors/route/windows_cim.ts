/**
 * The route table through CIM: `Get-NetRoute` (`MSFT_NetRoute` in
 * `root/StandardCimv2`) as JSON, bounded (collectors/net_table/cim_json.ts).
 * `DestinationPrefix` is `10.0.0.0/8`, `NextHop` `0.0.0.0` or `::` on link,
 * `Protocol` and `AddressFamily` numbers, `ValidLifetime` a TimeSpan.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  cimNumber,
  type CimObject,
  cimString,
  cimTableSource,
  type TableSource,
} from "../net_table/mod.ts";
import { routeProtocols } from "../../windows/layouts/ip_helper.ts";
import type { RouteEntry } from "./route_entry.ts";

/** How the CIM source is named. */
export const cimRouteSourceName = "Get-NetRoute";

/** The pipeline: plain values only (enums as numbers, lifetimes in seconds), one JSON document. */
export const getNetRouteScript = "Get-NetRoute -ErrorAction Stop | Select-Object " +
  "DestinationPrefix,NextHop,InterfaceAlias,InterfaceIndex,AddressFamily,RouteMetric," +
  "Protocol,TypeOfRoute,Publish,AutoconfigureAddress,Immortal," +
  "@{n='ValidLifetime';e={[uint32][math]::Min(4294967295,$_.ValidLifetime.TotalSeconds)}}," +
  "@{n='PreferredLifetime';e={[uint32][math]::Min(4294967295,$_.PreferredLifetime.TotalSeconds)}}" +
  " | ConvertTo-Json -Compress";

/** The route table through PowerShell. */
export function cimRouteSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<RouteEntry> {
  return cimTableSource(cimRouteSourceName, getNetRouteScript, routeEntryOfCim, options);
}

const unspecified = new Set(["0.0.0.0", "::"]);

/** One `Get-NetRoute` object as an entry (undefined without a destination prefix). */
export function routeEntryOfCim(object: CimObject): RouteEntry | undefined {
  const prefix = cimString(object, "DestinationPrefix");
  const [destination, length] = prefix?.split("/") ?? [];
  const prefixLength = Number(length);
  if (destination === undefined || !Number.isInteger(prefixLength)) return undefined;
  const nextHop = cimString(object, "NextHop");
  const onLink = nextHop === undefined || unspecified.has(nextHop);
  const protocol = cimNumber(object, "Protocol");
  const index = cimNumber(object, "InterfaceIndex");
  return {
    interface: cimString(object, "InterfaceAlias") ?? `ifindex ${index ?? "?"}`,
    destination,
    prefixLength,
    version: destination.includes(":") ? 6 : 4,
    ...(onLink ? {} : { gateway: nextHop }),
    routeType: onLink ? "direct" : "indirect",
    protocol: protocol === undefined ? "" : routeProtocols[protocol] ?? String(protocol),
    metric: cimNumber(object, "RouteMetric") ?? 0,
    // No Origin: MSFT_NetRoute's TypeOfRoute is CIM_NextHopRoute's (2 administrator defined,
    // 3 computed, 4 actual), not NL_ROUTE_ORIGIN (learn.microsoft.com, "MSFT_NetRoute class").
    windows: {
      validLifetime: cimNumber(object, "ValidLifetime") ?? 0,
      preferredLifetime: cimNumber(object, "PreferredLifetime") ?? 0,
      publish: object.Publish === true || object.Publish === 1,
      ...cimFlag(object, "AutoconfigureAddress", "autoconfigureAddress"),
      ...cimFlag(object, "Immortal", "immortal"),
    },
  };
}

/** A flag the object carries (a boolean, or 0/1), or nothing when it does not (null, absent). */
function cimFlag<Key extends string>(
  object: CimObject,
  property: string,
  key: Key,
): { [K in Key]?: boolean } {
  const value = object[property];
  if (typeof value === "boolean") return { [key]: value } as { [K in Key]?: boolean };
  if (value === 0 || value === 1) return { [key]: value === 1 } as { [K in Key]?: boolean };
  return {};
}
