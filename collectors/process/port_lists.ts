/**
 * A process's ports (`ProcessItem/PortList/PortItem`), joined from the port
 * collector's table by pid: what binds `AND(ProcessItem/name is x.exe,
 * PortItem/remoteIP is A)` to one process (docs/matching.md, 4a).
 *
 * A port list that could not be read is unknown, never empty: when the
 * table as a whole was not read (a `/proc/net` file, iphlpapi and its
 * fallback), every process's `PortList` is unevaluated; when only some
 * processes' sockets could not be tied to them (their descriptors were
 * refused, or they were past the port source's process cap), those
 * processes' lists are, with the port source's own words.
 *
 * @example
 * ```ts ignore
 * import { readPortTable } from "../port/mod.ts";
 * import { readPortLists } from "./port_lists.ts";
 * const lists = await readPortLists(() => readPortTable({ platform: "linux" }));
 * console.log(lists.byPid.get(4242)?.length, lists.unknownAll ?? lists.unknown.get(4242));
 * ```
 *
 * @module
 */
import type { ObservedFields } from "../../contracts/observed_item.ts";
import { type PortTableRead, toPortItem } from "../port/mod.ts";

/** The ports of each process, and the processes whose ports are not known. */
export interface PortLists {
  /** The PortItem fields of each port a process owns, by pid. */
  readonly byPid: ReadonlyMap<number, readonly ObservedFields[]>;
  /** Processes whose ports could not all be seen, and why. */
  readonly unknown: ReadonlyMap<number, string>;
  /** Why no process's ports are known, when the table itself was not read. */
  readonly unknownAll?: string;
}

/** A skip that names one process: `pid 300 (sshd)`. */
const processSkip = /^pid (\d+)\b/;

/** Reads the connection tables once and sorts the ports by owner. */
export async function readPortLists(read: () => Promise<PortTableRead>): Promise<PortLists> {
  const table = await read();
  const byPid = new Map<number, ObservedFields[]>();
  for (const port of table.ports) {
    if (port.pid === undefined) continue;
    const list = byPid.get(port.pid) ?? [];
    list.push(toPortItem(port, "").fields);
    byPid.set(port.pid, list);
  }
  const unknown = new Map<number, string>();
  let unknownAll: string | undefined;
  for (const skip of table.skips) {
    const why = `ports not read: ${skip.object}: ${skip.detail ?? skip.reason}`;
    const pid = processSkip.exec(skip.object)?.[1];
    if (pid !== undefined && skip.unreadDocuments === undefined) unknown.set(Number(pid), why);
    else unknownAll ??= why;
  }
  return unknownAll === undefined ? { byPid, unknown } : { byPid, unknown, unknownAll };
}
