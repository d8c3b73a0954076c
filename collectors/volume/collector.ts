/**
 * The volume collector: one `VolumeItem` per mounted volume of the live host
 * (Linux: every mount of this mount namespace; Windows: every drive letter
 * and mounted volume), from its platform's source. Volumes are live state
 * only: there is no offline source.
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
import { linuxVolumeSource } from "./linux_source.ts";
import { windowsVolumeSource } from "./windows_source.ts";
import { toVolumeItem, volumeDocument, type VolumeRecord } from "./volume_record.ts";

/** The collector's name. */
export const volumeCollectorName = "volume";
/** The documents it produces. */
export const volumeDocuments: readonly string[] = [volumeDocument];
/** The most volumes read (a container host can hold thousands of mounts). */
export const maxVolumes = 50_000;

/** How the collector is made. */
export interface VolumeCollectorOptions {
  /** The source; by default the live one of `platform`. */
  readonly source?: TableSource<VolumeRecord>;
  readonly platform?: string;
  readonly observe?: () => Observation;
  readonly maxObjects?: number;
}

/** The live source of a platform, or undefined when iocscan has none there. */
export function liveVolumeSource(platform: string): TableSource<VolumeRecord> | undefined {
  if (platform === "linux") return linuxVolumeSource();
  if (platform === "windows") return windowsVolumeSource();
  return undefined;
}

/** Creates the volume collector. */
export function createVolumeCollector(
  options: VolumeCollectorOptions = {},
): Collector & { readonly stats: Readonly<TableStats> } {
  const platform = options.platform ?? Deno.build.os;
  const source = options.source ?? liveVolumeSource(platform) ?? {
    name: `volumes:${platform}`,
    read: () =>
      Promise.resolve({
        ok: false as const,
        object: `volumes:${platform}`,
        detail: `iocscan has no volume source on ${platform}`,
      }),
  };
  return createTableCollector({
    name: volumeCollectorName,
    document: volumeDocument,
    source,
    toItem: toVolumeItem,
    maxObjects: options.maxObjects ?? maxVolumes,
    ...(options.observe ? { observe: options.observe } : {}),
  });
}
