/**
 * The DNS servers this host is configured with, for the allow-list: the `nameserver` lines of
 * `/etc/resolv.conf` and, when it lists systemd-resolved's stub (127.0.0.53), the upstream servers
 * `resolvectl dns` names (a bounded run). Loopback servers are kept (the loopback rule covers
 * them); link-local scopes (`fe80::1%eth0`) are dropped, as a rule cannot hold them.
 *
 * @module
 */
import { isIP } from "node:net";
import { type CommandRunner, readCommandOutput } from "../../collectors/live/mod.ts";
import { TOOL_MAX_BYTES, TOOL_TIMEOUT_MS } from "./isolation_limits.ts";

/** The resolver file read unless told otherwise. */
export const RESOLV_CONF = "/etc/resolv.conf";

/** systemd-resolved's stub listener. */
const RESOLVED_STUB = "127.0.0.53";

/** One DNS server and where it was found. */
export interface DnsServer {
  readonly address: string;
  readonly why: string;
}

/** The servers found, and what could not be read (never fatal: the audit shows it). */
export interface DnsServerReading {
  readonly servers: DnsServer[];
  readonly problems: string[];
}

/** Where to read from (tests give their own file and a recorded `resolvectl`). */
export interface DnsServerSources {
  readonly resolvConf?: string;
  readonly runner?: CommandRunner;
}

/** Reads the host's DNS servers (see the module). */
export async function hostDnsServers(sources: DnsServerSources = {}): Promise<DnsServerReading> {
  const file = sources.resolvConf ?? RESOLV_CONF;
  const servers: DnsServer[] = [];
  const problems: string[] = [];
  let text = "";
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const listed = nameserverLines(text);
  for (const address of listed) servers.push({ address, why: `dns server from ${file}` });
  if (listed.includes(RESOLVED_STUB)) {
    const output = await readCommandOutput("resolvectl", ["dns"], {
      maxBytes: TOOL_MAX_BYTES,
      timeoutMs: TOOL_TIMEOUT_MS,
      ...(sources.runner === undefined ? {} : { runner: sources.runner }),
    });
    if (output.ok) {
      for (const address of resolvectlServers(output.text)) {
        servers.push({ address, why: "dns server from resolvectl dns (systemd-resolved)" });
      }
    } else {
      problems.push(output.reason);
    }
  }
  const seen = new Set<string>();
  return {
    servers: servers.filter((server) =>
      seen.has(server.address) ? false : (seen.add(server.address), true)
    ),
    problems,
  };
}

/** The addresses of `nameserver` lines (resolv.conf(5)). */
export function nameserverLines(text: string): string[] {
  const addresses: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    const address = match?.[1] === undefined ? undefined : plainAddress(match[1]);
    if (address !== undefined) addresses.push(address);
  }
  return addresses;
}

/**
 * The addresses `resolvectl dns` prints (`Global: 1.1.1.1`, `Link 2 (eth0): 10.0.0.1
 * fe80::1%eth0 9.9.9.9#dns.quad9.net`).
 */
export function resolvectlServers(text: string): string[] {
  const addresses: string[] = [];
  for (const line of text.split("\n")) {
    const colon = line.indexOf("):");
    const start = colon >= 0 ? colon + 2 : line.indexOf(":") + 1;
    if (start <= 0) continue;
    for (const token of line.slice(start).trim().split(/\s+/)) {
      const address = plainAddress(token);
      if (address !== undefined) addresses.push(address);
    }
  }
  return addresses;
}

/** An address without `#server-name`, `%scope`, brackets or port; undefined if none. */
function plainAddress(token: string): string | undefined {
  let text = token.split("#")[0] ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1];
  if (text.includes("%")) return undefined;
  if (isIP(text) !== 0) return text;
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(text);
  return withPort?.[1] !== undefined && isIP(withPort[1]) === 4 ? withPort[1] : undefined;
}
