/**
 * Where an entry's image is opened on the scanning machine: the path itself
 * on the live system (a bare name searched in the system folders, as Windows
 * and the shell would), or the file below a mounted root that had the
 * image's drive (found case-insensitively, never through a link out of the
 * root). An image that is not there has no place: its digests are unknown.
 *
 * @module
 */
import { join } from "node:path";
import { linkOutOfRoot } from "../evidence_root.ts";
import { findPath } from "../registry/mod.ts";
import type { WindowsVolume } from "./windows_sources.ts";

/** Finds an image: its path on this machine, or undefined. */
export type ImageLocator = (imagePath: string) => string | undefined;

/** Where a POSIX shell finds a bare command name. */
const posixSearchPath = [
  "/usr/local/sbin",
  "/usr/local/bin",
  "/usr/sbin",
  "/usr/bin",
  "/sbin",
  "/bin",
];
/** Where Windows finds a bare image name, below the Windows folder. */
const windowsSearchFolders = [["System32"], []];

function isFile(path: string, follow: boolean): boolean {
  try {
    return (follow ? Deno.statSync(path) : Deno.lstatSync(path)).isFile;
  } catch {
    return false;
  }
}

/** Linux: below `root` (`/` live); a bare name is searched on the usual PATH. */
export function posixImageLocator(root = "/"): ImageLocator {
  const live = root === "/";
  const inRoot = (path: string) => {
    const osPath = live ? path : join(root, path);
    if (!live && linkOutOfRoot(osPath, root) !== undefined) return undefined;
    return isFile(osPath, live) ? osPath : undefined;
  };
  return (imagePath) => {
    if (imagePath.startsWith("/")) return inRoot(imagePath);
    if (imagePath.includes("/")) return undefined;
    for (const folder of posixSearchPath) {
      const found = inRoot(`${folder}/${imagePath}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

/** Live Windows: the path as it is; a bare name in System32, then the Windows folder. */
export function liveWindowsImageLocator(systemRoot: string): ImageLocator {
  return (imagePath) => {
    if (/^[A-Za-z]:\\|^\\\\/.test(imagePath)) {
      return isFile(imagePath, true) ? imagePath : undefined;
    }
    if (/[\\/]/.test(imagePath)) return undefined;
    for (const folder of windowsSearchFolders) {
      const path = [systemRoot, ...folder, imagePath].join("\\");
      if (isFile(path, true)) return path;
    }
    return undefined;
  };
}

/**
 * Offline: `X:\a\b.exe` below the volume mounted for drive `X:`; a bare name
 * in that volume's `Windows\System32`, then `Windows` (of the first volume).
 */
export function volumeImageLocator(volumes: readonly WindowsVolume[]): ImageLocator {
  const below = (volume: WindowsVolume, segments: readonly string[]) => {
    const path = findPath(volume.path, segments);
    if (path === undefined || linkOutOfRoot(path, volume.path) !== undefined) return undefined;
    return isFile(path, false) ? path : undefined;
  };
  return (imagePath) => {
    const drive = /^([A-Za-z]:)\\(.*)$/.exec(imagePath);
    if (drive) {
      const volume = volumes.find((v) => v.drive.toUpperCase() === drive[1]!.toUpperCase());
      const segments = drive[2]!.split("\\").filter((part) => part !== "");
      return volume === undefined || segments.length === 0 ? undefined : below(volume, segments);
    }
    if (/[\\/]/.test(imagePath) || volumes.length === 0) return undefined;
    for (const folder of windowsSearchFolders) {
      const found = below(volumes[0]!, ["Windows", ...folder, imagePath]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}
