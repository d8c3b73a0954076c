/**
 * Resolving a registry path, written any way an IOC or a user writes it, to
 * the mounted hives that hold it.
 *
 * @module
 */
import { splitRegistryPath } from "./hive_names.ts";
import { recordNumber } from "./hive_mount.ts";
import type { RegistryMount } from "./source.ts";

/** A key path inside one mount. */
export interface ResolvedPath {
  /** The mounted hive the key belongs to. */
  mount: RegistryMount;
  /** Segments below the mount. */
  segments: string[];
}

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/**
 * Replaces a leading `CurrentControlSet` in a SYSTEM hive path with the
 * control set that Select\Current names (ControlSet001 when unreadable).
 */
export function resolveCurrentControlSet(mount: RegistryMount, segments: string[]): string[] {
  if (
    mount.role !== "SYSTEM" || segments.length === 0 || !same(segments[0]!, "CurrentControlSet")
  ) {
    return segments;
  }
  const current = recordNumber(mount.readValue(["Select"], "Current")) ?? 1;
  return [`ControlSet${String(current).padStart(3, "0")}`, ...segments.slice(1)];
}

/**
 * The mounts and in-hive segments that a path names:
 * - `HKLM\<MOUNT>\…` and `HKU\<MOUNT>\…` name the mount with that name;
 * - `HKCU\Software\Classes\…` names every UsrClass hive, other `HKCU\…` paths
 *   every NTUSER hive;
 * - `HKCR\…` names `HKLM\SOFTWARE\Classes\…`;
 * - a path without a root is tried as `HKLM\…`, as `HKCU\…` and relative to
 *   the root of every other hive (`Microsoft\…` in SOFTWARE,
 *   `CurrentControlSet\…` in SYSTEM), as IOCs write `RegistryItem/KeyPath`.
 *
 * @example
 * ```ts
 * import { resolveRegistryPath } from "./resolve.ts";
 * import type { RegistryMount } from "./source.ts";
 * const mounts: RegistryMount[] = [];
 * resolveRegistryPath("HKLM\\SYSTEM\\CurrentControlSet\\Services", mounts);
 * ```
 */
export function resolveRegistryPath(
  path: string,
  mounts: readonly RegistryMount[],
): ResolvedPath[] {
  const { root, segments } = splitRegistryPath(path);
  const out: ResolvedPath[] = [];
  const add = (mount: RegistryMount, rest: string[]) =>
    out.push({ mount, segments: resolveCurrentControlSet(mount, rest) });
  const byMount = (rootName: string, rest: string[]) => {
    if (rest.length === 0) return;
    for (const mount of mounts) {
      if (mount.root === rootName && same(mount.mountPath, rest[0]!)) add(mount, rest.slice(1));
    }
  };
  const currentUser = (rest: string[]) => {
    const classes = rest.length >= 2 && same(rest[0]!, "Software") && same(rest[1]!, "Classes");
    for (const mount of mounts) {
      if (mount.role === "NTUSER") add(mount, rest);
      else if (classes && mount.role === "USRCLASS") add(mount, rest.slice(2));
    }
  };
  switch (root) {
    case "HKEY_LOCAL_MACHINE":
      byMount("HKEY_LOCAL_MACHINE", segments);
      break;
    case "HKEY_USERS":
      byMount("HKEY_USERS", segments);
      break;
    case "HKEY_CURRENT_USER":
      currentUser(segments);
      break;
    case "HKEY_CLASSES_ROOT":
      byMount("HKEY_LOCAL_MACHINE", ["SOFTWARE", "Classes", ...segments]);
      break;
    case undefined:
      byMount("HKEY_LOCAL_MACHINE", segments);
      currentUser(segments);
      if (segments.length > 0) {
        for (const mount of mounts) if (mount.role !== "NTUSER") add(mount, segments);
      }
      break;
    default:
      break;
  }
  return out;
}
