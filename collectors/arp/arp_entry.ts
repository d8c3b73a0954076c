/**
 * One neighbour-table entry (IPv4 ARP or IPv6 NDP) as every source gives it,
 * and the `ArpEntryItem` object made of it. State names, and the 1.0
 * `CacheType` each state maps to, are one table.
 *
 * @module
 */
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import type { Observation } from "../net_table/mod.ts";

/** The OpenIOC document of the neighbour table. */
export const arpDocument = "ArpEntryItem";

/** One neighbour entry. */
export interface ArpEntry {
  /** The interface's name (`eth0`, `Ethernet 2`), or `ifindex <n>` when its name is unknown. */
  readonly interface: string;
  /** `Ethernet`, `IEEE80211`, `SoftwareLoopback`…; undefined when it could not be read. */
  readonly interfaceType?: string;
  /** Why `interfaceType` could not be read. */
  readonly interfaceTypeUnread?: string;
  /** Lower-case, `:`-separated; undefined for an entry without one (incomplete, failed). */
  readonly physicalAddress?: string;
  readonly ipAddress: string;
  readonly version: 4 | 6;
  /** Whether the neighbour is a router (NDP); undefined when the source does not say. */
  readonly isRouter?: boolean;
  /** Why `isRouter` is not known. */
  readonly isRouterUnread?: string;
  /** One of the state names of {@linkcode neighbourStates}, or the source's own word. */
  readonly state: string;
}

/** Each state (Windows' `NL_NEIGHBOR_STATE` names), with the 1.0 `CacheType` it maps to. */
export const neighbourStates: Readonly<Record<string, { readonly cacheType: string }>> = {
  Unreachable: { cacheType: "invalid" },
  Incomplete: { cacheType: "invalid" },
  Probe: { cacheType: "dynamic" },
  Delay: { cacheType: "dynamic" },
  Stale: { cacheType: "dynamic" },
  Reachable: { cacheType: "dynamic" },
  Permanent: { cacheType: "static" },
  NoArp: { cacheType: "other" },
  None: { cacheType: "other" },
};

/** Linux's state words (`ip neigh`: `REACHABLE`, `FAILED`…) in the one spelling. */
export const linuxNeighbourStates: Readonly<Record<string, string>> = {
  INCOMPLETE: "Incomplete",
  REACHABLE: "Reachable",
  STALE: "Stale",
  DELAY: "Delay",
  PROBE: "Probe",
  FAILED: "Unreachable",
  NOARP: "NoArp",
  PERMANENT: "Permanent",
  NONE: "None",
};

/** The 1.0 `CacheType` of a state. */
export function cacheTypeOf(state: string): string {
  return neighbourStates[state]?.cacheType ?? "other";
}

/**
 * The object of one entry; its key reads as `ip neigh` prints it:
 * `10.0.0.7 lladdr 02:00:00:00:00:07 dev eth0 Reachable`.
 */
export function toArpItem(entry: ArpEntry, observation: Observation): ObservedItem {
  const key = [
    entry.ipAddress,
    ...(entry.physicalAddress ? ["lladdr", entry.physicalAddress] : []),
    "dev",
    entry.interface,
    ...(entry.isRouter ? ["router"] : []),
    entry.state,
  ].join(" ");
  const unevaluated: Record<string, string> = {};
  if (entry.isRouter === undefined) {
    unevaluated.IsRouter = entry.isRouterUnread ?? "the router flag was not read";
  }
  if (entry.interfaceType === undefined) {
    unevaluated.InterfaceType = entry.interfaceTypeUnread ?? "the interface type was not read";
  }
  return {
    document: arpDocument,
    key,
    fields: {
      Interface: entry.interface,
      ...(entry.interfaceType === undefined ? {} : { InterfaceType: entry.interfaceType }),
      ...(entry.physicalAddress === undefined ? {} : { PhysicalAddress: entry.physicalAddress }),
      ...(entry.version === 4
        ? { IPv4Address: entry.ipAddress }
        : { IPv6Address: entry.ipAddress }),
      ...(entry.isRouter === undefined ? {} : { IsRouter: entry.isRouter }),
      State: entry.state,
      CacheType: cacheTypeOf(entry.state),
    },
    provenance: { time: observation.time, computer: observation.computer },
    ...(Object.keys(unevaluated).length > 0 ? { unevaluated: unevaluated as Unevaluated } : {}),
  };
}
