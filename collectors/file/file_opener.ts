/**
 * Opening files for reading without ever blocking on a FIFO, and sorting the
 * ways that can fail into skip reasons.
 *
 * The functions here are self-contained (no references to module scope)
 * because the hashing workers receive them as source text.
 *
 * @module
 */
import type { SkipReason } from "../collector.ts";

/** A regular file opened for reading by position. */
export interface OpenedFile {
  /** The size when opened (from fstat). */
  readonly size: number;
  /** Reads into `buffer` from `position`; 0 means the end of the file. */
  read(buffer: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens files for the content fields (hashes, PEInfo). Injectable so that
 * tests can count reads and simulate locked or unreadable files (root reads
 * every file, whatever its mode).
 */
export interface FileOpener {
  /**
   * Opens `path` for reading. Rejects with an error that
   * {@linkcode classifyFileError} understands when the file is not a regular
   * file, not readable, locked or gone.
   */
  open(path: string, options: { followSymlinks: boolean }): Promise<OpenedFile>;
}

/** A skip reason with a human detail. */
export interface FileFailure {
  reason: SkipReason;
  detail: string;
}

/**
 * Maps an error from opening, reading or stat-ing a file to a skip reason:
 * permission errors are `unreadable`, sharing violations and busy files
 * `locked`, an `ELOOP` from a no-follow open `symlink`, and so on.
 *
 * @example
 * ```ts
 * import { classifyFileError } from "./file_opener.ts";
 * classifyFileError(Object.assign(new Error("denied"), { code: "EACCES" })).reason; // "unreadable"
 * ```
 */
export function classifyFileError(error: unknown): FileFailure {
  const record = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const code = typeof record.code === "string" ? record.code : "";
  const name = typeof record.name === "string" ? record.name : "";
  const detail = typeof record.message === "string" ? record.message : String(error);
  // Windows: 32 sharing violation, 33 lock violation.
  const windowsError = /\(os error (\d+)\)/.exec(detail)?.[1];
  if (code === "ESPECIAL") return { reason: "special-file", detail };
  if (code === "ETOOLARGE") return { reason: "too-large", detail };
  if (code === "EACCES" || code === "EPERM" || name === "PermissionDenied") {
    return { reason: "unreadable", detail };
  }
  if (name === "NotCapable") {
    // Deno's own sandbox, not the OS: /dev (e.g. /dev/shm), /proc and /sys need --allow-all
    // (denoland/deno#30979).
    return { reason: "unreadable", detail: `${detail} (a Deno permission, not a file mode)` };
  }
  if (
    code === "EBUSY" || code === "ETXTBSY" || code === "EAGAIN" || name === "Busy" ||
    windowsError === "32" || windowsError === "33"
  ) {
    return { reason: "locked", detail };
  }
  if (code === "ENOENT" || name === "NotFound") return { reason: "not-found", detail };
  if (code === "ENAMETOOLONG" || windowsError === "206") return { reason: "path-too-long", detail };
  if (code === "ELOOP" || name === "FilesystemLoop") return { reason: "symlink", detail };
  // ESPIPE: a positioned read on a FIFO or socket swapped in after the checks.
  if (code === "EISDIR" || code === "ENXIO" || code === "ENODEV" || code === "ESPIPE") {
    return { reason: "special-file", detail };
  }
  return { reason: "error", detail: code ? `${code}: ${detail}` : detail };
}

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
 * is refused (lstat, then `O_NOFOLLOW`). Self-contained: the hashing workers
 * get its source.
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

/** The part of `node:crypto` that {@linkcode streamDigests} uses. */
export type CreateHash = (algorithm: string) => {
  update(data: Uint8Array): unknown;
  digest(encoding: "hex"): string;
};

/** What one streaming pass produced. */
export interface DigestResult {
  /** Lower-case hex digests keyed by algorithm (`md5`, `sha1`, `sha256`). */
  digests: Record<string, string>;
  /** Bytes read. */
  bytes: number;
}

/**
 * Reads an opened file once, from start to end, feeding every chunk to all
 * requested hashes. Two buffers alternate so that the next read runs (in
 * Deno's I/O threads) while this thread hashes the current chunk; memory is
 * two chunks whatever the file size. Self-contained: the hashing workers get
 * its source.
 */
export async function streamDigests(
  file: OpenedFile,
  algorithms: readonly string[],
  createHash: CreateHash,
  chunkSize: number,
): Promise<DigestResult> {
  const hashes = algorithms.map((algorithm) => createHash(algorithm));
  // Small files get a buffer their size (plus one byte to see the end at once).
  const size = Math.max(1, Math.min(chunkSize, file.size + 1));
  const buffers = [new Uint8Array(size), new Uint8Array(size)] as const;
  let flip = 0;
  let current = buffers[0];
  let count = await file.read(current, 0);
  let position = count;
  while (count > 0) {
    // A short read that reaches the size seen at open is the end: saves one read per small file.
    const atEnd = count < current.length && position >= file.size;
    flip ^= 1;
    const next = buffers[flip as 0 | 1];
    const pending = atEnd ? undefined : file.read(next, position);
    const chunk = current.subarray(0, count);
    for (const hash of hashes) hash.update(chunk);
    if (pending === undefined) break;
    count = await pending;
    position += count;
    current = next;
  }
  const digests: Record<string, string> = {};
  algorithms.forEach((algorithm, index) => digests[algorithm] = hashes[index]!.digest("hex"));
  return { digests, bytes: position };
}
