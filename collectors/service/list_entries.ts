/**
 * Every service and driver of a system as plain entries, for the autoruns
 * view: the live Linux system's (unit files, init scripts) or the SYSTEM
 * hives' of offline evidence, each with its name, image (Windows form
 * offline), arguments, start mode and the key or file that configures it.
 *
 * @module
 */
import { hiveServiceSource, type OfflineRoot } from "./hive_source.ts";
import { linuxServiceSource } from "./linux_source.ts";
import type { ServiceSourceResult } from "./service_source.ts";

/**
 * The entries of offline evidence (when `hives` or `roots` are given) or of
 * the live system below `root` (Linux).
 *
 * @example
 * ```ts ignore
 * import { listServiceEntries } from "./mod.ts";
 * const { entries } = await listServiceEntries({ hives: ["/case/SYSTEM"], roots: [] });
 * for (const entry of entries) console.log(entry.kind, entry.name, entry.path, entry.mode);
 * ```
 */
export function listServiceEntries(
  evidence: { hives: readonly string[]; roots: readonly OfflineRoot[]; root?: string },
): Promise<ServiceSourceResult> {
  if (evidence.hives.length > 0 || evidence.roots.length > 0) {
    return hiveServiceSource({
      hives: evidence.hives,
      roots: evidence.roots,
      documents: ["ServiceItem", "DriverItem"],
    }).read();
  }
  return linuxServiceSource(evidence.root ?? "/").read();
}
