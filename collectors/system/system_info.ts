/**
 * The one `SystemInfoItem` of a host, as every source gives it: the fields
 * it read (catalogue spelling, `networkArray.networkInfo` a list of
 * adapters), and why each one it did not read is missing. Every catalogue
 * term of the document that a source neither gives nor explains is named
 * `unevaluated` with the source's name, so no term reads as a silent miss.
 *
 * @module
 */
import type {
  FieldValue,
  ObservedItem,
  Provenance,
  Unevaluated,
} from "../../contracts/observed_item.ts";
import { allTerms } from "../../openioc/term_catalogue.ts";
import type { Observation } from "../net_table/mod.ts";

/** The document the system collector produces. */
export const systemDocument = "SystemInfoItem";

/** One network adapter of `networkArray/networkInfo`. */
export interface NetworkInfo {
  readonly adapter: string;
  readonly description?: string;
  readonly MAC?: string;
  /** IPv4 addresses with their masks, and IPv6 addresses. */
  readonly ipArray?: {
    readonly ipInfo: readonly {
      readonly ipAddress?: string;
      readonly subnetMask?: string;
      readonly ipv6Address?: string;
    }[];
  };
  readonly ipGatewayArray?: { readonly ipGateway: readonly string[] };
}

/** What a source read of a host. */
export interface SystemInfo {
  /** Scalar fields by their catalogue name (`hostname`, `OS`, `uptime` in seconds…). */
  readonly fields: Readonly<Record<string, string | number | undefined>>;
  readonly networks?: readonly NetworkInfo[];
  /** Why fields are missing, by term path below the document (`installDate`, `networkArray/…`). */
  readonly missing: Readonly<Record<string, string>>;
  /** Where it was read (offline: the hive file). */
  readonly provenance?: Provenance;
}

/** The term paths of SystemInfoItem in the catalogue, below the document. */
export function systemTermPaths(): string[] {
  return allTerms().filter((term) => term.document === systemDocument).map((term) =>
    term.path.join("/")
  );
}

/** The `SystemInfoItem` of a host; its key is the host name. */
export function toSystemInfoItem(
  info: SystemInfo,
  observation: Observation,
  sourceName: string,
): ObservedItem {
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(info.fields)) {
    if (value !== undefined && value !== "") fields[name] = value;
  }
  if (info.networks !== undefined) {
    fields.networkArray = {
      networkInfo: info.networks.map((network) =>
        structuredClone(network) as unknown as FieldValue
      ),
    };
  }
  const unevaluated: Record<string, string> = {};
  for (const [path, reason] of Object.entries(info.missing)) unevaluated[path] = reason;
  for (const path of systemTermPaths()) {
    if (path in unevaluated || present(fields, path)) continue;
    if (path.startsWith("networkArray/") && info.networks !== undefined) continue;
    unevaluated[path] = `${sourceName} did not give it`;
  }
  const hostname = typeof fields.hostname === "string" ? fields.hostname : observation.computer;
  return {
    document: systemDocument,
    key: hostname,
    fields,
    provenance: { time: observation.time, computer: observation.computer, ...info.provenance },
    ...(Object.keys(unevaluated).length > 0 ? { unevaluated: unevaluated as Unevaluated } : {}),
  };
}

function present(fields: Record<string, FieldValue>, path: string): boolean {
  return !path.includes("/") && fields[path] !== undefined;
}
