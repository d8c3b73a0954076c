/**
 * The live disk source of a platform.
 *
 * @module
 */
import type { DiskSource } from "./disk_source.ts";
import { linuxDiskSource } from "./linux_source.ts";
import { windowsDiskSource } from "./windows_source.ts";

/** The live disk source of `platform`, or undefined where iocscan has none. */
export function liveDiskSource(platform: string): DiskSource | undefined {
  if (platform === "linux") return linuxDiskSource();
  if (platform === "windows") return windowsDiskSource();
  return undefined;
}
