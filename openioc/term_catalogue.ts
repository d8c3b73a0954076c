/**
 * The term catalogue: the one table of every search term iocscan supports.
 *
 * For each term it records the document the term belongs to, the field path
 * inside an observed object, the value type used for comparison (which wins over
 * `Content/@type`, since real files disagree with the term lists), and the
 * collector that supplies it.
 *
 * @example Resolve a term, whatever its spelling
 * ```ts
 * import { resolveTerm } from "./term_catalogue.ts";
 * const term = resolveTerm("FileItem/MD5Sum");
 * // term?.search === "FileItem/Md5sum", term?.valueType === "md5"
 * ```
 *
 * @module
 */

/** How a term's values are compared. */
export type ValueType =
  | "string"
  | "integer"
  | "date"
  | "duration"
  | "md5"
  | "sha1"
  | "sha256"
  | "ip"
  | "bool";

/** The collectors that can supply terms. */
export type CollectorName =
  | "file"
  | "eventlog"
  | "registry"
  | "process"
  | "port"
  | "dns"
  | "arp"
  | "route"
  | "service"
  | "user"
  | "system"
  | "volume"
  | "driver"
  | "task"
  | "urlhistory";

/** One supported search term. */
export interface TermDefinition {
  /** The canonical search path, e.g. `FileItem/Md5sum` or `processEvent/process`. */
  readonly search: string;
  /** The document the term reads, e.g. `FileItem`; HX event terms use the event name. */
  readonly document: string;
  /** The field path inside the observed object, e.g. `["PEInfo", "PETimeStamp"]`. */
  readonly path: readonly string[];
  readonly valueType: ValueType;
  readonly collector: CollectorName;
}

const table: readonly TermDefinition[] = [
  term("FileItem/Md5sum", "md5", "file"),
];

function term(search: string, valueType: ValueType, collector: CollectorName): TermDefinition {
  const [document, ...path] = search.split("/");
  return { search, document: document!, path, valueType, collector };
}

const byLowerSearch = new Map(table.map((t) => [t.search.toLowerCase(), t]));

/**
 * Finds the catalogue entry for a search path as written in an IOC file.
 * Matching is case-insensitive, and the HX `eventItem/<event>/<field>` spelling
 * resolves to the same entry as `<event>/<field>`.
 *
 * @param search `Context/@search` as written.
 * @returns The entry, or undefined when the term is not supported.
 */
export function resolveTerm(search: string): TermDefinition | undefined {
  let key = search.trim().toLowerCase();
  if (key.startsWith("eventitem/")) key = key.slice("eventitem/".length);
  return byLowerSearch.get(key);
}

/** Every supported term, in catalogue order. */
export function allTerms(): readonly TermDefinition[] {
  return table;
}
