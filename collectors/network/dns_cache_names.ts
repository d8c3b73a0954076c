/**
 * The DNS resolver cache as the endpoint-network collector needs it: the
 * names this machine resolved, each with when it was seen. The cache itself
 * is read by the dns collector (collectors/dns/, `readDnsCacheNames()`); a
 * cache that cannot be read is `unavailable`, so a scan that needs it is
 * incomplete rather than clean.
 *
 * @module
 */
import { readDnsCacheNames } from "../dns/mod.ts";
import type { CommandRunner } from "../live/mod.ts";

/** One name of the resolver cache. */
export interface DnsCacheName {
  /** The record's name, as resolved (`www.evil.com`). */
  name: string;
  /** The record's type (`A`, `AAAA`, `CNAME`…), when known. */
  type?: string;
  /** The record's data (an address, a CNAME's target), when known. */
  data?: string;
  /** When it was observed, ISO 8601 UTC. */
  observed: string;
}

/** What reading the cache gave: its names, or why it could not be read at all. */
export type DnsCacheRead =
  | {
    readonly names: readonly DnsCacheName[];
    /** The part of the cache that could not be read (past a cap): the scan is incomplete. */
    readonly partial?: { readonly object: string; readonly detail: string };
  }
  | { readonly unavailable: string; readonly object?: string };

/** A source of the resolver cache's names. */
export interface DnsCacheNames {
  /** The source as skip records name it: `dns-cache`, `dns-cache:systemd-resolved`. */
  readonly source: string;
  /** Reads the cache once; never throws (a failure is `unavailable`). Sends no DNS query. */
  read(signal?: AbortSignal): Promise<DnsCacheRead>;
}

/**
 * The cache source of a live scan on `platform`: the dns collector's reader
 * (collectors/dns, `readDnsCacheNames()`, the same sources as `collect dns`),
 * reduced to names. A name looked up along a CNAME chain gives both names.
 *
 * @param platform `Deno.build.os` of the scanned machine.
 * @param runner starts the tools (`resolvectl`, PowerShell); tests replay recorded output.
 */
export function dnsCacheNamesFor(platform: string, runner?: CommandRunner): DnsCacheNames {
  return {
    source: "dns-cache",
    async read(signal) {
      const observed = new Date().toISOString();
      const read = await readDnsCacheNames({
        platform,
        ...(runner ? { runner } : {}),
        ...(signal ? { signal } : {}),
      });
      if (read.skip && read.names.length === 0) {
        return { unavailable: read.skip.detail, object: read.skip.object };
      }
      const names: DnsCacheName[] = [];
      for (const entry of read.names) {
        const known = { ...(entry.type ? { type: entry.type } : {}), observed };
        names.push({ name: entry.name, ...known, ...(entry.data ? { data: entry.data } : {}) });
        if (entry.host !== undefined) names.push({ name: entry.host, ...known });
      }
      return { names, ...(read.skip ? { partial: read.skip } : {}) };
    },
  };
}
