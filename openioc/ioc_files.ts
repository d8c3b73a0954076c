/**
 * Finding IOC files: explicit files are taken whatever their name, folders are
 * walked recursively for `.ioc` and `.xml` files.
 *
 * @module
 */
import { join } from "node:path";
import type { LoadWarning } from "./model.ts";

/** The result of expanding the paths given on the command line. */
export interface FoundIocFiles {
  /** Files to load, sorted by path (code-unit order) and without repeats. */
  files: string[];
  /** Given paths that do not exist or cannot be examined, with the reason. */
  missing: { file: string; error: string }[];
  /** Folders or entries that were skipped. */
  warnings: LoadWarning[];
}

const iocExtension = /\.(?:ioc|xml)$/i;

/**
 * Expands files and folders into the sorted list of IOC files to load.
 * Symbolic links to files are followed; symbolic links to folders are not
 * (that is how walks loop), and are reported.
 *
 * @example
 * ```ts
 * import { findIocFiles } from "./ioc_files.ts";
 * const { files } = await findIocFiles(["./iocs"]);
 * ```
 */
export async function findIocFiles(paths: readonly string[]): Promise<FoundIocFiles> {
  const files = new Set<string>();
  const missing: { file: string; error: string }[] = [];
  const warnings: LoadWarning[] = [];
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
    if (info.isDirectory) await walk(path, files, warnings);
    else files.add(path);
  }
  return { files: [...files].sort(compareCodeUnits), missing, warnings };
}

async function walk(folder: string, files: Set<string>, warnings: LoadWarning[]): Promise<void> {
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
        if (iocExtension.test(entry.name)) warnings.push(notRegularFile(path));
      } else {
        let target: Deno.FileInfo;
        try {
          target = await Deno.stat(path);
        } catch (error) {
          if (iocExtension.test(entry.name)) {
            warnings.push({
              file: path,
              code: "broken-symlink",
              message: `skipped: ${describeFsError(error)}`,
            });
          }
          continue;
        }
        if (target.isFile && iocExtension.test(entry.name)) files.add(path);
        else if (!target.isFile && !target.isDirectory && iocExtension.test(entry.name)) {
          warnings.push(notRegularFile(path));
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

/** FIFOs, sockets and devices are never opened: reading a FIFO would block the load. */
function notRegularFile(path: string): LoadWarning {
  return {
    file: path,
    code: "not-a-regular-file",
    message: "skipped: not a regular file (a FIFO, socket or device is never opened)",
  };
}

/** Plain code-unit order, the same on every platform and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A short reason for a file-system error. */
export function describeFsError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file or folder";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
