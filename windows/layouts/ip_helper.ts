/**
 * Byte layouts of the IP Helper (iphlpapi.dll) tables iocscan reads on
 * 64-bit Windows: the neighbour table (`GetIpNetTable2` → `MIB_IPNET_TABLE2`
 * of `MIB_IPNET_ROW2`) and the route table (`GetIpForwardTable2` →
 * `MIB_IPFORWARD_TABLE2` of `MIB_IPFORWARD_ROW2`), with the `SOCKADDR_INET`
 * and `NET_LUID` they hold. One definition of each offset; the decoders are
 * in ip_helper_rows.ts. Offsets are in bytes from the start of the structure,
 * for the x64 ABI (8-byte alignment of `NET_LUID`).
 *
 * Checked (review, 2026-12-07) against the member lists of
 * learn.microsoft.com/windows/win32/api/netioapi/ns-netioapi-mib_ipforward_row2
 * and ns-netioapi-mib_ipnet_row2, ws2ipdef.h's `SOCKADDR_INET`/`SOCKADDR_IN6`
 * (28 bytes, 4-byte aligned, so `IP_ADDRESS_PREFIX` is 32 bytes and
 * `NextHop` starts at 44) and the `windows-sys` declarations.
 *
 * @module
 */

/** Address families of `SOCKADDR_INET.si_family` (and of the `Family` argument). */
export const AddressFamily = { unspec: 0, inet: 2, inet6: 23 } as const;

/** `SOCKADDR_INET`: a union of `SOCKADDR_IN` and `SOCKADDR_IN6`; 28 bytes. */
export const SockaddrInet = {
  size: 28,
  /** `si_family`, little-endian u16. */
  family: 0,
  /** `sin_port` / `sin6_port`: big-endian (network order) u16. */
  port: 2,
  /** `sin_addr`: 4 bytes in network order. */
  ipv4Address: 4,
  /** `sin6_flowinfo`: u32. */
  ipv6FlowInfo: 4,
  /** `sin6_addr`: 16 bytes in network order. */
  ipv6Address: 8,
  /** `sin6_scope_id`: u32. */
  ipv6ScopeId: 24,
} as const;

/** `NET_LUID`: a u64 whose bits 48–63 are the interface type (`IfType`, IANA ifType). */
export const NetLuid = { size: 8, ifTypeShift: 48n, ifTypeMask: 0xffffn } as const;

/** `MIB_IPNET_TABLE2` and `MIB_IPFORWARD_TABLE2`: `ULONG NumEntries`, then rows from offset 8. */
export const MibTable2 = { numEntries: 0, rows: 8 } as const;

/** `MIB_IPNET_ROW2`: one neighbour (ARP or NDP) entry; 88 bytes. */
export const MibIpnetRow2 = {
  size: 88,
  /** `SOCKADDR_INET Address`. */
  address: 0,
  /** `NET_IFINDEX InterfaceIndex`: u32. */
  interfaceIndex: 28,
  /** `NET_LUID InterfaceLuid`: u64. */
  interfaceLuid: 32,
  /** `UCHAR PhysicalAddress[IF_MAX_PHYS_ADDRESS_LENGTH]`. */
  physicalAddress: 40,
  /** `IF_MAX_PHYS_ADDRESS_LENGTH`. */
  physicalAddressMax: 32,
  /** `ULONG PhysicalAddressLength`. */
  physicalAddressLength: 72,
  /** `NL_NEIGHBOR_STATE State`: u32. */
  state: 76,
  /** `UCHAR Flags`: bit 0 IsRouter, bit 1 IsUnreachable. */
  flags: 80,
  /** `ULONG ReachabilityTime` (LastReachable or LastUnreachable, ms). */
  reachabilityTime: 84,
} as const;

/** Bits of `MIB_IPNET_ROW2.Flags`. */
export const IpnetFlags = { isRouter: 0x1, isUnreachable: 0x2 } as const;

/** `NL_NEIGHBOR_STATE` values, by number. */
export const neighborStates: Readonly<Record<number, string>> = {
  0: "Unreachable",
  1: "Incomplete",
  2: "Probe",
  3: "Delay",
  4: "Stale",
  5: "Reachable",
  6: "Permanent",
};

/** `MIB_IPFORWARD_ROW2`: one route; 104 bytes. */
export const MibIpforwardRow2 = {
  size: 104,
  /** `NET_LUID InterfaceLuid`: u64. */
  interfaceLuid: 0,
  /** `NET_IFINDEX InterfaceIndex`: u32. */
  interfaceIndex: 8,
  /** `IP_ADDRESS_PREFIX DestinationPrefix`: `SOCKADDR_INET Prefix` … */
  destinationPrefix: 12,
  /** … then `UINT8 PrefixLength` (12 + 28). */
  destinationPrefixLength: 40,
  /** `SOCKADDR_INET NextHop`. */
  nextHop: 44,
  /** `UCHAR SitePrefixLength`. */
  sitePrefixLength: 72,
  /** `ULONG ValidLifetime` (seconds; 0xFFFFFFFF infinite). */
  validLifetime: 76,
  /** `ULONG PreferredLifetime`. */
  preferredLifetime: 80,
  /** `ULONG Metric`. */
  metric: 84,
  /** `NL_ROUTE_PROTOCOL Protocol`: u32. */
  protocol: 88,
  /** `BOOLEAN Loopback`. */
  loopback: 92,
  /** `BOOLEAN AutoconfigureAddress`. */
  autoconfigureAddress: 93,
  /** `BOOLEAN Publish`. */
  publish: 94,
  /** `BOOLEAN Immortal`. */
  immortal: 95,
  /** `ULONG Age`. */
  age: 96,
  /** `NL_ROUTE_ORIGIN Origin`: u32. */
  origin: 100,
} as const;

/** `NL_ROUTE_PROTOCOL` values (`MIB_IPPROTO_*`), by number, as `Get-NetRoute` spells them. */
export const routeProtocols: Readonly<Record<number, string>> = {
  1: "Other",
  2: "Local",
  3: "NetMgmt",
  4: "Icmp",
  5: "Egp",
  6: "Ggp",
  7: "Hello",
  8: "Rip",
  9: "IsIs",
  10: "EsIs",
  11: "Cisco",
  12: "Bbn",
  13: "Ospf",
  14: "Bgp",
  15: "Idpr",
  16: "Eigrp",
  17: "Dvmrp",
  18: "Rpl",
  19: "Dhcp",
  10002: "NtAutostatic",
  10006: "NtStatic",
  10007: "NtStaticNonDod",
};

/** `NL_ROUTE_ORIGIN` values, by number. */
export const routeOrigins: Readonly<Record<number, string>> = {
  0: "Manual",
  1: "WellKnown",
  2: "DHCP",
  3: "RouterAdvertisement",
  4: "6to4",
};

/** IANA ifType values of `NET_LUID.IfType`, as `Get-NetAdapter` names them. */
export const interfaceTypes: Readonly<Record<number, string>> = {
  1: "Other",
  6: "Ethernet",
  23: "PPP",
  24: "SoftwareLoopback",
  71: "IEEE80211",
  131: "Tunnel",
  144: "IEEE1394",
  243: "WWANPP",
  244: "WWANPP2",
};

/** `ERROR_NOT_FOUND`: what `GetIpNetTable2`/`GetIpForwardTable2` return for an empty table. */
export const errorNotFound = 1168;
