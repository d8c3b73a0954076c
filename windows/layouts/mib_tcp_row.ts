/**
 * The byte layout of `MIB_TCPROW` (iphlpapi, tcpmib.h), the row `SetTcpEntry` is given to cut
 * one IPv4 connection (`dwState = MIB_TCP_STATE_DELETE_TCB`), and its encoder. Addresses are the
 * four bytes in network order as they sit in memory; a port is in network byte order in the low
 * 16 bits of its `DWORD`. There is no IPv6 counterpart: Windows has no API that deletes an IPv6
 * TCB. Not yet run on Windows.
 *
 * @module
 */

/** `MIB_TCPROW` (20 bytes, five `DWORD`s). */
export const mibTcpRow = {
  size: 20,
  state: 0,
  localAddr: 4,
  localPort: 8,
  remoteAddr: 12,
  remotePort: 16,
} as const;

/** One IPv4 connection as `SetTcpEntry` names it. */
export interface TcpRowV4 {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

function v4Bytes(text: string): number[] {
  const parts = text.split(".").map((part) => Number(part));
  if (
    parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)
  ) {
    throw new Error(`not an IPv4 address: ${text}`);
  }
  return parts;
}

/** The `MIB_TCPROW` bytes of `row` with `state` (`MIB_TCP_STATE_DELETE_TCB` to cut it). */
export function encodeMibTcpRow(row: TcpRowV4, state: number): Uint8Array {
  const bytes = new Uint8Array(mibTcpRow.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(mibTcpRow.state, state, true);
  bytes.set(v4Bytes(row.localAddress), mibTcpRow.localAddr);
  view.setUint16(mibTcpRow.localPort, row.localPort, false);
  bytes.set(v4Bytes(row.remoteAddress), mibTcpRow.remoteAddr);
  view.setUint16(mibTcpRow.remotePort, row.remotePort, false);
  return bytes;
}
