/**
 * The DNS resolver cache as the endpoint-network collector needs it: the
 * names this machine resolved, each with when it was seen. The cache itself
 * is read by the dns collector (collectors/dns/, `readDnsCacheNames()`, on
 * another branch); until it is wired here, {@linkcode dnsCacheNamesFor}
 * answers that the source is unavailable, so a scan that needs it is
 * incomplete rather than clean.
 *
 * @module
 */

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
  | { readonly names: readonly DnsCacheName[] }
  | { readonly unavailable: string };

/** A source of the resolver cache's names. */
export interface DnsCacheNames {
  /** The source as skip records name it: `dns-cache`, `dns-cache:systemd-resolved`. */
  readonly source: string;
  /** Reads the cache once; never throws (a failure is `unavailable`). Sends no DNS query. */
  read(signal?: AbortSignal): Promise<DnsCacheRead>;
}

/** Why the cache is not read yet: said in the skip record of every scan that needs it. */
export const dnsCacheNotWired =
  "the resolver cache reader (collectors/dns, readDnsCacheNames) is not wired into endpoint-network yet";

/**
 * The cache source of a live scan on `platform`. A stub until the dns
 * collector's reader is wired: it always answers unavailable.
 *
 * @param _platform `Deno.build.os` of the scanned machine.
 */
export function dnsCacheNamesFor(_platform: string): DnsCacheNames {
  return {
    source: "dns-cache",
    read: () => Promise.resolve({ unavailable: dnsCacheNotWired }),
  };
}
