/**
 * The dns collector: one `DnsRecordItem` per dns-cache entry (IPv4 ARP
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
import { dnsDocument, type DnsRecord, toDnsItem } from "./dns_record.ts";
import { linuxDnsSource } from "./linux_source.ts";
import { windowsDnsSource } from "./windows_source.ts";

/** The collector's name. */
export const dnsCollectorName = "dns";
/** The documents it produces. */
export const dnsDocuments: readonly string[] = [dnsDocument];
/** The most entries read (systemd-resolved keeps 4096 by default). */
export const maxDnsRecords = 100_000;

/** How the collector is made. */
export interface DnsCollectorOptions {
  /** The source; by default the live one of `platform`. */
  readonly source?: TableSource<DnsRecord>;
  readonly platform?: string;
  readonly runner?: CommandRunner;
  readonly observe?: () => Observation;
  readonly maxObjects?: number;
}

/** The live source of a platform, or undefined when iocscan has none there. */
export function liveDnsSource(
  platform: string,
  runner?: CommandRunner,
): TableSource<DnsRecord> | undefined {
  const options = runner ? { runner } : {};
  if (platform === "linux") return linuxDnsSource(options);
  if (platform === "windows") return windowsDnsSource(options);
  return undefined;
}

/** Creates the dns collector. */
export function createDnsCollector(
  options: DnsCollectorOptions = {},
): Collector & { readonly stats: Readonly<TableStats> } {
  const source = options.source ??
    liveDnsSource(options.platform ?? Deno.build.os, options.runner) ??
    unsupported(options.platform ?? Deno.build.os);
  return createTableCollector({
    name: dnsCollectorName,
    document: dnsDocument,
    source,
    toItem: toDnsItem,
    maxObjects: options.maxObjects ?? maxDnsRecords,
    ...(options.observe ? { observe: options.observe } : {}),
  });
}

function unsupported(platform: string): TableSource<DnsRecord> {
  return {
    name: `dns-cache:${platform}`,
    read: () =>
      Promise.resolve({
        ok: false,
        object: `dns-cache:${platform}`,
        detail: `iocscan has no dns-cache source on ${platform}`,
      }),
  };
}
