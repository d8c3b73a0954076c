/**
 * Registry root names and path normalisation.
 *
 * iocscan emits the long root names (`HKEY_LOCAL_MACHINE`, `HKEY_USERS`) and
 * key paths as they are stored in the hive (`ControlSet001`, not
 * `CurrentControlSet`). IOCs are written every which way (`HKLM\…`,
 * `HKEY_CURRENT_USER\…`, `\REGISTRY\MACHINE\…`, `CurrentControlSet`), so
 * {@linkcode normalizeRegistryPath} brings both sides to one matching form.
 *
 * @module
 */
import { splitRoot } from "../../windows/registry_roots.ts";

/** The roots under which iocscan mounts hives. */
export type RootName = "HKEY_LOCAL_MACHINE" | "HKEY_USERS";

/** A path split into its root (long name, or undefined when none) and the rest. */
export interface SplitRegistryPath {
  /** The long root name, or undefined for a path without one. */
  root: string | undefined;
  /** The segments after the root, empty segments removed. */
  segments: string[];
}

/**
 * Splits `HKLM\SOFTWARE\X`, `HKEY_LOCAL_MACHINE\SOFTWARE\X`,
 * `\REGISTRY\MACHINE\SOFTWARE\X` or a root-less `SOFTWARE\X` (also with `/`
 * separators from some tools) into root and segments.
 */
export function splitRegistryPath(path: string): SplitRegistryPath {
  const { root, rest } = splitRoot(path.trim().replaceAll("/", "\\"));
  return { root, segments: rest.split("\\").filter((segment) => segment !== "") };
}

/** Options of {@linkcode normalizeRegistryPath}. */
export interface NormalizeOptions {
  /**
   * Fold every user hive to `HKEY_CURRENT_USER`: `HKEY_USERS\<SID>\X`,
   * `HKU\<SID>_Classes\X` (as `HKEY_CURRENT_USER\Software\Classes\X`) and
   * `HKCU\X` all become `HKEY_CURRENT_USER\…`, so an IOC written against
   * HKCU matches the same key in every loaded user hive. Default true.
   */
  foldUsers?: boolean;
  /**
   * The control set that `CurrentControlSet` stands for (Select\Current);
   * `SYSTEM\CurrentControlSet` becomes `SYSTEM\ControlSet00N`. Default 1.
   */
  currentControlSet?: number;
}

/**
 * Brings a registry path (or a bare root name) to one form for comparison:
 * long upper-case root names, `CurrentControlSet` resolved, user hives
 * folded to `HKEY_CURRENT_USER`, `HKEY_CLASSES_ROOT` mapped to
 * `HKEY_LOCAL_MACHINE\SOFTWARE\Classes`, separators `\`, no trailing `\`.
 * The rest of the path keeps its case (the matcher compares case-insensitively
 * unless an IOC asks otherwise). Apply it to the IOC's content and to the
 * observed `Hive`, `KeyPath` (with `Hive`) or `Path` alike.
 *
 * @example
 * ```ts
 * import { normalizeRegistryPath } from "./hive_names.ts";
 * normalizeRegistryPath("HKLM\\System\\CurrentControlSet\\Services\\X");
 * // "HKEY_LOCAL_MACHINE\\System\\ControlSet001\\Services\\X"
 * normalizeRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Run");
 * // "HKEY_CURRENT_USER\\Software\\Run"
 * ```
 */
export function normalizeRegistryPath(path: string, options: NormalizeOptions = {}): string {
  const foldUsers = options.foldUsers ?? true;
  const { root, segments } = splitRegistryPath(path);
  let outRoot = root;
  if (root === "HKEY_CLASSES_ROOT") {
    outRoot = "HKEY_LOCAL_MACHINE";
    segments.unshift("SOFTWARE", "Classes");
  } else if (root === "HKEY_USERS" && foldUsers) {
    outRoot = "HKEY_CURRENT_USER";
    const user = segments.shift();
    if (user !== undefined && /_Classes$/i.test(user)) segments.unshift("Software", "Classes");
  } else if (root === "HKEY_CURRENT_USER" && !foldUsers) {
    outRoot = "HKEY_CURRENT_USER";
  }
  if (
    outRoot === "HKEY_LOCAL_MACHINE" && segments.length >= 2 &&
    segments[0]!.toUpperCase() === "SYSTEM" && segments[1]!.toUpperCase() === "CURRENTCONTROLSET"
  ) {
    segments[1] = `ControlSet${String(options.currentControlSet ?? 1).padStart(3, "0")}`;
  }
  if (outRoot === undefined) return segments.join("\\");
  return segments.length === 0 ? outRoot : `${outRoot}\\${segments.join("\\")}`;
}
