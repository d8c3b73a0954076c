/**
 * The user's allow-list entries as `--allow` writes them: `HOST[:PORT][/PROTO]`, where HOST is a
 * name, an IPv4 or IPv6 address or a CIDR prefix, an IPv6 address with a port is bracketed
 * (`[fd00::1]:443`), and PROTO is `tcp` or `udp`.
 *
 * @example
 * ```ts
 * import { parseAllowSpec } from "./allow_spec.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(parseAllowSpec("mgmt.example:8443/tcp"), {
 *   host: "mgmt.example",
 *   port: 8443,
 *   protocol: "tcp",
 * });
 * deepStrictEqual(parseAllowSpec("[fd00::1]:53/udp"), { host: "fd00::1", port: 53, protocol: "udp" });
 * deepStrictEqual(parseAllowSpec("10.0.0.0/8"), { host: "10.0.0.0/8" });
 * ```
 *
 * @module
 */
import { isIP } from "node:net";

/** One allow-list entry before its host name is resolved. */
export interface AllowSpec {
  /** A host name, an address or a CIDR prefix. */
  readonly host: string;
  readonly port?: number;
  readonly protocol?: "tcp" | "udp";
}

const PROTOCOLS = ["tcp", "udp"] as const;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*\.?$/;

/**
 * Reads one `--allow` entry.
 *
 * @throws Error naming what is wrong with it.
 */
export function parseAllowSpec(text: string): AllowSpec {
  let rest = text.trim();
  let protocol: AllowSpec["protocol"];
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    const suffix = rest.slice(slash + 1).toLowerCase();
    const known = PROTOCOLS.find((name) => name === suffix);
    if (known !== undefined) {
      protocol = known;
      rest = rest.slice(0, slash);
    }
  }
  let host = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed !== null) {
    host = bracketed[1] ?? "";
    if (bracketed[2] !== undefined) port = readPort(bracketed[2], text);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const colon = rest.indexOf(":");
    host = rest.slice(0, colon);
    port = readPort(rest.slice(colon + 1), text);
  }
  if (!isAddressOrPrefix(host) && !HOST_NAME.test(host)) {
    throw new Error(
      `"${text}" is not HOST[:PORT][/PROTO] (HOST: a name, an address or a CIDR prefix; ` +
        `an IPv6 address with a port in brackets; PROTO: tcp or udp)`,
    );
  }
  if (protocol !== undefined && port === undefined) {
    throw new Error(`"${text}": a protocol needs a port (HOST:PORT/${protocol})`);
  }
  return {
    host,
    ...(port === undefined ? {} : { port }),
    ...(protocol === undefined ? {} : { protocol }),
  };
}

/** Whether `text` is an IPv4/IPv6 address or a CIDR prefix of one. */
export function isAddressOrPrefix(text: string): boolean {
  const [address = "", length, ...extra] = text.split("/");
  const family = isIP(address);
  if (family === 0 || extra.length > 0) return false;
  if (length === undefined) return true;
  if (!/^\d{1,3}$/.test(length)) return false;
  return Number(length) <= (family === 4 ? 32 : 128);
}

function readPort(text: string, whole: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) {
    throw new Error(`"${whole}": the port is a number from 1 to 65535`);
  }
  return port;
}

/**
 * Reads the self-test's forbidden target, `HOST:PORT` (TCP): `--probe` of `isolate`,
 * `--isolation-probe` of `scan`.
 *
 * @throws Error naming what is wrong with it.
 */
export function parseProbeSpec(text: string): AllowSpec & { port: number } {
  const spec = parseAllowSpec(text);
  if (spec.port === undefined || spec.host.includes("/") || spec.protocol === "udp") {
    throw new Error(`expected HOST:PORT (a TCP target), found "${text}"`);
  }
  return { ...spec, port: spec.port };
}
