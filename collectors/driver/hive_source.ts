/**
 * The kernel drivers of offline evidence: the kernel-mode entries (`Type`
 * 0x1, 0x2, 0x8) of the SYSTEM hive's current control set, their images
 * found below a mounted root when one is given (the service collector's hive
 * source, collectors/service/). They are configured, not loaded: ModuleItem,
 * which lists loaded modules, is unread offline.
 *
 * @module
 */
import { hiveServiceSource, type OfflineRoot } from "../service/mod.ts";
import type { DriverSource, DriverSourceResult } from "./driver_source.ts";

/** The drivers of the SYSTEM hives among the evidence. */
export function hiveDriverSource(
  evidence: { hives: readonly string[]; roots: readonly OfflineRoot[] },
): DriverSource {
  const services = hiveServiceSource({ ...evidence, documents: ["DriverItem"] });
  return {
    name: "system-hive",
    async read(): Promise<DriverSourceResult> {
      const read = await services.read();
      return {
        records: read.entries.filter((entry) => entry.kind === "driver").map((entry) => ({
          name: entry.name,
          key: entry.sourceKey,
          loaded: false,
          ...(entry.path !== undefined ? { path: entry.path } : {}),
          ...(entry.pathOpen !== undefined ? { pathOpen: entry.pathOpen } : {}),
          ...(entry.notOpened !== undefined ? { notOpened: entry.notOpened } : {}),
          ...(entry.source !== undefined ? { source: entry.source } : {}),
          ...(entry.time !== undefined ? { time: entry.time } : {}),
        })),
        skips: [
          ...read.skips,
          {
            object: "ModuleItem",
            reason: "unsupported",
            detail:
              "a hive lists configured drivers, not the modules loaded: ModuleItem is not read offline",
            unreadDocuments: ["ModuleItem"],
          },
        ],
        warnings: read.warnings,
      };
    },
  };
}
