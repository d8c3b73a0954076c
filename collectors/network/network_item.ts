/**
 * Network objects from what an endpoint sees of the names it resolved: one
 * per Sysmon DNS query (event 22) and one per name of the resolver cache.
 * `DNS` is the name (and the CNAME targets of the answer); `URI` is the same
 * host names, the only part of a URI an endpoint sees, so every object
 * marks `URI` as not fully evaluated (docs/matching.md, "Endpoint network
 * mode"). Each object's provenance says it is the endpoint's view, not a
 * network sensor's.
 *
 * @module
 */
import type { ObservedItem, Provenance } from "../../contracts/observed_item.ts";
import {
  baseName,
  dataValue,
  eventKey,
  eventProvenance,
  type WindowsEvent,
} from "../eventlog/mod.ts";
import { dnsName } from "../dns/mod.ts";
import type { DnsCacheName } from "./dns_cache_names.ts";

/** The document this collector produces. */
export const networkDocument = "Network";

/** The evidence labels: where an endpoint-network object came from. */
export const endpointNetworkLabels = {
  sysmon: "endpoint-network: Sysmon DNS query",
  cache: "endpoint-network: DNS cache",
} as const;

/** Why `Network/URI` is never fully evaluated on an endpoint-network object. */
export const uriHostOnly =
  "endpoint-network sees the host names this machine resolved, never a URI's scheme, path or query";

/** Sysmon's record type of a CNAME in `QueryResults` (`type:  5 target.example`). */
const cnameType = "5";

/**
 * The CNAME targets of Sysmon's `QueryResults` (`type:  5 edge.example;::ffff:1.2.3.4;`):
 * names the answer carried, which a network sensor sees as well.
 */
export function cnameTargets(results: string | undefined): string[] {
  if (results === undefined) return [];
  const out: string[] = [];
  for (const entry of results.split(";")) {
    const match = /^\s*type:\s*(\d+)\s+(\S+)\s*$/.exec(entry);
    if (match && match[1] === cnameType && !out.includes(match[2]!)) out.push(match[2]!);
  }
  return out;
}

/**
 * The Network object of a Sysmon DNS query event (id 22), or undefined when
 * it names no query.
 *
 * @example
 * ```ts
 * import { sysmonDnsItem } from "./network_item.ts";
 * const item = sysmonDnsItem({
 *   channel: "Microsoft-Windows-Sysmon/Operational", provider: "Microsoft-Windows-Sysmon",
 *   eventId: 22, recordId: 9, origin: "x.evtx",
 *   data: [{ name: "QueryName", value: "evil.example" }, { name: "ProcessId", value: "42" }],
 * });
 * // item?.fields.DNS === "evil.example", item?.provenance?.source starts with "endpoint-network"
 * ```
 */
export function sysmonDnsItem(event: WindowsEvent): ObservedItem | undefined {
  const written = dataValue(event, "QueryName")?.trim();
  if (!written) return undefined;
  // A fully qualified name's final dot is dropped, as the resolver cache's names lose it.
  const query = dnsName(written);
  const names = [
    query,
    ...cnameTargets(dataValue(event, "QueryResults")).map(dnsName)
      .filter((name) => name.toLowerCase() !== query.toLowerCase()),
  ];
  const image = dataValue(event, "Image");
  const pid = dataValue(event, "ProcessId");
  const by = [pid ? `pid ${pid}` : undefined, image ? baseName(image) : undefined]
    .filter((part) => part !== undefined).join(" ");
  // `type:  5 edge.example;::ffff:1.2.3.4;` → `type: 5 edge.example, ::ffff:1.2.3.4`
  const results = (dataValue(event, "QueryResults") ?? "").split(";")
    .map((entry) => entry.trim().replace(/\s+/g, " ")).filter((entry) => entry !== "");
  const answer = results.length > 0 ? ` → ${results.join(", ")}` : "";
  const provenance = eventProvenance(event);
  return {
    document: networkDocument,
    key: `${query}${answer} (Sysmon DNS query${by ? ` by ${by}` : ""}, ${eventKey(event)})`,
    fields: hostFields(names),
    unevaluated: { URI: uriHostOnly },
    provenance: {
      ...provenance,
      source: labelled(endpointNetworkLabels.sysmon, provenance.source),
    },
  };
}

/** The Network object of one name of the resolver cache. */
export function dnsCacheItem(entry: DnsCacheName, computer: string | undefined): ObservedItem {
  const record = [entry.type, entry.data].filter((part) => part !== undefined).join(" ");
  const provenance: Provenance = { source: endpointNetworkLabels.cache, time: entry.observed };
  if (computer !== undefined) provenance.computer = computer;
  return {
    document: networkDocument,
    key: `${entry.name}${record ? ` ${record}` : ""} (DNS cache)`,
    fields: hostFields([entry.name]),
    unevaluated: { URI: uriHostOnly },
    provenance,
  };
}

function hostFields(names: readonly string[]) {
  const value = names.length === 1 ? names[0]! : [...names];
  return { DNS: value, URI: Array.isArray(value) ? [...value] : value };
}

function labelled(label: string, file: string | undefined): string {
  return file === undefined ? label : `${label} (${file})`;
}
