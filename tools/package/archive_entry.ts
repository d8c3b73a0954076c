/**
 * One file of a release archive, as the tar and zip writers and readers of `tools/package/`
 * exchange it: a `/`-separated relative path, the bytes and the Unix mode.
 *
 * @module
 */

/** The mode of an ordinary file in a package (rw-r--r--). */
export const FILE_MODE = 0o644;
/** The mode of an executable in a package (rwxr-xr-x): deno, the launcher, install.sh. */
export const EXECUTABLE_MODE = 0o755;

/** A file in an archive. */
export type ArchiveEntry = {
  /** Relative path with `/` separators, never absolute, never with `..`. */
  path: string;
  /** The file's content. */
  data: Uint8Array;
  /** Unix permission bits (FILE_MODE or EXECUTABLE_MODE). */
  mode: number;
};

/**
 * Throws unless `path` is a plain relative path an extractor cannot be led outside its folder
 * by: no leading `/`, no drive letter, no `\`, no empty, `.` or `..` segment.
 */
export function assertSafeArchivePath(path: string): void {
  const segments = path.split("/");
  const unsafe = path.length === 0 || path.includes("\\") || /^[A-Za-z]:/.test(path) ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (unsafe) throw new Error(`unsafe archive path: ${JSON.stringify(path)}`);
}
