/**
 * Pure decoders of the tables `GetExtendedTcpTable` and `GetExtendedUdpTable`
 * fill (layouts in `tcp_tables.ts`): bytes in, one record per row out. No OS
 * access: the port collector's Windows source calls the API and hands the
 * buffer here, and tests hand buffers built with code.
 *
 * @example
 * ```ts
 * import { decodeTcpTable } from "./tcp_table_rows.ts";
 * const empty = new Uint8Array(8); // dwNumEntries = 0
 * decodeTcpTable(empty, "ipv4").rows.length; // 0
 * ```
 *
 * @module
 */
import {
  addressSize,
  fileTimeEpochOffsetSeconds,
  fileTimeTicksPerMillisecond,
  tableCountOffset,
  tableRowsOffset,
  tcp6RowOwnerModule,
  tcpRowOwnerModule,
  udp6RowOwnerModule,
  udpRowOwnerModule,
} from "./tcp_tables.ts";

/** An address family of the tables. */
export type TableFamily = "ipv4" | "ipv6";

/** One decoded row of a TCP or UDP owner-module table. */
export interface WindowsPortRow {
  readonly protocol: "TCP" | "UDP";
  readonly family: TableFamily;
  /** The local address in network byte order (4 or 16 bytes). */
  readonly localAddress: Uint8Array;
  readonly localPort: number;
  /** TCP only: UDP rows carry no remote address. */
  readonly remoteAddress?: Uint8Array;
  readonly remotePort?: number;
  /** TCP only: the `MIB_TCP_STATE` value (named by collectors/port/tcp_states.ts). */
  readonly stateCode?: number;
  readonly pid: number;
  /** ISO 8601 UTC, or undefined when the row's FILETIME is 0 (not recorded). */
  readonly creationTime?: string;
}

/** The rows, and what was wrong with the buffer (a count larger than the bytes hold). */
export interface DecodedTable {
  readonly rows: WindowsPortRow[];
  /** Set when the buffer held fewer rows than `dwNumEntries` said. */
  readonly truncated?: string;
}

/** Decodes a `MIB_TCPTABLE_OWNER_MODULE` or `MIB_TCP6TABLE_OWNER_MODULE`. */
export function decodeTcpTable(bytes: Uint8Array, family: TableFamily): DecodedTable {
  const layout = family === "ipv4" ? tcpRowOwnerModule : tcp6RowOwnerModule;
  return decodeRows(bytes, layout.size, (view, at) => ({
    protocol: "TCP",
    family,
    localAddress: addressAt(bytes, at + layout.localAddr, family),
    localPort: portAt(view, at + layout.localPort),
    remoteAddress: addressAt(bytes, at + layout.remoteAddr, family),
    remotePort: portAt(view, at + layout.remotePort),
    stateCode: view.getUint32(at + layout.state, true),
    pid: view.getUint32(at + layout.owningPid, true),
    ...creation(view, at + layout.createTimestamp),
  }));
}

/** Decodes a `MIB_UDPTABLE_OWNER_MODULE` or `MIB_UDP6TABLE_OWNER_MODULE`. */
export function decodeUdpTable(bytes: Uint8Array, family: TableFamily): DecodedTable {
  const layout = family === "ipv4" ? udpRowOwnerModule : udp6RowOwnerModule;
  return decodeRows(bytes, layout.size, (view, at) => ({
    protocol: "UDP",
    family,
    localAddress: addressAt(bytes, at + layout.localAddr, family),
    localPort: portAt(view, at + layout.localPort),
    pid: view.getUint32(at + layout.owningPid, true),
    ...creation(view, at + layout.createTimestamp),
  }));
}

/** A FILETIME (100 ns ticks since 1601) as ISO 8601 UTC; undefined for 0 or out of range. */
export function fileTimeToIso(ticks: bigint): string | undefined {
  if (ticks <= 0n) return undefined;
  const ms = ticks / fileTimeTicksPerMillisecond - fileTimeEpochOffsetSeconds * 1000n;
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function decodeRows(
  bytes: Uint8Array,
  rowSize: number,
  decode: (view: DataView, at: number) => WindowsPortRow,
): DecodedTable {
  if (bytes.byteLength < tableRowsOffset) {
    return { rows: [], truncated: `the table is ${bytes.byteLength} bytes, less than its header` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(tableCountOffset, true);
  const fits = Math.floor((bytes.byteLength - tableRowsOffset) / rowSize);
  const rows: WindowsPortRow[] = [];
  for (let index = 0; index < Math.min(count, fits); index++) {
    rows.push(decode(view, tableRowsOffset + index * rowSize));
  }
  return count > fits
    ? {
      rows,
      truncated: `the table says ${count} rows but its ${bytes.byteLength} bytes hold ${fits}`,
    }
    : { rows };
}

function addressAt(bytes: Uint8Array, at: number, family: TableFamily): Uint8Array {
  return bytes.slice(at, at + addressSize[family]);
}

/** The port in the first two bytes of a port `DWORD`, network byte order. */
function portAt(view: DataView, at: number): number {
  return view.getUint16(at, false);
}

function creation(view: DataView, at: number): { creationTime?: string } {
  const time = fileTimeToIso(view.getBigInt64(at, true));
  return time === undefined ? {} : { creationTime: time };
}
