/**
 * The one table of TCP state names. PortItem/state is spelt as Windows'
 * `netstat` and Redline's port audit spell it (`LISTENING`, `ESTABLISHED`,
 * `TIME_WAIT`…), whatever the platform: each row gives the name, its
 * `MIB_TCP_STATE` value (iphlpapi tables, `MSFT_NetTCPConnection.State`) and
 * its code in Linux's `/proc/net/tcp` (`include/net/tcp_states.h`).
 *
 * @example
 * ```ts
 * import { linuxTcpState, windowsTcpState } from "./tcp_states.ts";
 * linuxTcpState(0x0a); // "LISTENING"
 * windowsTcpState(5); // "ESTABLISHED"
 * ```
 *
 * @module
 */

/** One TCP state: its name and its code on each platform (none where the platform has no such state). */
export interface TcpStateRow {
  readonly name: string;
  readonly windows?: number;
  readonly linux?: number;
}

/** Every TCP state iocscan names. */
export const tcpStates: readonly TcpStateRow[] = [
  { name: "CLOSED", windows: 1, linux: 0x07 },
  { name: "LISTENING", windows: 2, linux: 0x0a },
  { name: "SYN_SENT", windows: 3, linux: 0x02 },
  // Linux's NEW_SYN_RECV (0x0C) is a request socket of a listener: a half-open connection.
  { name: "SYN_RECEIVED", windows: 4, linux: 0x03 },
  { name: "SYN_RECEIVED", linux: 0x0c },
  { name: "ESTABLISHED", windows: 5, linux: 0x01 },
  { name: "FIN_WAIT_1", windows: 6, linux: 0x04 },
  { name: "FIN_WAIT_2", windows: 7, linux: 0x05 },
  { name: "CLOSE_WAIT", windows: 8, linux: 0x08 },
  { name: "CLOSING", windows: 9, linux: 0x0b },
  { name: "LAST_ACK", windows: 10, linux: 0x09 },
  { name: "TIME_WAIT", windows: 11, linux: 0x06 },
  { name: "DELETE_TCB", windows: 12 },
  // MSFT_NetTCPConnection's own value for a socket bound but neither listening nor connected.
  { name: "BOUND", windows: 100 },
];

const byWindows = new Map(
  tcpStates.filter((row) => row.windows !== undefined).map((row) => [row.windows!, row.name]),
);
const byLinux = new Map(
  tcpStates.filter((row) => row.linux !== undefined).map((row) => [row.linux!, row.name]),
);
const byLowerName = new Map(
  tcpStates.map((row) => [row.name.replaceAll("_", "").toLowerCase(), row.name]),
);

/** The name of a `MIB_TCP_STATE` value; `STATE_<n>` for a value the table does not know. */
export function windowsTcpState(code: number): string {
  return byWindows.get(code) ?? `STATE_${code}`;
}

/** The name of a `/proc/net/tcp` `st` code; `STATE_<n>` for a code the table does not know. */
export function linuxTcpState(code: number): string {
  return byLinux.get(code) ?? `STATE_${code}`;
}

/**
 * The name of a state written as a word (`Listen`, `Established`, `TimeWait`
 * from `Get-NetTCPConnection` with enums as strings); undefined when unknown.
 */
export function tcpStateFromWord(word: string): string | undefined {
  const lower = word.replaceAll("_", "").toLowerCase();
  return byLowerName.get(lower === "listen" ? "listening" : lower);
}
