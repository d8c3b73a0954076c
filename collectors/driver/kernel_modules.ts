/**
 * Linux kernel modules: `/proc/modules` parsed, and each module's file found
 * by name below `/lib/modules/<release>` (no `modinfo`: a module named
 * `nf_tables` is `nf_tables.ko`, `.ko.xz`, `.ko.zst` or `.ko.gz`, with `-`
 * and `_` the same). The module tree is walked once, bounded by
 * {@linkcode maxModuleTreeEntries}, following no link.
 *
 * @module
 */
import { join } from "node:path";

/** One line of `/proc/modules`. */
export interface KernelModule {
  name: string;
  /** Bytes of the module's core. */
  size: number;
  /** Modules using it. */
  usedBy: string[];
  /** `Live`, `Loading`, `Unloading`. */
  state: string;
  /** The load address; 0 when the kernel hides it (no CAP_SYSLOG, kptr_restrict). */
  address?: bigint;
  /**
   * The kernel taint flags the module set, as `/proc/modules` shows them in parentheses:
   * `E` unsigned, `O` out-of-tree, `P` proprietary, `F` force-loaded, `C` staging.
   */
  taint?: string;
}

/** The taint flag of a module loaded without a valid signature. */
export const unsignedTaint = "E";

/** The most entries of the module tree looked at. */
export const maxModuleTreeEntries = 200_000;
/** The largest `/proc/modules` read. */
export const maxProcModulesBytes = 4 * 1024 * 1024;

/** The module file name endings, compressed or not. */
const moduleFile = /^(.+)\.ko(\.xz|\.zst|\.gz)?$/;

/** Parses `/proc/modules` (`name size refs deps state address`); odd lines are left out. */
export function parseProcModules(text: string): KernelModule[] {
  const modules: KernelModule[] = [];
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 5 || !/^\d+$/.test(parts[1]!)) continue;
    const module: KernelModule = {
      name: parts[0]!,
      size: Number(parts[1]),
      usedBy: parts[3] === "-" ? [] : parts[3]!.split(",").filter((name) => name !== ""),
      state: parts[4]!,
    };
    const address = parts[5];
    if (address !== undefined && /^0x[0-9a-f]+$/i.test(address)) module.address = BigInt(address);
    const taint = /^\(([A-Z]+)\)$/.exec(parts[6] ?? "")?.[1];
    if (taint !== undefined) module.taint = taint;
    modules.push(module);
  }
  return modules;
}

/** The canonical spelling of a module name: `-` as `_`. */
export function moduleKey(name: string): string {
  return name.replaceAll("-", "_");
}

/**
 * The module files below `dir` (`/lib/modules/<release>`), by
 * {@linkcode moduleKey}; the first found wins. Stops at `limit` entries
 * (then `capped`).
 */
export async function indexModuleFiles(
  dir: string,
  limit: number = maxModuleTreeEntries,
): Promise<{ files: Map<string, string>; capped: boolean; missing: boolean }> {
  const files = new Map<string, string>();
  const stack = [dir];
  let seen = 0;
  let missing = false;
  while (stack.length > 0) {
    const folder = stack.pop()!;
    let entries: Deno.DirEntry[];
    try {
      entries = [];
      for await (const entry of Deno.readDir(folder)) entries.push(entry);
    } catch {
      if (folder === dir) missing = true;
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (++seen > limit) return { files, capped: true, missing };
      if (entry.isSymlink) continue;
      if (entry.isDirectory) stack.push(join(folder, entry.name));
      const match = entry.isFile ? moduleFile.exec(entry.name) : null;
      if (match && !files.has(moduleKey(match[1]!))) {
        files.set(moduleKey(match[1]!), join(folder, entry.name));
      }
    }
  }
  return { files, capped: false, missing };
}
