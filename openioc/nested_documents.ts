/**
 * Documents whose objects also sit, as records of a list, inside the objects
 * of another document: a process's ports are `ProcessItem/PortList/PortItem`,
 * each a PortItem record. The engine (engine/binding.ts) reads a PortItem
 * condition that shares an AND with ProcessItem conditions on the ports of
 * that process, and evaluates the conditions on such a list one record at a
 * time (docs/matching.md, "4a. A process and its ports").
 *
 * One row per nesting: adding a row is all it takes for another pair.
 *
 * @module
 */
import type { FieldValue } from "../contracts/observed_item.ts";

/** One document nested in another as a list of records. */
export interface NestedDocument {
  /** The document whose objects hold the list, e.g. `ProcessItem`. */
  readonly owner: string;
  /** The document each record of the list is, e.g. `PortItem`. */
  readonly member: string;
  /** The path of the list below the owner: `["PortList", "PortItem"]`. */
  readonly list: readonly string[];
  /** How an analyst writes one record of the list (`TCP 10.0.0.5:49812 → 1.2.3.4:443 ESTABLISHED`). */
  describe(record: { readonly [name: string]: FieldValue }): string;
}

/** Every nesting the engine binds. */
export const nestedDocuments: readonly NestedDocument[] = [
  {
    owner: "ProcessItem",
    member: "PortItem",
    list: ["PortList", "PortItem"],
    describe: describePort,
  },
];

/** The nestings whose owner is `document` (none for most documents). */
export function nestedIn(document: string): readonly NestedDocument[] {
  return nestedDocuments.filter((nested) => nested.owner === document);
}

/**
 * Where a term of `document` reads inside the records of a nested list of
 * `owner`: the nesting and the path inside one record, or undefined when the
 * term does not read such a record. A `PortItem` term read on a process is
 * its whole path; a `ProcessItem/PortList/PortItem/…` term is what follows
 * the list.
 *
 * @example
 * ```ts
 * import { memberPath } from "./nested_documents.ts";
 * memberPath("ProcessItem", "PortItem", ["remoteIP"])?.path; // ["remoteIP"]
 * memberPath("ProcessItem", "ProcessItem", ["PortList", "PortItem", "localPort"])?.path; // ["localPort"]
 * memberPath("ProcessItem", "ProcessItem", ["name"]); // undefined
 * ```
 */
export function memberPath(
  owner: string,
  document: string,
  path: readonly string[],
): { nested: NestedDocument; path: readonly string[] } | undefined {
  for (const nested of nestedIn(owner)) {
    if (document === nested.member) return { nested, path };
    if (document !== owner || path.length <= nested.list.length) continue;
    const inList = nested.list.every((segment, index) =>
      segment.toLowerCase() === path[index]!.toLowerCase()
    );
    if (inList) return { nested, path: path.slice(nested.list.length) };
  }
  return undefined;
}

/** `TCP 10.0.0.5:49812 → 1.2.3.4:443 ESTABLISHED`, from the parts a port record has. */
function describePort(record: { readonly [name: string]: FieldValue }): string {
  const text = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    for (const key in record) {
      if (key.toLowerCase() !== lower) continue;
      const value = record[key];
      return value === null || value === undefined || typeof value === "object"
        ? undefined
        : String(value);
    }
    return undefined;
  };
  const endpoint = (ip: string | undefined, port: string | undefined) => {
    if (ip === undefined && port === undefined) return undefined;
    const host = ip === undefined ? "*" : ip.includes(":") ? `[${ip}]` : ip;
    return `${host}:${port ?? "*"}`;
  };
  const local = endpoint(text("localIP"), text("localPort"));
  const remote = endpoint(text("remoteIP"), text("remotePort"));
  const pair = local !== undefined && remote !== undefined
    ? `${local} → ${remote}`
    : local ?? (remote === undefined ? undefined : `→ ${remote}`);
  return [text("protocol"), pair, text("state")].filter((part) => part !== undefined).join(" ");
}
