/**
 * The image a service really runs when its command line is unquoted and has
 * spaces before the image's end: the first of {@linkcode earlierImages} that
 * exists as a file (the classic unquoted-service-path hijack,
 * `C:\Program.exe` before `C:\Program Files\Vendor App\svc.exe`). The entry
 * then names that image, with the rest of the line as its arguments, and a
 * warning says which configured image it shadows.
 *
 * @module
 */
import { statSync } from "node:fs";
import type { SplitImagePath } from "./image_path.ts";
import type { ServiceEntry } from "./service_entry.ts";

/** The warning code of a service whose unquoted command line runs an earlier image. */
export const unquotedImageWarning = "service-unquoted-image";

/**
 * Points `entry` at the first of its earlier images that `locate` finds (a
 * regular file; `locate` gives where this machine opens it), and returns the
 * warning to report; undefined, and the entry untouched, when none exists.
 */
export function takeEarlierImage(
  entry: ServiceEntry,
  earlier: readonly SplitImagePath[],
  locate: (windowsPath: string) => string | undefined,
): { code: string; message: string } | undefined {
  for (const candidate of earlier) {
    const open = locate(candidate.path);
    if (open === undefined) continue;
    const configured = entry.path;
    entry.path = candidate.path;
    entry.arguments = candidate.arguments;
    entry.pathOpen = open;
    return {
      code: unquotedImageWarning,
      message: `${entry.name}: its unquoted command line runs ${candidate.path}, ` +
        `which exists, before the configured ${configured}`,
    };
  }
  return undefined;
}

/** Live: the path itself when it is an absolute `C:\\…` path to a regular file. */
export function liveImageFile(windowsPath: string): string | undefined {
  if (!/^[A-Za-z]:\\/.test(windowsPath)) return undefined;
  try {
    return statSync(windowsPath).isFile() ? windowsPath : undefined;
  } catch {
    return undefined;
  }
}
