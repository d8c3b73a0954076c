/**
 * Pure decoders of the IP Helper tables (layouts in ip_helper.ts): bytes in,
 * records out, no OS access, so they are tested on bytes built by code. A
 * table shorter than its `NumEntries` says is decoded as far as it goes, and
 * the shortfall is reported, never read past.
 *
 * @module
 */
import {
  AddressFamily,
  interfaceTypes,
  IpnetFlags,
  MibIpforwardRow2,
  MibIpnetRow2,
  MibTable2,
  neighborStates,
  NetLuid,
  routeOrigins,
  routeProtocols,
  SockaddrInet,
} from "./ip_helper.ts";

/** A decoded `SOCKADDR_INET`. */
export interface SocketAddress {
  /** 4, 6, or undefined for a family that is neither (`AF_UNSPEC`). */
  readonly version: 4 | 6 | undefined;
  /** The address as written (`10.0.0.5`, `fe80::1`), empty for an unknown family. */
  readonly address: string;
  readonly port: number;
}

/** A decoded `MIB_IPNET_ROW2`. */
export interface NeighborRow {
  readonly address: SocketAddress;
  readonly interfaceIndex: number;
  readonly interfaceLuid: bigint;
  /** The interface type from the LUID (`Ethernet`, `IEEE80211`… or the number). */
  readonly interfaceType: string;
  /** Lower-case, `:`-separated; empty when the entry has none (incomplete). */
  readonly physicalAddress: string;
  /** `NL_NEIGHBOR_STATE` name (`Reachable`, `Permanent`…), or the number. */
  readonly state: string;
  readonly isRouter: boolean;
  readonly isUnreachable: boolean;
}

/** A decoded `MIB_IPFORWARD_ROW2`. */
export interface ForwardRow {
  readonly interfaceIndex: number;
  readonly interfaceLuid: bigint;
  readonly interfaceType: string;
  readonly destination: SocketAddress;
  readonly prefixLength: number;
  readonly nextHop: SocketAddress;
  readonly validLifetime: number;
  readonly preferredLifetime: number;
  readonly metric: number;
  /** `NL_ROUTE_PROTOCOL` name (`NetMgmt`, `Local`, `Dhcp`…), or the number. */
  readonly protocol: string;
  readonly loopback: boolean;
  readonly autoconfigureAddress: boolean;
  readonly publish: boolean;
  readonly immortal: boolean;
  /** `NL_ROUTE_ORIGIN` name, or the number. */
  readonly origin: string;
}

/** The rows of a table, and how many `NumEntries` promised that the bytes did not hold. */
export interface DecodedTable<Row> {
  readonly rows: Row[];
  readonly missing: number;
}

/** Decodes the `SOCKADDR_INET` at `offset`. */
export function decodeSockaddrInet(view: DataView, offset: number): SocketAddress {
  const family = view.getUint16(offset + SockaddrInet.family, true);
  const port = view.getUint16(offset + SockaddrInet.port, false);
  if (family === AddressFamily.inet) {
    const at = offset + SockaddrInet.ipv4Address;
    const bytes = [0, 1, 2, 3].map((i) => view.getUint8(at + i));
    return { version: 4, address: bytes.join("."), port };
  }
  if (family === AddressFamily.inet6) {
    const at = offset + SockaddrInet.ipv6Address;
    const groups = Array.from({ length: 8 }, (_, i) => view.getUint16(at + 2 * i, false));
    return { version: 6, address: formatIpv6(groups), port };
  }
  return { version: undefined, address: "", port };
}

/** The interface type of a `NET_LUID`. */
export function interfaceTypeOfLuid(luid: bigint): string {
  const type = Number((luid >> NetLuid.ifTypeShift) & NetLuid.ifTypeMask);
  return interfaceTypes[type] ?? String(type);
}

/** Decodes a `MIB_IPNET_TABLE2` (`NumEntries`, then the rows). */
export function decodeIpNetTable2(bytes: Uint8Array): DecodedTable<NeighborRow> {
  return decodeTable(bytes, MibIpnetRow2.size, decodeIpnetRow2);
}

/** Decodes a `MIB_IPFORWARD_TABLE2`. */
export function decodeIpForwardTable2(bytes: Uint8Array): DecodedTable<ForwardRow> {
  return decodeTable(bytes, MibIpforwardRow2.size, decodeIpforwardRow2);
}

/** Decodes the `MIB_IPNET_ROW2` at `offset`. */
export function decodeIpnetRow2(view: DataView, offset: number): NeighborRow {
  const row = MibIpnetRow2;
  const luid = view.getBigUint64(offset + row.interfaceLuid, true);
  const length = Math.min(
    view.getUint32(offset + row.physicalAddressLength, true),
    row.physicalAddressMax,
  );
  const physical = Array.from(
    { length },
    (_, i) => view.getUint8(offset + row.physicalAddress + i).toString(16).padStart(2, "0"),
  );
  const state = view.getUint32(offset + row.state, true);
  const flags = view.getUint8(offset + row.flags);
  return {
    address: decodeSockaddrInet(view, offset + row.address),
    interfaceIndex: view.getUint32(offset + row.interfaceIndex, true),
    interfaceLuid: luid,
    interfaceType: interfaceTypeOfLuid(luid),
    // An all-zero address is no address (osquery drops them too).
    physicalAddress: physical.every((byte) => byte === "00") ? "" : physical.join(":"),
    state: neighborStates[state] ?? String(state),
    isRouter: (flags & IpnetFlags.isRouter) !== 0,
    isUnreachable: (flags & IpnetFlags.isUnreachable) !== 0,
  };
}

/** Decodes the `MIB_IPFORWARD_ROW2` at `offset`. */
export function decodeIpforwardRow2(view: DataView, offset: number): ForwardRow {
  const row = MibIpforwardRow2;
  const luid = view.getBigUint64(offset + row.interfaceLuid, true);
  const protocol = view.getUint32(offset + row.protocol, true);
  const origin = view.getUint32(offset + row.origin, true);
  return {
    interfaceIndex: view.getUint32(offset + row.interfaceIndex, true),
    interfaceLuid: luid,
    interfaceType: interfaceTypeOfLuid(luid),
    destination: decodeSockaddrInet(view, offset + row.destinationPrefix),
    prefixLength: view.getUint8(offset + row.destinationPrefixLength),
    nextHop: decodeSockaddrInet(view, offset + row.nextHop),
    validLifetime: view.getUint32(offset + row.validLifetime, true),
    preferredLifetime: view.getUint32(offset + row.preferredLifetime, true),
    metric: view.getUint32(offset + row.metric, true),
    protocol: routeProtocols[protocol] ?? String(protocol),
    loopback: view.getUint8(offset + row.loopback) !== 0,
    autoconfigureAddress: view.getUint8(offset + row.autoconfigureAddress) !== 0,
    publish: view.getUint8(offset + row.publish) !== 0,
    immortal: view.getUint8(offset + row.immortal) !== 0,
    origin: routeOrigins[origin] ?? String(origin),
  };
}

function decodeTable<Row>(
  bytes: Uint8Array,
  rowSize: number,
  decodeRow: (view: DataView, offset: number) => Row,
): DecodedTable<Row> {
  if (bytes.byteLength < MibTable2.rows) return { rows: [], missing: 0 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const promised = view.getUint32(MibTable2.numEntries, true);
  const held = Math.floor((bytes.byteLength - MibTable2.rows) / rowSize);
  const count = Math.min(promised, held);
  const rows: Row[] = [];
  for (let index = 0; index < count; index++) {
    rows.push(decodeRow(view, MibTable2.rows + index * rowSize));
  }
  return { rows, missing: promised - count };
}

/** RFC 5952 text of an IPv6 address: lower case, the longest run of zero groups (≥ 2) as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  // An IPv4-mapped address keeps its dotted tail (`::ffff:10.0.0.5`).
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return `::ffff:${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
