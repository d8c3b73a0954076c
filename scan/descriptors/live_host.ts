/**
 * The one rule of the live host-table descriptors (dns, arp, route): they
 * read the live host of Linux or Windows, and never during a scan of
 * offline evidence.
 *
 * @module
 */
import type { ScanEvidence } from "../collector_descriptor.ts";

/** The platforms whose live host tables iocscan reads. */
const livePlatforms: ReadonlySet<string> = new Set(["linux", "windows"]);

/** Why a live host-table collector has nothing to read here, or undefined when it has. */
export function liveHostSource(evidence: ScanEvidence, platform: string): string | undefined {
  if (evidence.offline) {
    return "a scan of offline evidence never reads the live host's tables";
  }
  if (!livePlatforms.has(platform)) return `no live source on ${platform}`;
  return undefined;
}
