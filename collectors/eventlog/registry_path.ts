/**
 * Registry paths as event logs write them, brought to the long root names.
 *
 * Sysmon writes `HKLM\…`, `HKU\<SID>\…` and `HKCR\…`; kernel sources write
 * `\REGISTRY\MACHINE\…`. iocscan's registry collector emits the long names
 * (`HKEY_LOCAL_MACHINE`, `HKEY_USERS`), so event paths use them too:
 * `HKLM` ≡ `HKEY_LOCAL_MACHINE`, `HKU\SID` ≡ `HKEY_USERS\SID`, `HKCU` ≡
 * `HKEY_CURRENT_USER`, `HKCR` ≡ `HKEY_CLASSES_ROOT`, `HKCC` ≡
 * `HKEY_CURRENT_CONFIG`. Only the root is rewritten: the rest of the path keeps
 * its spelling (including `CurrentControlSet`, which is how Sysmon and IOC
 * authors write it), and a user SID stays a SID.
 *
 * @module
 */
import { withLongRoot } from "../../windows/registry_roots.ts";

/**
 * Rewrites the root of a registry path to its long name.
 *
 * @example
 * ```ts
 * import { normalizeHiveName } from "./registry_path.ts";
 * normalizeHiveName("HKLM\\System\\CurrentControlSet\\Services\\x");
 * // "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\x"
 * normalizeHiveName("HKU\\S-1-5-21-1-2-3-1001\\Software\\Run");
 * // "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Run"
 * normalizeHiveName("\\REGISTRY\\MACHINE\\SOFTWARE"); // "HKEY_LOCAL_MACHINE\\SOFTWARE"
 * ```
 */
export function normalizeHiveName(path: string): string {
  return withLongRoot(path.trim());
}

/** A registry path split for regKeyEvent: hive, key path (with the hive) and value name. */
export interface RegistryPathParts {
  /** The root, e.g. `HKEY_LOCAL_MACHINE`. */
  hive: string;
  /** The key path, with its root. */
  keyPath: string;
  /** The value name; empty for key events. */
  valueName: string;
}

/**
 * Splits a normalised path into hive, key path and value name. When
 * `hasValue` is false the whole path is a key (Sysmon's CreateKey/DeleteKey).
 */
export function splitRegistryEventPath(path: string, hasValue: boolean): RegistryPathParts {
  const cut = path.indexOf("\\");
  const hive = cut < 0 ? path : path.slice(0, cut);
  if (!hasValue) return { hive, keyPath: path, valueName: "" };
  const last = path.lastIndexOf("\\");
  if (last < 0) return { hive, keyPath: path, valueName: "" };
  return { hive, keyPath: path.slice(0, last), valueName: path.slice(last + 1) };
}
