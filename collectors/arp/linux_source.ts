/**
 * The Linux neighbour table: `ip -j neigh show` (IPv4 ARP and IPv6 NDP in
 * one call, with states and the `router` flag; `/proc/net/arp` is IPv4
 * only), and `ip -j link show` for each interface's type. Both bounded
 * (collectors/net_table/ip_json.ts).
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  decodeRows,
  interfaceTypeOfLinkType,
  type IpJsonObject,
  readIpJson,
  readLinkTypes,
  stringField,
  stringsField,
  type TableSource,
} from "../net_table/mod.ts";
import { type ArpEntry, linuxNeighbourStates } from "./arp_entry.ts";

/** How the Linux source is named in stats and skips. */
export const linuxArpSourceName = "ip -j neigh show";

/** The neighbour table through iproute2. */
export function linuxArpSource(options: { readonly runner?: CommandRunner } = {}): TableSource<
  ArpEntry
> {
  return {
    name: linuxArpSourceName,
    async read(signal) {
      const common = { ...(signal ? { signal } : {}), ...options };
      const neighbours = await readIpJson(["neigh", "show"], common);
      if (!neighbours.ok) {
        return { ok: false, object: linuxArpSourceName, detail: neighbours.detail };
      }
      const links = await readLinkTypes(common);
      const { rows, unread } = decodeRows(
        neighbours,
        linuxArpSourceName,
        (object) => arpEntryOfIpJson(object, links),
      );
      return { ok: true, rows, ...(unread ? { unread: [unread] } : {}) };
    },
  };
}

/**
 * One `ip -j neigh` object as an entry (undefined without an address).
 * `links` maps interface names to link types, or says why they are unknown.
 */
export function arpEntryOfIpJson(
  object: IpJsonObject,
  links: ReadonlyMap<string, string> | string,
): ArpEntry | undefined {
  const ipAddress = stringField(object, "dst");
  if (ipAddress === undefined) return undefined;
  const device = stringField(object, "dev") ?? "";
  const lladdr = stringField(object, "lladdr");
  const [linuxState] = stringsField(object, "state");
  const linkType = typeof links === "string" ? undefined : links.get(device);
  return {
    interface: device,
    ...(linkType === undefined
      ? {
        interfaceTypeUnread: typeof links === "string"
          ? `ip -j link show failed: ${links}`
          : `ip -j link show did not list ${device}`,
      }
      : { interfaceType: interfaceTypeOfLinkType(linkType) }),
    ...(lladdr && !/^(00:)*00$/.test(lladdr)
      ? { physicalAddress: lladdr.toLowerCase().replaceAll("-", ":") }
      : {}),
    ipAddress,
    version: ipAddress.includes(":") ? 6 : 4,
    // `ip -j` prints `"router": null` for a neighbour flagged as a router (NDP only).
    isRouter: "router" in object,
    state: linuxState === undefined
      ? "None"
      : linuxNeighbourStates[linuxState.toUpperCase()] ?? linuxState,
  };
}
