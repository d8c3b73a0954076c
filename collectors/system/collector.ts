/**
 * The system collector: the one `SystemInfoItem` of the live host (Linux
 * through Deno and `/proc`, Windows through CIM) or of each host of offline
 * evidence (its SOFTWARE and SYSTEM hives).
 *
 * @module
 */
import type { Collector } from "../collector.ts";
import {
  createTableCollector,
  type Observation,
  type TableSource,
  type TableStats,
} from "../net_table/mod.ts";
import { hiveSystemSource } from "./hive_source.ts";
import { linuxSystemSource } from "./linux_source.ts";
import { systemDocument, type SystemInfo, toSystemInfoItem } from "./system_info.ts";
import { cimSystemSource } from "./windows_cim.ts";

/** The collector's name. */
export const systemCollectorName = "system";
/** The documents it produces. */
export const systemDocuments: readonly string[] = [systemDocument];
/** The most hosts described in one run (one per mounted root). */
export const maxSystemObjects = 1000;

/** How the collector is made. */
export interface SystemCollectorOptions {
  readonly source?: TableSource<SystemInfo>;
  readonly platform?: string;
  readonly hives?: readonly string[];
  readonly roots?: readonly string[];
  readonly observe?: () => Observation;
}

/** The live source of a platform, or undefined when iocscan has none there. */
export function liveSystemSource(platform: string): TableSource<SystemInfo> | undefined {
  if (platform === "linux") return linuxSystemSource();
  if (platform === "windows") return cimSystemSource();
  return undefined;
}

/** Creates the system collector. */
export function createSystemCollector(
  options: SystemCollectorOptions = {},
): Collector & { readonly stats: Readonly<TableStats> } {
  const platform = options.platform ?? Deno.build.os;
  const offline = (options.hives?.length ?? 0) > 0 || (options.roots?.length ?? 0) > 0;
  const source = options.source ??
    (offline
      ? hiveSystemSource(options.hives ?? [], options.roots ?? [])
      : liveSystemSource(platform)) ??
    unsupported(platform);
  return createTableCollector({
    name: systemCollectorName,
    document: systemDocument,
    source,
    toItem: (info, observation) => toSystemInfoItem(info, observation, source.name),
    maxObjects: maxSystemObjects,
    ...(options.observe ? { observe: options.observe } : {}),
  });
}

function unsupported(platform: string): TableSource<SystemInfo> {
  return {
    name: `system:${platform}`,
    read: () =>
      Promise.resolve({
        ok: false,
        object: `system:${platform}`,
        detail: `iocscan has no system source on ${platform}`,
      }),
  };
}
