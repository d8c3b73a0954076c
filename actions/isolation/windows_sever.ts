/**
 * Cuts the connections an isolation does not allow on Windows: WFP's ALE layers authorize new
 * connections only, so a connection opened before the block stays up until it is cut. The
 * rows come from the port collector's Windows source (`GetExtendedTcpTable`, collectors/port);
 * each IPv4 TCP connection to a peer the plan does not allow is deleted with `SetTcpEntry`
 * (`MIB_TCPROW` with `MIB_TCP_STATE_DELETE_TCB`). **IPv6 connections are not cut**: Windows has
 * no API that deletes an IPv6 TCB; they are counted and named in the result, and the block
 * stops new ones. Not yet run on Windows.
 *
 * @module
 */
import { ipInNetwork, parseCidr } from "../../engine/value_types.ts";
import {
  type PortRecord,
  type PortTableRead,
  tcpStates,
  windowsPortSource,
} from "../../collectors/port/mod.ts";
import { encodeMibTcpRow, type TcpRowV4 } from "../../windows/layouts/mib_tcp_row.ts";
import type { IsolationPlan } from "./contract.ts";
import { allowPrefix } from "./wfp_filters.ts";

/** `MIB_TCP_STATE_DELETE_TCB`, from the one table of TCP states. */
export const mibTcpStateDeleteTcb: number = tcpStates.find((row) => row.name === "DELETE_TCB")!
  .windows!;

/** States of rows that are no connection to cut (nothing to a peer, or already closing away). */
const notConnected: ReadonlySet<string> = new Set([
  "LISTENING",
  "CLOSED",
  "TIME_WAIT",
  "DELETE_TCB",
  "BOUND",
]);

/** Loopback peers are never cut (the isolation allows loopback). */
const loopbackNetworks = [parseCidr("127.0.0.0/8")!, parseCidr("::1/128")!];

/** What severing did. */
export interface SeverReport {
  /** IPv4 connections cut. */
  readonly severed: number;
  /** IPv4 connections `SetTcpEntry` refused, with its Win32 code. */
  readonly failed: readonly { readonly connection: string; readonly status: number }[];
  /** IPv6 connections to non-allowed peers left up: no API cuts them. */
  readonly ipv6NotSevered: readonly string[];
  /** Tables that could not be read (then connections may have been missed). */
  readonly unread: readonly string[];
  /** One line for the audit. */
  readonly detail: string;
}

/** Where severing reads rows and how it deletes one (recorded in tests). */
export interface SeverPlatform {
  /** The connection tables (default: the port collector's Windows source). */
  readRows(): Promise<PortTableRead>;
  /** `SetTcpEntry` on a `MIB_TCPROW`; returns its Win32 code. */
  setTcpEntry(row: Uint8Array): number;
}

/** Whether the plan allows a TCP connection to `address`:`port`. */
export function allowedPeer(plan: IsolationPlan, address: string, port: number): boolean {
  if (loopbackNetworks.some((network) => ipInNetwork(network, address))) return true;
  return plan.allow.some((rule) => {
    if (rule.protocol !== undefined && rule.protocol !== "tcp") return false;
    if (rule.port !== undefined && rule.port !== port) return false;
    const network = parseCidr(allowPrefix(rule).cidr);
    return network !== undefined && ipInNetwork(network, address);
  });
}

function connectionText(row: PortRecord): string {
  const host = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);
  return `${host(row.localIP)}:${row.localPort} -> ${host(row.remoteIP!)}:${row.remotePort}`;
}

/** The TCP connections to cut: IPv4 rows to `SetTcpEntry`, IPv6 rows to report. */
export function severTargets(
  rows: readonly PortRecord[],
  plan: IsolationPlan,
): { v4: TcpRowV4[]; v6: PortRecord[] } {
  const v4: TcpRowV4[] = [];
  const v6: PortRecord[] = [];
  for (const row of rows) {
    if (row.protocol !== "TCP" || row.remoteIP === undefined || row.remotePort === undefined) {
      continue;
    }
    if (row.state !== undefined && notConnected.has(row.state)) continue;
    if (row.remoteIP === "0.0.0.0" || row.remoteIP === "::") continue;
    if (allowedPeer(plan, row.remoteIP, row.remotePort)) continue;
    if (row.isIPv6) {
      v6.push(row);
    } else {
      v4.push({
        localAddress: row.localIP,
        localPort: row.localPort,
        remoteAddress: row.remoteIP,
        remotePort: row.remotePort,
      });
    }
  }
  return { v4, v6 };
}

/** Cuts the non-allowed IPv4 connections and reports the IPv6 ones it cannot cut. */
export async function severWindowsConnections(
  plan: IsolationPlan,
  platform: SeverPlatform,
): Promise<SeverReport> {
  const read = await platform.readRows();
  const unread = read.skips
    .filter((skip) => skip.unreadDocuments !== undefined)
    .map((skip) => `${skip.object}: ${skip.detail ?? skip.reason}`);
  const targets = severTargets(read.ports, plan);
  let severed = 0;
  const failed: { connection: string; status: number }[] = [];
  for (const row of targets.v4) {
    const status = platform.setTcpEntry(encodeMibTcpRow(row, mibTcpStateDeleteTcb));
    if (status === 0) severed++;
    else {
      failed.push({
        connection:
          `${row.localAddress}:${row.localPort} -> ${row.remoteAddress}:${row.remotePort}`,
        status,
      });
    }
  }
  const ipv6NotSevered = targets.v6.map(connectionText);
  const parts = [`${severed} IPv4 connection(s) cut`];
  if (failed.length > 0) parts.push(`${failed.length} could not be cut`);
  if (ipv6NotSevered.length > 0) {
    parts.push(
      `${ipv6NotSevered.length} IPv6 connection(s) not severed (Windows has no API to cut an IPv6 connection; new ones are blocked)`,
    );
  }
  if (unread.length > 0) parts.push(`tables not read: ${unread.join("; ")}`);
  return { severed, failed, ipv6NotSevered, unread, detail: parts.join(", ") };
}

const iphlpapiSymbols = { SetTcpEntry: { parameters: ["buffer"], result: "u32" } } as const;
let iphlpapi: Deno.DynamicLibrary<typeof iphlpapiSymbols>["symbols"] | undefined;

/** The live platform: the port collector's iphlpapi source and `SetTcpEntry` over FFI. */
export const windowsSeverPlatform: SeverPlatform = {
  readRows: () => windowsPortSource().read(),
  setTcpEntry(row) {
    iphlpapi ??= Deno.dlopen("iphlpapi.dll", iphlpapiSymbols).symbols;
    return iphlpapi.SetTcpEntry(row as Uint8Array<ArrayBuffer>);
  },
};
