/**
 * Builds the bytes `GetExtendedTcpTable` and `GetExtendedUdpTable` return,
 * from the layouts of tcp_tables.ts, for the decoder tests (recorded outputs
 * made with code). Test helper: production code never imports it.
 *
 * @module
 */
import {
  fileTimeEpochOffsetSeconds,
  fileTimeTicksPerMillisecond,
  tableCountOffset,
  tableRowsOffset,
  tcp6RowOwnerModule,
  tcpRowOwnerModule,
  udp6RowOwnerModule,
  udpRowOwnerModule,
} from "./tcp_tables.ts";

/** One row to encode: addresses as bytes in network order. */
export interface RowSpec {
  local: number[];
  localPort: number;
  remote?: number[];
  remotePort?: number;
  state?: number;
  pid: number;
  /** ISO time, or undefined for a FILETIME of 0. */
  created?: string;
  /** Set the module info bytes to this value (to show they are not read). */
  moduleFill?: number;
}

/** A FILETIME for an ISO time. */
export function fileTimeOf(iso: string): bigint {
  return (BigInt(Date.parse(iso)) + fileTimeEpochOffsetSeconds * 1000n) *
    fileTimeTicksPerMillisecond;
}

/** Encodes a TCP (v4 or v6) or UDP (v4 or v6) owner-module table; `count` overrides dwNumEntries. */
export function encodeTable(
  kind: "tcp" | "udp",
  family: "ipv4" | "ipv6",
  rows: readonly RowSpec[],
  count: number = rows.length,
): Uint8Array {
  const layout = kind === "tcp"
    ? family === "ipv4" ? tcpRowOwnerModule : tcp6RowOwnerModule
    : family === "ipv4"
    ? udpRowOwnerModule
    : udp6RowOwnerModule;
  const bytes = new Uint8Array(tableRowsOffset + rows.length * layout.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(tableCountOffset, count, true);
  // The alignment gap after dwNumEntries holds garbage in real tables.
  view.setUint32(4, 0xcccccccc, true);
  rows.forEach((row, index) => {
    const at = tableRowsOffset + index * layout.size;
    bytes.fill(row.moduleFill ?? 0, at + layout.owningModuleInfo, at + layout.size);
    bytes.set(row.local, at + layout.localAddr);
    // Ports: network order in the first two bytes of a DWORD whose upper half is junk.
    view.setUint16(at + layout.localPort, row.localPort, false);
    view.setUint16(at + layout.localPort + 2, 0xbeef, false);
    view.setUint32(at + layout.owningPid, row.pid, true);
    view.setBigInt64(
      at + layout.createTimestamp,
      row.created === undefined ? 0n : fileTimeOf(row.created),
      true,
    );
    if ("remoteAddr" in layout) {
      bytes.set(row.remote ?? [], at + layout.remoteAddr);
      view.setUint16(at + layout.remotePort, row.remotePort ?? 0, false);
      view.setUint32(at + layout.state, row.state ?? 0, true);
    }
  });
  return bytes;
}
