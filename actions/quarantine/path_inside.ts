/**
 * Whether a path is a place or lies under it, compared as the system compares names: exactly on
 * Linux, case-insensitively and with either separator on Windows (`C:\ProgramData\IOCSCAN\…` is
 * the store `C:\ProgramData\iocscan\…`). The quarantine's protected places are checked with it.
 *
 * @module
 */
import { posix, win32 } from "node:path";

/** True when `path` is `place` or lies under it. */
export function pathIsInside(
  path: string,
  place: string,
  os: typeof Deno.build.os = Deno.build.os,
): boolean {
  const windows = os === "windows";
  const flavour = windows ? win32 : posix;
  const fold = (name: string) => {
    const normal = flavour.normalize(name);
    return windows ? normal.toLowerCase() : normal;
  };
  const candidate = fold(path);
  const root = fold(place);
  const prefix = root.endsWith(flavour.sep) ? root : root + flavour.sep;
  return candidate === root || candidate === prefix.slice(0, -1) || candidate.startsWith(prefix);
}
