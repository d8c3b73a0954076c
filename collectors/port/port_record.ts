/**
 * One endpoint of the connection table, as every source of the port
 * collector reads it, and the PortItem object made of it.
 *
 * Field choices (docs/port.md): `process` is the image's file name and `path`
 * its folder, as `ProcessItem/name` and `ProcessItem/path`; `state` is spelt
 * as netstat spells it (tcp_states.ts), TCP only; `isIPv6` is the socket's
 * family (a dual-stack socket's IPv4-mapped peer is written as IPv4, see
 * ip_text.ts); `networkNamespace` (ours, Linux) names the namespace when it
 * is not the one iocscan runs in.
 *
 * @module
 */
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import { portDocumentName } from "./names.ts";

/** The OpenIOC document of the port collector. */
export const portDocument: string = portDocumentName;

/** One TCP or UDP endpoint. */
export interface PortRecord {
  readonly protocol: "TCP" | "UDP";
  readonly isIPv6: boolean;
  readonly localIP: string;
  readonly localPort: number;
  /** Absent for Windows UDP rows (the table keeps no peer: see `unevaluated`). */
  readonly remoteIP?: string;
  readonly remotePort?: number;
  /** TCP only. */
  readonly state?: string;
  /** The owning process; absent when none owns the socket (TIME_WAIT) or it could not be seen. */
  readonly pid?: number;
  /** The owner's image file name. */
  readonly process?: string;
  /** The folder of the owner's image. */
  readonly path?: string;
  /** The owner's full image path (for the key and the process join; not a PortItem term). */
  readonly imagePath?: string;
  /** When the socket was created (Windows), ISO 8601 UTC. */
  readonly creationTime?: string;
  /** The network namespace (`net:[4026532301]`) when it is not iocscan's own. */
  readonly networkNamespace?: string;
  /** When the table was read, ISO 8601 UTC. */
  readonly observedAt: string;
  /** Fields that could not be read on this endpoint, and why. */
  readonly unevaluated?: Unevaluated;
}

/**
 * How an analyst writes the endpoint:
 * `10.0.0.5:49812 → 103.41.124.9:443 ESTABLISHED (pid 4242 powershell.exe)`,
 * `UDP 0.0.0.0:5353 (pid 812)`, with ` in net:[…]` for another namespace.
 * Nothing is escaped here: human output escapes later.
 */
export function portKey(record: PortRecord): string {
  const local = endpoint(record.localIP, record.localPort);
  const parts = record.protocol === "UDP" ? ["UDP", local] : [local];
  if (record.remoteIP !== undefined && record.remotePort !== undefined) {
    parts.push("→", endpoint(record.remoteIP, record.remotePort));
  }
  if (record.state !== undefined) parts.push(record.state);
  if (record.pid !== undefined) {
    parts.push(
      record.process === undefined
        ? `(pid ${record.pid})`
        : `(pid ${record.pid} ${record.process})`,
    );
  }
  if (record.networkNamespace !== undefined) parts.push(`in ${record.networkNamespace}`);
  return parts.join(" ");
}

/** The PortItem object of an endpoint, observed on `computer`. */
export function toPortItem(record: PortRecord, computer: string): ObservedItem {
  const fields: ObservedItem["fields"] = {
    protocol: record.protocol,
    localIP: record.localIP,
    localPort: record.localPort,
    isIPv6: record.isIPv6,
  };
  const optional = {
    remoteIP: record.remoteIP,
    remotePort: record.remotePort,
    state: record.state,
    pid: record.pid,
    process: record.process,
    path: record.path,
    CreationTime: record.creationTime,
    networkNamespace: record.networkNamespace,
  };
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) fields[name] = value;
  }
  return {
    document: portDocument,
    key: portKey(record),
    fields,
    provenance: { time: record.observedAt, computer },
    ...(record.unevaluated && Object.keys(record.unevaluated).length > 0
      ? { unevaluated: record.unevaluated }
      : {}),
  };
}

function endpoint(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}
