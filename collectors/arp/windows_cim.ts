/**
 * The neighbour table through CIM: `Get-NetNeighbor` (`MSFT_NetNeighbor`
 * in `root/StandardCimv2`) as JSON, bounded (collectors/net_table/cim_json.ts).
 * `AddressFamily` is 2 (IPv4) or 23 (IPv6), `State` 0–6 as `NL_NEIGHBOR_STATE`,
 * `LinkLayerAddress` is written `00-50-56-C0-00-08`.
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
import { AddressFamily, neighborStates } from "../../windows/layouts/ip_helper.ts";
import type { ArpEntry } from "./arp_entry.ts";

/** How the CIM source is named. */
export const cimArpSourceName = "Get-NetNeighbor";

/** The pipeline: plain values only (enums as numbers), one JSON document. */
export const getNetNeighborScript = "Get-NetNeighbor -ErrorAction Stop | Select-Object " +
  "IPAddress,LinkLayerAddress,InterfaceAlias,InterfaceIndex,AddressFamily,State,IsRouter " +
  "| ConvertTo-Json -Compress";

/** The neighbour table through PowerShell. */
export function cimArpSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<ArpEntry> {
  return cimTableSource(cimArpSourceName, getNetNeighborScript, arpEntryOfCim, options);
}

/** One `Get-NetNeighbor` object as an entry (undefined without an address). */
export function arpEntryOfCim(object: CimObject): ArpEntry | undefined {
  const ipAddress = cimString(object, "IPAddress");
  if (ipAddress === undefined) return undefined;
  const family = cimNumber(object, "AddressFamily");
  const state = cimNumber(object, "State");
  const mac = cimString(object, "LinkLayerAddress")?.toLowerCase().replaceAll("-", ":");
  const index = cimNumber(object, "InterfaceIndex");
  return {
    interface: cimString(object, "InterfaceAlias") ?? `ifindex ${index ?? "?"}`,
    interfaceTypeUnread: "Get-NetNeighbor does not give the interface type",
    ...(mac && !/^(00:)*00$/.test(mac) && mac !== "" ? { physicalAddress: mac } : {}),
    ipAddress,
    version: family === AddressFamily.inet6 || ipAddress.includes(":") ? 6 : 4,
    // MSFT_NetNeighbor documents no IsRouter: read only when the object carries a boolean.
    ...(typeof object.IsRouter === "boolean"
      ? { isRouter: object.IsRouter }
      : { isRouterUnread: "Get-NetNeighbor gave no IsRouter" }),
    state: state === undefined ? "None" : neighborStates[state] ?? String(state),
  };
}
