/**
 * The arp collector: one `ArpEntryItem` per neighbour-table entry (IPv4 ARP
 * and IPv6 NDP), from the live host's source for its platform. Entries
 * without a link-layer address (incomplete or failed resolutions) are kept,
 * without `PhysicalAddress`: that the host tried to reach an address is
 * itself evidence.
 *
 * @module
 */
import type { Collector } from "../collector.ts";
import type { CommandRunner } from "../live/mod.ts";
import {
  createTableCollector,
  type Observation,
  type TableSource,
  type TableStats,
} from "../net_table/mod.ts";
import { arpDocument, type ArpEntry, toArpItem } from "./arp_entry.ts";
import { linuxArpSource } from "./linux_source.ts";
import { windowsArpSource } from "./windows_source.ts";

/** The collector's name. */
export const arpCollectorName = "arp";
/** The documents it produces. */
export const arpDocuments: readonly string[] = [arpDocument];
/** The most entries read (a neighbour table is rarely past a few thousand). */
export const maxArpEntries = 100_000;

/** How the collector is made. */
export interface ArpCollectorOptions {
  /** The source; by default the live one of `platform`. */
  readonly source?: TableSource<ArpEntry>;
  readonly platform?: string;
  readonly runner?: CommandRunner;
  readonly observe?: () => Observation;
  readonly maxObjects?: number;
}

/** The live source of a platform, or undefined when iocscan has none there. */
export function liveArpSource(
  platform: string,
  runner?: CommandRunner,
): TableSource<ArpEntry> | undefined {
  const options = runner ? { runner } : {};
  if (platform === "linux") return linuxArpSource(options);
  if (platform === "windows") return windowsArpSource(options);
  return undefined;
}

/** Creates the arp collector. */
export function createArpCollector(
  options: ArpCollectorOptions = {},
): Collector & { readonly stats: Readonly<TableStats> } {
  const source = options.source ??
    liveArpSource(options.platform ?? Deno.build.os, options.runner) ??
    unsupported(options.platform ?? Deno.build.os);
  return createTableCollector({
    name: arpCollectorName,
    document: arpDocument,
    source,
    toItem: toArpItem,
    maxObjects: options.maxObjects ?? maxArpEntries,
    ...(options.observe ? { observe: options.observe } : {}),
  });
}

function unsupported(platform: string): TableSource<ArpEntry> {
  return {
    name: `neighbour-table:${platform}`,
    read: () =>
      Promise.resolve({
        ok: false,
        object: `neighbour-table:${platform}`,
        detail: `iocscan has no neighbour-table source on ${platform}`,
      }),
  };
}
