/**
 * Every service and driver of a system as plain entries, for the autoruns
 * view: the SYSTEM hives' of offline evidence, the live Linux system's (unit
 * files, init scripts) or the live Windows system's (Win32_Service and
 * Win32_SystemDriver), each with its name, image (Windows form on
 * Windows), arguments, start mode and the key or file that configures it.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import { hiveServiceSource, type OfflineRoot } from "./hive_source.ts";
import { linuxServiceSource } from "./linux_source.ts";
import type { ServiceSourceResult } from "./service_source.ts";
import { windowsDriverEntries } from "./windows_drivers.ts";
import { windowsServiceSource } from "./windows_source.ts";

/** What to list. */
export interface ServiceListEvidence {
  /** SYSTEM hive files (offline). */
  readonly hives: readonly string[];
  /** Mounted Windows volumes (offline). */
  readonly roots: readonly OfflineRoot[];
  /** Live: the platform (`Deno.build.os` by default). */
  readonly platform?: string;
  /** Live Linux: the root the unit files are read below (default `/`). */
  readonly root?: string;
  /** Live Windows, tests: recorded output of the service call, then of the driver call. */
  readonly runners?: readonly [CommandRunner, CommandRunner];
}

/**
 * The entries of offline evidence (when `hives` or `roots` are given), else
 * of the live system.
 *
 * @example
 * ```ts ignore
 * import { listServiceEntries } from "./mod.ts";
 * const { entries } = await listServiceEntries({ hives: ["/case/SYSTEM"], roots: [] });
 * for (const entry of entries) console.log(entry.kind, entry.name, entry.path, entry.mode);
 * ```
 */
export async function listServiceEntries(
  evidence: ServiceListEvidence,
): Promise<ServiceSourceResult> {
  if (evidence.hives.length > 0 || evidence.roots.length > 0) {
    return hiveServiceSource({
      hives: evidence.hives,
      roots: evidence.roots,
      documents: ["ServiceItem", "DriverItem"],
    }).read();
  }
  const platform = evidence.platform ?? Deno.build.os;
  if (platform === "windows") {
    // Recorded output (tests) stands for CIM only; live, the SCM is asked first.
    const recorded = evidence.runners !== undefined;
    const services = await windowsServiceSource(
      evidence.runners?.[0],
      undefined,
      recorded ? null : undefined,
    ).read();
    const drivers = await windowsDriverEntries(
      evidence.runners?.[1],
      undefined,
      recorded ? null : undefined,
    );
    return {
      entries: [...services.entries, ...drivers.entries],
      skips: [...services.skips, ...drivers.skips],
      warnings: [...services.warnings, ...drivers.warnings],
    };
  }
  return linuxServiceSource(evidence.root ?? "/").read();
}
