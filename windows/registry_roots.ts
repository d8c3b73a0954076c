/**
 * The names of the Windows registry's roots: the one table of their
 * spellings (`HKLM`, `HKEY_LOCAL_MACHINE`, `\REGISTRY\MACHINE`…), used by the
 * registry collector, the event-log collector and the matcher alike.
 *
 * @module
 */

/** The long root names. */
export type RegistryRoot =
  | "HKEY_LOCAL_MACHINE"
  | "HKEY_USERS"
  | "HKEY_CURRENT_USER"
  | "HKEY_CLASSES_ROOT"
  | "HKEY_CURRENT_CONFIG";

/** Every spelling of a root's first segment, upper-cased, to its long name. */
const rootAliases: ReadonlyMap<string, RegistryRoot> = new Map([
  ["HKLM", "HKEY_LOCAL_MACHINE"],
  ["HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE"],
  ["HKU", "HKEY_USERS"],
  ["HKEY_USERS", "HKEY_USERS"],
  ["HKCU", "HKEY_CURRENT_USER"],
  ["HKEY_CURRENT_USER", "HKEY_CURRENT_USER"],
  ["HKCR", "HKEY_CLASSES_ROOT"],
  ["HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT"],
  ["HKCC", "HKEY_CURRENT_CONFIG"],
  ["HKEY_CURRENT_CONFIG", "HKEY_CURRENT_CONFIG"],
]);

/** Kernel-style roots (`\REGISTRY\MACHINE\…`), as drivers and some event sources write them. */
const kernelRoots: readonly [string, RegistryRoot][] = [
  ["\\REGISTRY\\MACHINE", "HKEY_LOCAL_MACHINE"],
  ["REGISTRY\\MACHINE", "HKEY_LOCAL_MACHINE"],
  ["\\REGISTRY\\USER", "HKEY_USERS"],
  ["REGISTRY\\USER", "HKEY_USERS"],
];

/**
 * The long name of a root spelling, or undefined when `name` is not a root.
 *
 * @example
 * ```ts
 * import { longRootName } from "./registry_roots.ts";
 * longRootName("hklm"); // "HKEY_LOCAL_MACHINE"
 * longRootName("SOFTWARE"); // undefined
 * ```
 */
export function longRootName(name: string): RegistryRoot | undefined {
  return rootAliases.get(name.toUpperCase());
}

/** A path cut after its root. */
export interface RootedPath {
  /** The long root name, or undefined when the path does not start with a root. */
  root: RegistryRoot | undefined;
  /** Everything after the root, starting with `\` (or empty); the path itself when no root. */
  rest: string;
}

/**
 * Cuts a registry path after its root, leaving the rest exactly as written
 * (key names may contain `/`, so nothing else is touched).
 *
 * @example
 * ```ts
 * import { splitRoot } from "./registry_roots.ts";
 * splitRoot("HKLM\\Software\\Run"); // { root: "HKEY_LOCAL_MACHINE", rest: "\\Software\\Run" }
 * splitRoot("\\REGISTRY\\USER\\S-1-5-18"); // { root: "HKEY_USERS", rest: "\\S-1-5-18" }
 * splitRoot("Software\\Run"); // { root: undefined, rest: "Software\\Run" }
 * ```
 */
export function splitRoot(path: string): RootedPath {
  const upper = path.toUpperCase();
  for (const [prefix, root] of kernelRoots) {
    if (upper === prefix || upper.startsWith(prefix + "\\")) {
      return { root, rest: path.slice(prefix.length) };
    }
  }
  const cut = path.indexOf("\\");
  const root = longRootName(cut < 0 ? path : path.slice(0, cut));
  if (root === undefined) return { root, rest: path };
  return { root, rest: cut < 0 ? "" : path.slice(cut) };
}

/**
 * Rewrites the root of a registry path to its long name; the rest stays as written.
 *
 * @example
 * ```ts
 * import { withLongRoot } from "./registry_roots.ts";
 * withLongRoot("HKU\\S-1-5-21-1-2-3-1001\\Software"); // "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software"
 * ```
 */
export function withLongRoot(path: string): string {
  const { root, rest } = splitRoot(path);
  return root === undefined ? path : root + rest;
}
