/**
 * Paths below a mounted Windows volume or triage folder (`--root`), shown as
 * the Windows paths they had: `/mnt/image/Windows/Temp/x.exe` is
 * `C:\Windows\Temp\x.exe`, which is how IOCs write paths.
 *
 * @module
 */

/** A mounted Windows volume and the drive its files are shown on. */
export interface ImageRoot {
  /** The folder the volume is mounted at (absolute). */
  path: string;
  /** The drive, `X:` (windows/drive_letters.ts tells it). */
  drive: string;
}

/** A file's path fields as the Windows volume had them. */
export interface WindowsView {
  /** `C:\Windows\Temp\x.exe`. */
  fullPath: string;
  /** `C:\Windows\Temp`; a file at the volume's root is in `C:\`. */
  folder: string;
  /** `C:`. */
  drive: string;
}

/** The Windows view of files below a set of roots; files elsewhere have none. */
export class ImagePaths {
  readonly #roots: { prefix: string; drive: string }[];
  readonly #separator: string;
  readonly #ignoreCase: boolean;

  /**
   * @param roots The roots, absolute.
   * @param os The OS the scan runs on: its separator, and whether case counts in a root.
   */
  constructor(roots: readonly ImageRoot[], os: string) {
    this.#separator = os === "windows" ? "\\" : "/";
    this.#ignoreCase = os === "windows";
    this.#roots = roots
      .map((root) => ({ prefix: this.#fold(withSeparator(root.path, this.#separator)), ...root }))
      // The deepest root first: a root mounted inside another one names its own files.
      .sort((a, b) => b.prefix.length - a.prefix.length)
      .map(({ prefix, drive }) => ({ prefix, drive }));
  }

  /**
   * The Windows view of the file at `fullPath` in `folder` (both as the walk
   * gives them), or undefined when it is below no root. A name holding a
   * backslash (possible on the mount, never on a Windows volume) shows it as
   * `\x5c`, so that it cannot pose as a path.
   */
  view(fullPath: string, folder: string): WindowsView | undefined {
    const folded = this.#fold(fullPath);
    for (const root of this.#roots) {
      if (!folded.startsWith(root.prefix) || folded.length === root.prefix.length) continue;
      const relativeFolder = folder.length < root.prefix.length
        ? ""
        : folder.slice(root.prefix.length);
      return {
        fullPath: `${root.drive}\\${this.#windowsRelative(fullPath.slice(root.prefix.length))}`,
        folder: `${root.drive}\\${this.#windowsRelative(relativeFolder)}`,
        drive: root.drive,
      };
    }
    return undefined;
  }

  #fold(path: string): string {
    return this.#ignoreCase ? path.toLowerCase() : path;
  }

  #windowsRelative(relative: string): string {
    if (this.#separator === "\\") return relative;
    return relative.split("/").map((name) => name.replaceAll("\\", "\\x5c")).join("\\");
  }
}

function withSeparator(path: string, separator: string): string {
  return path.endsWith(separator) ? path : path + separator;
}
