/**
 * Builds an {@linkcode IsolationPlan}: the deadline and the allow-list, every host name resolved
 * to all its A and AAAA addresses BEFORE anything is applied (a name that does not resolve is an
 * error, and nothing is applied). The allow-list holds the host's DNS servers, the hosts of a
 * PostgreSQL results store, and the user's `--allow` entries; loopback, DHCP/DHCPv6 and neighbour
 * discovery are the backend's fixed part.
 *
 * @module
 */
import type { AllowRule, IsolationPlan } from "./contract.ts";
import { type AllowSpec, isAddressOrPrefix } from "./allow_spec.ts";
import { type DnsServerReading, type DnsServerSources, hostDnsServers } from "./dns_servers.ts";
import { POSTGRES_DEFAULT_PORT, RESOLVE_TIMEOUT_MS } from "./isolation_limits.ts";
import { specialRange } from "./special_addresses.ts";

/** Resolves one name to its addresses of one type; `[]` when it has none of that type. */
export type NameResolver = (name: string, type: "A" | "AAAA") => Promise<string[]>;

/** What a plan is built from. */
export interface PlanInput {
  /** How long the isolation lasts, in milliseconds (the caller checks the range). */
  readonly durationMs: number;
  /** The user's entries. */
  readonly allow?: readonly AllowSpec[];
  /** The results store's location: a `postgres://` URL adds its host (SQLite adds nothing). */
  readonly storeLocation?: string;
  /** The DNS servers, read already, or where to read them (default: this host's). */
  readonly dns?: DnsServerReading | DnsServerSources;
  /** The clock. */
  readonly now?: Date;
  /** The isolation's id (default: a new UUID). */
  readonly id?: string;
  /** How names are resolved (default: `Deno.resolveDns`, bounded). */
  readonly resolve?: NameResolver;
}

/** The plan, and what could not be read (the DNS configuration: shown, not fatal). */
export interface PlannedIsolation {
  readonly plan: IsolationPlan;
  readonly problems: readonly string[];
}

/**
 * Builds the plan (see the module).
 *
 * @throws Error when a host name of the allow-list does not resolve.
 */
export async function buildIsolationPlan(input: PlanInput): Promise<PlannedIsolation> {
  const now = input.now ?? new Date();
  const resolve = input.resolve ?? resolveWithDeno;
  const dns = input.dns !== undefined && "servers" in input.dns
    ? input.dns
    : await hostDnsServers(input.dns ?? {});
  const rules: AllowRule[] = [];
  for (const server of dns.servers) {
    for (const protocol of ["udp", "tcp"] as const) {
      rules.push({ address: server.address, port: 53, protocol, why: server.why });
    }
  }
  const database = databaseHost(input.storeLocation);
  if (database !== undefined) {
    for (const address of await addressesOf(database.host, resolve)) {
      const special = specialRange(address);
      // A database on this host is reached over loopback, which is always open.
      if (special?.startsWith("loopback")) continue;
      if (special !== undefined) {
        throw specialError(`the results database host "${database.host}"`, address, special);
      }
      rules.push({
        address,
        port: database.port,
        protocol: "tcp",
        why: `results database ${database.host}:${database.port}`,
      });
    }
  }
  for (const spec of input.allow ?? []) {
    const written = specText(spec);
    for (const address of await addressesOf(spec.host, resolve)) {
      const special = specialRange(address);
      if (special !== undefined) throw specialError(`--allow ${written}`, address, special);
      rules.push({
        address,
        ...(spec.port === undefined ? {} : { port: spec.port }),
        ...(spec.protocol === undefined ? {} : { protocol: spec.protocol }),
        why: address === spec.host ? `--allow ${written}` : `--allow ${written} (${spec.host})`,
      });
    }
  }
  return {
    plan: {
      id: input.id ?? crypto.randomUUID(),
      expiresAt: new Date(now.getTime() + input.durationMs).toISOString(),
      allow: uniqueRules(rules),
    },
    problems: dns.problems,
  };
}

/** `HOST[:PORT][/PROTO]` as the user would write it. */
export function specText(spec: AllowSpec): string {
  const host = spec.port !== undefined && spec.host.includes(":") ? `[${spec.host}]` : spec.host;
  return `${host}${spec.port === undefined ? "" : `:${spec.port}`}${
    spec.protocol === undefined ? "" : `/${spec.protocol}`
  }`;
}

/** The host and port of a `postgres://` store URL; undefined for SQLite or a socket path. */
export function databaseHost(
  location: string | undefined,
): { host: string; port: number } | undefined {
  if (location === undefined || !/^postgres(ql)?:\/\//i.test(location)) return undefined;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  // `?host=/run/postgresql`: a Unix socket, no network peer.
  if (host === "" || url.searchParams.get("host")?.startsWith("/")) return undefined;
  return { host, port: url.port === "" ? POSTGRES_DEFAULT_PORT : Number(url.port) };
}

function specialError(what: string, address: string, special: string): Error {
  return new Error(
    `${what}: ${address} is ${/^[aeiou]/i.test(special) ? "an" : "a"} ${special} address or ` +
      `overlaps one, never an allowed peer (loopback is always open): nothing was applied`,
  );
}

async function addressesOf(host: string, resolve: NameResolver): Promise<string[]> {
  if (isAddressOrPrefix(host)) return [host];
  const found: string[] = [];
  const failures: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    try {
      found.push(...await resolve(host, type));
    } catch (error) {
      failures.push(`${type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (found.length === 0) {
    throw new Error(
      `the allowed host "${host}" does not resolve${
        failures.length > 0 ? ` (${failures.join("; ")})` : ""
      }: nothing was applied`,
    );
  }
  return found;
}

async function resolveWithDeno(name: string, type: "A" | "AAAA"): Promise<string[]> {
  try {
    return await Deno.resolveDns(name, type, { signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS) });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

function uniqueRules(rules: readonly AllowRule[]): AllowRule[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = `${rule.address}|${rule.port ?? ""}|${rule.protocol ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
