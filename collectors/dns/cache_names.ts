/**
 * The names in the resolver cache, for matching network indicators
 * (`Network/DNS`, URI hosts) against what the host looked up: the same
 * sources as the dns collector, read once, reduced to names.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import type { TableSource } from "../net_table/mod.ts";
import { liveDnsSource } from "./collector.ts";
import { dataText, type DnsRecord } from "./dns_record.ts";

/** One name of the cache: the record's name, its type, and its data (`1.2.3.4`, a CNAME target). */
export interface DnsCacheName {
  readonly name: string;
  readonly type: string;
  readonly data?: string;
  /** The name that was looked up, when it differs (along a CNAME chain). */
  readonly host?: string;
}

/**
 * The names, and the source or part of it that could not be read (then the scan is incomplete):
 * `names` is empty when nothing was read, and holds what was read when only a part was.
 */
export interface DnsCacheNames {
  readonly names: readonly DnsCacheName[];
  /** The source that could not be read, and why: report it as a `source-unavailable` skip. */
  readonly skip?: { readonly object: string; readonly detail: string };
}

/**
 * Reads the resolver cache of this host (no wire query) and lists its names.
 *
 * @example
 * ```ts ignore
 * import { readDnsCacheNames } from "./cache_names.ts";
 * const { names, skip } = await readDnsCacheNames();
 * if (skip) console.error(`${skip.object}: ${skip.detail}`);
 * else console.log(names.map((entry) => entry.name));
 * ```
 */
export async function readDnsCacheNames(
  options: {
    readonly platform?: string;
    readonly source?: TableSource<DnsRecord>;
    readonly runner?: CommandRunner;
    readonly signal?: AbortSignal;
  } = {},
): Promise<DnsCacheNames> {
  const platform = options.platform ?? Deno.build.os;
  const source = options.source ?? liveDnsSource(platform, options.runner);
  if (source === undefined) {
    return {
      names: [],
      skip: {
        object: `dns-cache:${platform}`,
        detail: `iocscan has no DNS cache source on ${platform}`,
      },
    };
  }
  const read = await source.read(options.signal);
  if (!read.ok) return { names: [], skip: { object: read.object, detail: read.detail } };
  // A table read only in part: its names are kept, and the part not read is the skip.
  const unread = read.unread ?? [];
  const skip = unread.length === 0 ? undefined : {
    object: unread[0]!.object,
    detail: unread.map((part) => part.detail).join("; "),
  };
  return {
    ...(skip ? { skip } : {}),
    names: read.rows.map((record) => {
      const data = dataText(record);
      return {
        name: record.recordName,
        type: record.recordType,
        ...(data === "" ? {} : { data }),
        ...(record.host === record.recordName ? {} : { host: record.host }),
      };
    }),
  };
}
