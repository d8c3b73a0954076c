/**
 * The checks before a worker reads a file for its digests, and the open:
 * regular files only, within the size cap, no link followed unless asked, and
 * never blocking on a FIFO.
 *
 * @module
 */
import type { FileFailure, HashRequest, SyncFsSubset, WorkerAnswer } from "./types.ts";

/**
 * The checks before a file is read for its digests, and the open: links,
 * FIFOs and devices are told from regular files without reading them, and
 * the open is non-blocking and does not follow a link (unless asked), so that
 * even a FIFO swapped in cannot block the worker. Where `fs` can describe an
 * open descriptor (`statOpened`) the file is opened first and checked through
 * it; otherwise `lstat` (Deno's own, so FFI does not widen what a restricted
 * run may read) comes before the open. Answers the request itself when the
 * file is not to be read (skip, or "split" for a large file).
 */
export function openForHashing(
  fs: SyncFsSubset,
  classify: (error: unknown) => FileFailure,
  request: HashRequest,
  windows: boolean,
): { fd: number; size: number } | WorkerAnswer {
  const byPath = () => {
    const checked = checkForHashing(classify, request);
    if (!("size" in checked)) return checked;
    const fd = openChecked(fs, classify, request, windows);
    return typeof fd === "number" ? { fd, size: checked.size } : fd;
  };
  if (fs.statOpened === undefined) return byPath();
  const fd = openChecked(fs, classify, request, windows);
  if (typeof fd !== "number") {
    // The same words as the check by path (the open says only ELOOP).
    return !("split" in fd) && !fd.ok && fd.reason === "symlink" && !request.followSymlinks
      ? { ok: false, reason: "symlink", detail: "symbolic link (not followed)" }
      : fd;
  }
  let answer: WorkerAnswer | undefined;
  try {
    const info = fs.statOpened(fd);
    const checked = checkedSize(info.isFile, info.size, request);
    if ("size" in checked) return { fd, size: checked.size };
    answer = checked;
  } catch (error) {
    // ENOSYS: the descriptor cannot be asked here (statx refused); the path is checked instead.
    if ((error as { code?: string }).code !== "ENOSYS") answer = { ok: false, ...classify(error) };
  }
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing to do about a failed close of a read-only descriptor.
  }
  return answer ?? byPath();
}

/**
 * The checks of {@linkcode openForHashing} by path, without the open: the
 * size of a regular file to read, or the answer for one not to be read.
 */
export function checkForHashing(
  classify: (error: unknown) => FileFailure,
  request: HashRequest,
): { size: number } | WorkerAnswer {
  try {
    const info = request.followSymlinks
      ? Deno.statSync(request.path)
      : Deno.lstatSync(request.path);
    if (info.isSymlink) {
      return { ok: false, reason: "symlink", detail: "symbolic link (not followed)" };
    }
    return checkedSize(info.isFile, info.size, request);
  } catch (error) {
    return { ok: false, ...classify(error) };
  }
}

/**
 * Whether a file of this kind and size is read for `request`: its size, or
 * the answer (not a regular file, over the size cap, or "split" for a large
 * file with several digests).
 */
export function checkedSize(
  isFile: boolean,
  size: number,
  request: HashRequest,
): { size: number } | WorkerAnswer {
  if (!isFile) return { ok: false, reason: "special-file", detail: "not a regular file" };
  if (request.maxSize !== undefined && size > request.maxSize) {
    return {
      ok: false,
      reason: "too-large",
      detail: `${size} bytes, over the ${request.maxSize}-byte cap`,
    };
  }
  if (
    request.splitAbove !== undefined && size >= request.splitAbove &&
    request.algorithms.length > 1
  ) {
    return { split: true };
  }
  return { size };
}

/**
 * Opens a file {@linkcode checkForHashing} passed: non-blocking, and without
 * following a link that appeared since.
 */
export function openChecked(
  fs: SyncFsSubset,
  classify: (error: unknown) => FileFailure,
  request: HashRequest,
  windows: boolean,
): number | WorkerAnswer {
  try {
    const flags = windows ? "r" : fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) |
      (request.followSymlinks ? 0 : fs.constants.O_NOFOLLOW ?? 0);
    return fs.openSync(request.path, flags);
  } catch (error) {
    return { ok: false, ...classify(error) };
  }
}
