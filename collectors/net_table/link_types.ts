/**
 * One spelling of an interface's type on both platforms: Linux's link types
 * (`ip -j link show`: `link_type`) mapped to the names Windows gives the
 * IANA ifType of the interface's LUID (windows/layouts/ip_helper.ts).
 *
 * @module
 */

/** Linux `link_type` → the Windows name of the same kind of interface. */
const linuxLinkTypes: Readonly<Record<string, string>> = {
  ether: "Ethernet",
  loopback: "SoftwareLoopback",
  "ieee802.11": "IEEE80211",
  ppp: "PPP",
  none: "Tunnel",
  sit: "Tunnel",
  ipip: "Tunnel",
  gre: "Tunnel",
  ip6tnl: "Tunnel",
  ieee1394: "IEEE1394",
};

/** The interface type of a Linux link type; an unmapped one is kept as Linux spells it. */
export function interfaceTypeOfLinkType(linkType: string): string {
  return linuxLinkTypes[linkType] ?? linkType;
}

/** The interface type of a loopback interface, as {@linkcode interfaceTypeOfLinkType} spells it. */
export const loopbackInterfaceType = "SoftwareLoopback";
