/**
 * One routing-table entry as every source gives it, and the `RouteEntryItem`
 * object made of it. Fields a platform does not keep (Linux has no route
 * origin or lifetimes; Windows no route flags or MTU) are `unevaluated` on
 * that platform's objects, never left out silently.
 *
 * @module
 */
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import type { Observation } from "../net_table/mod.ts";

/** The OpenIOC document of the route table. */
export const routeDocument = "RouteEntryItem";

/** What only Windows keeps of a route (`MIB_IPFORWARD_ROW2`). */
export interface WindowsRouteFacts {
  /** `NL_ROUTE_ORIGIN`; undefined from `Get-NetRoute`, which does not give it. */
  readonly origin?: string;
  readonly validLifetime: number;
  readonly preferredLifetime: number;
  /** Undefined from `Get-NetRoute` (`MSFT_NetRoute` has no such property). */
  readonly autoconfigureAddress?: boolean;
  readonly publish: boolean;
  /** Undefined from `Get-NetRoute` (`MSFT_NetRoute` has no such property). */
  readonly immortal?: boolean;
}

/** What only Linux keeps of a route. */
export interface LinuxRouteFacts {
  /** `ip route` flags (`onlink`, `linkdown`…). */
  readonly flags: readonly string[];
  /** The route's MTU, when it has one of its own. */
  readonly mtu?: number;
  /** The routing table (`main`, `local`, a number). */
  readonly table: string;
}

/** One route. */
export interface RouteEntry {
  /** The interface's name; undefined for a route without one (blackhole, unreachable). */
  readonly interface?: string;
  /** The destination address without its prefix (`0.0.0.0` for a default route). */
  readonly destination: string;
  readonly prefixLength: number;
  readonly version: 4 | 6;
  /** The next hop; undefined for an on-link route. */
  readonly gateway?: string;
  /** `direct`/`indirect` for unicast routes, else the kernel's type (`local`, `blackhole`…). */
  readonly routeType: string;
  readonly protocol: string;
  readonly metric: number;
  /** Whether the route goes through a loopback interface; undefined when unknown. */
  readonly isLoopback?: boolean;
  readonly windows?: WindowsRouteFacts;
  readonly linux?: LinuxRouteFacts;
}

/** The netmask of a prefix length: dotted for IPv4, RFC 5952 text for IPv6. */
export function netmaskOf(prefixLength: number, version: 4 | 6): string {
  const bits = version === 4 ? 32 : 128;
  const length = Math.max(0, Math.min(prefixLength, bits));
  const bytes = Array.from({ length: bits / 8 }, (_, index) => {
    const set = Math.max(0, Math.min(8, length - index * 8));
    return (0xff << (8 - set)) & 0xff;
  });
  if (version === 4) return bytes.join(".");
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  const last = groups.findLastIndex((group) => group !== 0);
  if (last === 7) return groups.map((group) => group.toString(16)).join(":");
  return `${groups.slice(0, last + 1).map((group) => group.toString(16)).join(":")}::`;
}

/**
 * The object of one route; its key reads as `ip route` prints it:
 * `10.77.0.0/16 via 10.9.9.254 dev eth0 proto static metric 7`.
 */
export function toRouteItem(entry: RouteEntry, observation: Observation): ObservedItem {
  const table = entry.linux?.table;
  const key = [
    ...(entry.routeType === "direct" || entry.routeType === "indirect" ? [] : [entry.routeType]),
    `${entry.destination}/${entry.prefixLength}`,
    ...(entry.gateway ? ["via", entry.gateway] : []),
    ...(entry.interface ? ["dev", entry.interface] : []),
    ...(table && table !== "main" ? ["table", table] : []),
    "proto",
    entry.protocol,
    "metric",
    String(entry.metric),
  ].join(" ");
  const unevaluated: Record<string, string> = {};
  const windowsOnly = "Linux keeps no such fact of a route";
  const linuxOnly = "GetIpForwardTable2 and Get-NetRoute give no such fact of a route";
  const windows = entry.windows;
  const linux = entry.linux;
  if (!windows) {
    for (
      const field of [
        "Origin",
        "ValidLifetime",
        "PreferredLifetime",
        "IsAutoconfigureAddress",
        "IsPublish",
        "IsImmortal",
      ]
    ) unevaluated[field] = windowsOnly;
  }
  // What the CIM fallback does not give (the IP Helper row gives all three).
  const cimGives = "Get-NetRoute (MSFT_NetRoute) does not give it";
  if (windows?.origin === undefined && windows) unevaluated.Origin = cimGives;
  if (windows?.autoconfigureAddress === undefined && windows) {
    unevaluated.IsAutoconfigureAddress = cimGives;
  }
  if (windows?.immortal === undefined && windows) unevaluated.IsImmortal = cimGives;
  if (!linux) {
    unevaluated.Flags = linuxOnly;
    unevaluated.MTU = linuxOnly;
  } else if (linux.mtu === undefined) {
    unevaluated.MTU = "the route has no MTU of its own (its interface's applies)";
  }
  if (entry.isLoopback === undefined) unevaluated.IsLoopback = "the interface type was not read";
  return {
    document: routeDocument,
    key,
    fields: {
      ...(entry.interface === undefined ? {} : { Interface: entry.interface }),
      Destination: entry.destination,
      Netmask: netmaskOf(entry.prefixLength, entry.version),
      ...(entry.gateway === undefined ? {} : { Gateway: entry.gateway }),
      RouteType: entry.routeType,
      Protocol: entry.protocol,
      Metric: entry.metric,
      IsIPv6: entry.version === 6,
      ...(entry.isLoopback === undefined ? {} : { IsLoopback: entry.isLoopback }),
      ...(linux
        ? {
          ...(linux.flags.length > 0 ? { Flags: linux.flags.join(" ") } : {}),
          ...(linux.mtu === undefined ? {} : { MTU: linux.mtu }),
        }
        : {}),
      ...(windows
        ? {
          ...(windows.origin === undefined ? {} : { Origin: windows.origin }),
          ValidLifetime: windows.validLifetime,
          PreferredLifetime: windows.preferredLifetime,
          ...(windows.autoconfigureAddress === undefined
            ? {}
            : { IsAutoconfigureAddress: windows.autoconfigureAddress }),
          IsPublish: windows.publish,
          ...(windows.immortal === undefined ? {} : { IsImmortal: windows.immortal }),
        }
        : {}),
    },
    provenance: { time: observation.time, computer: observation.computer },
    ...(Object.keys(unevaluated).length > 0 ? { unevaluated: unevaluated as Unevaluated } : {}),
  };
}
