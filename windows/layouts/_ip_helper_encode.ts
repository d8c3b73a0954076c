/**
 * Builds IP Helper tables as Windows lays them out (ip_helper.ts), for the
 * decoder tests: the recorded output of `GetIpNetTable2` and
 * `GetIpForwardTable2`, made with code.
 *
 * @module
 */
import {
  AddressFamily,
  MibIpforwardRow2,
  MibIpnetRow2,
  MibTable2,
  SockaddrInet,
} from "./ip_helper.ts";

/** An address to encode: `10.0.0.5` or `fe80::1` (full or `::`-shortened), with a port. */
export interface EncodedAddress {
  readonly address: string;
  readonly port?: number;
}

/** Writes a `SOCKADDR_INET` at `offset`. */
export function encodeSockaddrInet(view: DataView, offset: number, value: EncodedAddress): void {
  const port = value.port ?? 0;
  if (value.address.includes(":")) {
    view.setUint16(offset + SockaddrInet.family, AddressFamily.inet6, true);
    view.setUint16(offset + SockaddrInet.port, port, false);
    ipv6Groups(value.address).forEach((group, index) =>
      view.setUint16(offset + SockaddrInet.ipv6Address + 2 * index, group, false)
    );
  } else if (value.address !== "") {
    view.setUint16(offset + SockaddrInet.family, AddressFamily.inet, true);
    view.setUint16(offset + SockaddrInet.port, port, false);
    value.address.split(".").forEach((byte, index) =>
      view.setUint8(offset + SockaddrInet.ipv4Address + index, Number(byte))
    );
  }
}

function ipv6Groups(text: string): number[] {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const first = head ? head.split(":").map((group) => parseInt(group, 16)) : [];
  const last = tail ? tail.split(":").map((group) => parseInt(group, 16)) : [];
  const zeros = tail === undefined ? 0 : 8 - first.length - last.length;
  return [...first, ...Array(zeros).fill(0), ...last];
}

/** A `NET_LUID` of an interface type and index. */
export function luidOf(ifType: number, netLuidIndex: number): bigint {
  return (BigInt(ifType) << 48n) | (BigInt(netLuidIndex) << 24n);
}

/** One neighbour row to encode. */
export interface NeighborRowSpec {
  readonly address: string;
  readonly interfaceIndex: number;
  readonly luid: bigint;
  readonly mac: readonly number[];
  readonly state: number;
  readonly flags?: number;
}

/** A `MIB_IPNET_TABLE2`; `numEntries` may promise more rows than it holds. */
export function encodeIpNetTable2(rows: readonly NeighborRowSpec[], numEntries = rows.length) {
  const bytes = new Uint8Array(MibTable2.rows + rows.length * MibIpnetRow2.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(MibTable2.numEntries, numEntries, true);
  rows.forEach((row, index) => {
    const at = MibTable2.rows + index * MibIpnetRow2.size;
    encodeSockaddrInet(view, at + MibIpnetRow2.address, { address: row.address });
    view.setUint32(at + MibIpnetRow2.interfaceIndex, row.interfaceIndex, true);
    view.setBigUint64(at + MibIpnetRow2.interfaceLuid, row.luid, true);
    row.mac.forEach((byte, i) => view.setUint8(at + MibIpnetRow2.physicalAddress + i, byte));
    view.setUint32(at + MibIpnetRow2.physicalAddressLength, row.mac.length, true);
    view.setUint32(at + MibIpnetRow2.state, row.state, true);
    view.setUint8(at + MibIpnetRow2.flags, row.flags ?? 0);
    view.setUint32(at + MibIpnetRow2.reachabilityTime, 1234, true);
  });
  return bytes;
}

/** One route row to encode. */
export interface ForwardRowSpec {
  readonly destination: string;
  readonly prefixLength: number;
  readonly nextHop: string;
  readonly interfaceIndex: number;
  readonly luid: bigint;
  readonly metric: number;
  readonly protocol: number;
  readonly origin: number;
  readonly validLifetime: number;
  readonly preferredLifetime: number;
  readonly loopback?: boolean;
  readonly autoconfigureAddress?: boolean;
  readonly publish?: boolean;
  readonly immortal?: boolean;
}

/** A `MIB_IPFORWARD_TABLE2`. */
export function encodeIpForwardTable2(rows: readonly ForwardRowSpec[]) {
  const bytes = new Uint8Array(MibTable2.rows + rows.length * MibIpforwardRow2.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(MibTable2.numEntries, rows.length, true);
  const row = MibIpforwardRow2;
  rows.forEach((spec, index) => {
    const at = MibTable2.rows + index * row.size;
    view.setBigUint64(at + row.interfaceLuid, spec.luid, true);
    view.setUint32(at + row.interfaceIndex, spec.interfaceIndex, true);
    encodeSockaddrInet(view, at + row.destinationPrefix, { address: spec.destination });
    view.setUint8(at + row.destinationPrefixLength, spec.prefixLength);
    encodeSockaddrInet(view, at + row.nextHop, { address: spec.nextHop });
    view.setUint32(at + row.validLifetime, spec.validLifetime, true);
    view.setUint32(at + row.preferredLifetime, spec.preferredLifetime, true);
    view.setUint32(at + row.metric, spec.metric, true);
    view.setUint32(at + row.protocol, spec.protocol, true);
    view.setUint8(at + row.loopback, spec.loopback ? 1 : 0);
    view.setUint8(at + row.autoconfigureAddress, spec.autoconfigureAddress ? 1 : 0);
    view.setUint8(at + row.publish, spec.publish ? 1 : 0);
    view.setUint8(at + row.immortal, spec.immortal ? 1 : 0);
    view.setUint32(at + row.age, 77, true);
    view.setUint32(at + row.origin, spec.origin, true);
  });
  return bytes;
}
