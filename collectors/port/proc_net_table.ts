/**
 * Lines of Linux's `/proc/<pid>/net/{tcp,tcp6,udp,udp6}` as socket entries:
 * addresses decoded (ip_text.ts), ports from hex, TCP states named
 * (tcp_states.ts), and the socket inode that ties the entry to the process
 * holding it (`/proc/<pid>/fd/* → socket:[inode]`). Pure: text in, entries out.
 *
 * @example
 * ```ts
 * import { parseProcNetTable } from "./proc_net_table.ts";
 * const text = "  sl  local_address rem_address   st ...\n" +
 *   "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n";
 * const [entry] = parseProcNetTable(text, "tcp", true).entries;
 * // entry.localIP === "127.0.0.1", entry.localPort === 8080, entry.state === "LISTENING", entry.inode === 4242
 * ```
 *
 * @module
 */
import { hostLittleEndian, procNetAddress } from "./ip_text.ts";
import { linuxTcpState } from "./tcp_states.ts";

/** The four tables, each with its protocol and family. */
export const procNetTables = [
  { file: "tcp", protocol: "TCP", isIPv6: false },
  { file: "tcp6", protocol: "TCP", isIPv6: true },
  { file: "udp", protocol: "UDP", isIPv6: false },
  { file: "udp6", protocol: "UDP", isIPv6: true },
] as const;

/** The name of one of the tables. */
export type ProcNetTableName = typeof procNetTables[number]["file"];

/** One socket of a table. */
export interface ProcNetEntry {
  readonly protocol: "TCP" | "UDP";
  readonly isIPv6: boolean;
  readonly localIP: string;
  readonly localPort: number;
  readonly remoteIP: string;
  readonly remotePort: number;
  /** TCP only. */
  readonly state?: string;
  /** The socket's inode; 0 for a socket no process holds (TIME_WAIT, a request socket). */
  readonly inode: number;
  /** The uid the kernel lists for the socket. */
  readonly uid: number;
}

/** The entries, and the lines that could not be read (line number and text). */
export interface ProcNetTable {
  readonly entries: ProcNetEntry[];
  readonly badLines: readonly { readonly line: number; readonly text: string }[];
}

/** Parses the text of one table (its header line included). */
export function parseProcNetTable(
  text: string,
  table: ProcNetTableName,
  littleEndian: boolean = hostLittleEndian,
): ProcNetTable {
  const kind = procNetTables.find((candidate) => candidate.file === table)!;
  const entries: ProcNetEntry[] = [];
  const badLines: { line: number; text: string }[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (index === 0 || line.trim() === "") continue;
    const columns = line.trim().split(/\s+/);
    const [local, remote, st, , , , uid, , inode] = columns.slice(1);
    const localEnd = parseEndpoint(local, littleEndian);
    const remoteEnd = parseEndpoint(remote, littleEndian);
    const stateCode = /^[0-9A-Fa-f]{2}$/.test(st ?? "") ? parseInt(st!, 16) : undefined;
    if (
      !localEnd || !remoteEnd || stateCode === undefined || !/^\d+$/.test(inode ?? "") ||
      !/^\d+$/.test(uid ?? "")
    ) {
      badLines.push({ line: index + 1, text: line.slice(0, 200) });
      continue;
    }
    entries.push({
      protocol: kind.protocol,
      isIPv6: kind.isIPv6,
      localIP: localEnd.ip,
      localPort: localEnd.port,
      remoteIP: remoteEnd.ip,
      remotePort: remoteEnd.port,
      ...(kind.protocol === "TCP" ? { state: linuxTcpState(stateCode) } : {}),
      inode: Number(inode),
      uid: Number(uid),
    });
  }
  return { entries, badLines };
}

function parseEndpoint(
  text: string | undefined,
  littleEndian: boolean,
): { ip: string; port: number } | undefined {
  const match = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(text ?? "");
  if (!match) return undefined;
  const ip = procNetAddress(match[1]!, littleEndian);
  return ip === undefined ? undefined : { ip, port: parseInt(match[2]!, 16) };
}
