/**
 * Finding IOC files: explicit files are taken whatever their name, folders are
 * walked recursively for `.ioc` and `.xml` files.
 *
 * @module
 */
import { join, sep } from "node:path";
import type { LoadWarning } from "./model.ts";

/** The result of expanding the paths given on the command line. */
export interface FoundIocFiles {
  /** Files to load, sorted by path (code-unit order) and without repeats. */
  files: string[];
  /** Given paths that do not exist or cannot be examined, with the reason. */
  missing: { file: string; error: string }[];
  /**
   * IOC files (`.ioc`/`.xml`) found in a folder that cannot be loaded, with the reason: FIFOs,
   * sockets and devices, broken links, and links that leave the folder.
   */
  refused: { file: string; error: string }[];
  /** Folders or entries that were skipped. */
  warnings: LoadWarning[];
}

const iocExtension = /\.(?:ioc|xml)$/i;

/** Options of {@linkcode findIocFiles}. */
export interface FindIocFilesOptions {
  /**
   * Follow symbolic links found in a folder whose target is outside that folder (default false:
   * they are refused). Paths named explicitly are always followed.
   */
  followLinks?: boolean;
}

/**
 * Expands files and folders into the sorted list of IOC files to load.
 * Symbolic links to files are followed while their target stays inside the
 * folder given; a link that leaves it (say, `evil.ioc` → `/proc/kmsg`) is
 * refused unless `followLinks` is set. Symbolic links to folders are never
 * followed (that is how walks loop), and are reported.
 *
 * @example
 * ```ts
 * import { findIocFiles } from "./ioc_files.ts";
 * const { files } = await findIocFiles(["./iocs"]);
 * ```
 */
export async function findIocFiles(
  paths: readonly string[],
  options: FindIocFilesOptions = {},
): Promise<FoundIocFiles> {
  const files = new Set<string>();
  const missing: { file: string; error: string }[] = [];
  const warnings: LoadWarning[] = [];
  const found: Found = { files, warnings, refused: [], followLinks: options.followLinks ?? false };
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      missing.push({ file: path, error: describeFsError(error) });
      continue;
    }
    // An explicit path that is not a regular file is rejected by the loader, which checks
    // before it reads.
    if (info.isDirectory) await walk(path, found);
    else files.add(path);
  }
  return { files: [...files].sort(compareCodeUnits), missing, refused: found.refused, warnings };
}

/** What a walk adds to. */
interface Found {
  files: Set<string>;
  warnings: LoadWarning[];
  refused: { file: string; error: string }[];
  followLinks: boolean;
}

async function walk(folder: string, found: Found): Promise<void> {
  const { files, warnings } = found;
  // Links are judged by where they really lead, against where the folder really is.
  let realFolder: string | undefined;
  try {
    realFolder = await Deno.realPath(folder);
  } catch {
    // Unreadable as a whole: reading its entries below says why.
  }
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(current));
    } catch (error) {
      warnings.push({
        file: current,
        code: "unreadable-folder",
        message: `folder skipped: ${describeFsError(error)}`,
      });
      continue;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.name.includes("\uFFFD")) {
        // Deno hands over a name that is not valid UTF-8 with U+FFFD in place of the bad
        // bytes, and that lossy name no longer opens the file.
        warnings.push({
          file: path,
          code: "invalid-name",
          message: "skipped: the name is not valid UTF-8 (bad bytes shown as U+FFFD), so it " +
            "cannot be opened; rename it or name the file explicitly through a link",
        });
      } else if (entry.isDirectory) {
        pending.push(path);
      } else if (entry.isFile) {
        if (iocExtension.test(entry.name)) files.add(path);
      } else if (!entry.isSymlink) {
        if (iocExtension.test(entry.name)) found.refused.push(notRegularFile(path));
      } else {
        let target: Deno.FileInfo;
        try {
          target = await Deno.stat(path);
        } catch (error) {
          if (iocExtension.test(entry.name)) {
            found.refused.push({
              file: path,
              error: `symbolic link to nothing readable: ${describeFsError(error)}`,
            });
          }
          continue;
        }
        if (!target.isDirectory && iocExtension.test(entry.name) && !found.followLinks) {
          const outside = await linkLeaves(path, realFolder);
          if (outside !== undefined) {
            found.refused.push({
              file: path,
              error:
                `symbolic link to ${outside}, outside the IOC folder ${folder}: not followed ` +
                "(--follow-ioc-links or the task key followIocLinks follows it)",
            });
            continue;
          }
        }
        if (target.isFile && iocExtension.test(entry.name)) files.add(path);
        else if (!target.isFile && !target.isDirectory && iocExtension.test(entry.name)) {
          found.refused.push(notRegularFile(path));
        } else if (target.isDirectory) {
          warnings.push({
            file: path,
            code: "symlink-folder-skipped",
            message: "symbolic link to a folder not followed (name the target to load it)",
          });
        }
      }
    }
  }
}

/** Where the link at `path` really leads when that is outside `realFolder`; undefined inside. */
async function linkLeaves(
  path: string,
  realFolder: string | undefined,
): Promise<string | undefined> {
  let target: string;
  try {
    target = await Deno.realPath(path);
  } catch (error) {
    return `an unresolvable target (${describeFsError(error)})`;
  }
  if (realFolder === undefined) return target;
  const prefix = realFolder.endsWith(sep) ? realFolder : realFolder + sep;
  return target.startsWith(prefix) ? undefined : target;
}

/** FIFOs, sockets and devices are never opened: reading a FIFO would block the load. */
function notRegularFile(path: string): { file: string; error: string } {
  return { file: path, error: "not a regular file (a FIFO, socket or device is never opened)" };
}

/** Plain code-unit order, the same on every platform and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A short reason for a file-system error. */
export function describeFsError(error: unknown): string {
  // Deno's errors, or node:fs ones (which carry the errno name as `code`).
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Deno.errors.NotFound || code === "ENOENT") return "no such file or folder";
  if (error instanceof Deno.errors.PermissionDenied || code === "EACCES" || code === "EPERM") {
    return "permission denied";
  }
  return error instanceof Error ? error.message : String(error);
}
