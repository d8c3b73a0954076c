/**
 * Opening files for reading without ever blocking on a FIFO, in this thread
 * (asynchronous `node:fs` calls): the in-process hasher's opener and the one
 * the file collector reads PE headers through.
 *
 * @module
 */
import * as nodeFs from "node:fs";
import type { FileOpener } from "./types.ts";

/** The part of `node:fs` that {@linkcode nodeFileOpener} uses. */
export interface NodeFsSubset {
  constants: { O_RDONLY: number; O_NONBLOCK?: number; O_NOFOLLOW?: number };
  open(
    path: string,
    flags: number | string,
    callback: (error: Error | null, fd: number) => void,
  ): void;
  fstat(fd: number, callback: (error: Error | null, stats: NodeStatsSubset) => void): void;
  lstat(
    path: string,
    callback: (error: Error | null, stats: { isSymbolicLink(): boolean }) => void,
  ): void;
  read(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead: number) => void,
  ): void;
  close(fd: number, callback: (error: Error | null) => void): void;
}

/** The part of a `node:fs` Stats object that {@linkcode nodeFileOpener} uses. */
export interface NodeStatsSubset {
  size: number;
  isFile(): boolean;
}

/**
 * The default opener, on `node:fs` because it lets us pass `O_NONBLOCK`: an
 * `open(2)` of a FIFO then returns at once instead of waiting for a writer,
 * and fstat tells us it is not a regular file before anything is read. With
 * `followSymlinks` false, a link swapped in after the walk saw a regular file
 * is refused (lstat, then `O_NOFOLLOW`).
 */
export function nodeFileOpener(fs: NodeFsSubset, windows: boolean): FileOpener {
  const call = <T>(start: (done: (error: Error | null, value: T) => void) => void) =>
    new Promise<T>((resolve, reject) =>
      start((error, value) => error ? reject(error) : resolve(value))
    );
  return {
    async open(path, options) {
      const flags = windows ? "r" : fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) |
        (options.followSymlinks ? 0 : fs.constants.O_NOFOLLOW ?? 0);
      if (!options.followSymlinks && !windows) {
        // O_NOFOLLOW alone is not enough: without --allow-all, Deno resolves links while
        // checking permissions and opens the target. Refuse a link seen here.
        const link = await call<{ isSymbolicLink(): boolean }>((done) => fs.lstat(path, done));
        if (link.isSymbolicLink()) {
          throw Object.assign(new Error(`symbolic link, not followed: ${path}`), { code: "ELOOP" });
        }
      }
      const fd = await call<number>((done) => fs.open(path, flags, done));
      let stats: NodeStatsSubset;
      try {
        stats = await call<NodeStatsSubset>((done) => fs.fstat(fd, done));
      } catch (error) {
        fs.close(fd, () => {});
        throw error;
      }
      if (!stats.isFile()) {
        fs.close(fd, () => {});
        throw Object.assign(new Error(`not a regular file: ${path}`), { code: "ESPECIAL" });
      }
      return {
        size: stats.size,
        read: (buffer, position) =>
          call<number>((done) => fs.read(fd, buffer, 0, buffer.length, position, done)),
        close: () => call<void>((done) => fs.close(fd, (error) => done(error, undefined))),
      };
    },
  };
}

/**
 * The opener of this machine's files: {@linkcode nodeFileOpener} over
 * `node:fs`, with Windows' open flags on Windows.
 */
export function hostFileOpener(): FileOpener {
  return nodeFileOpener(nodeFs as unknown as NodeFsSubset, Deno.build.os === "windows");
}
