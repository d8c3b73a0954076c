/**
 * The shapes every part of the hashing wing shares: what is asked (a
 * {@linkcode HashRequest}), what comes back (a {@linkcode HashOutcome}), who
 * answers ({@linkcode ContentHasher}), and the small interfaces over the file
 * and digest calls that the hashers are built from. The bottom of the wing:
 * every other file here may import it, and it imports nothing of the wing.
 *
 * @module
 */
import type { SkipReason } from "../collector.ts";

/** The digests the hashing wing knows, by `node:crypto` name. */
export type HashAlgorithm = "md5" | "sha1" | "sha256";

/** One file to hash. */
export interface HashRequest {
  path: string;
  algorithms: readonly HashAlgorithm[];
  /** Files larger than this (bytes) are not read: `too-large`. */
  maxSize?: number;
  followSymlinks: boolean;
  /**
   * Files at least this large, with two digests or more, are answered with
   * `{ split: true }` instead of being read, so that the pool can hash their
   * digests on two workers at once. Absent: never split.
   */
  splitAbove?: number;
}

/** A skip reason with a human detail. */
export interface FileFailure {
  reason: SkipReason;
  detail: string;
}

/** The result of hashing one file. */
export type HashOutcome =
  | { ok: true; digests: Partial<Record<HashAlgorithm, string>>; bytes: number }
  | ({ ok: false } & FileFailure);

/** A worker's answer: the outcome, or a request to split a large file's digests. */
export type WorkerAnswer = HashOutcome | { split: true };

/** Something that hashes files. */
export interface ContentHasher {
  hash(request: HashRequest): Promise<HashOutcome>;
  /**
   * Hashes several files; one promise for all, the outcomes in request order.
   * Cheaper per file than {@linkcode ContentHasher.hash} when files are small.
   */
  hashBatch(requests: readonly HashRequest[]): Promise<HashOutcome[]>;
  /**
   * Says requests are likely soon: workers start now, so that their start-up
   * overlaps the walk instead of delaying the first hash.
   */
  prepare(): void;
  /**
   * Says no more requests are expected soon: idle workers end now, busy ones
   * when their last file is done (a later request starts them again).
   */
  release(): void;
}

/** The part of `node:crypto` that the hashers use: a streaming hash by algorithm name. */
export type CreateHash = (algorithm: string) => {
  update(data: Uint8Array): unknown;
  digest(encoding: "hex"): string;
};

/**
 * Computes one digest of bytes already in memory, as lower-case hex, in one
 * call: no hash object per file, which matters when files are small.
 */
export type DigestOnce = (algorithm: HashAlgorithm, data: Uint8Array) => string;

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
   * Opens `path` for reading. Rejects with an error that `classifyFileError`
   * (file_errors.ts) understands when the file is not a regular file, not
   * readable, locked or gone.
   */
  open(path: string, options: { followSymlinks: boolean }): Promise<OpenedFile>;
}

/**
 * The synchronous part of `node:fs` that the workers use to open and read
 * files (`node:fs` itself, or libc over FFI: libc_sync_fs.ts).
 */
export interface SyncFsSubset {
  constants: { O_RDONLY: number; O_NONBLOCK?: number; O_NOFOLLOW?: number };
  openSync(path: string, flags: number | string): number;
  readSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): number;
  closeSync(fd: number): void;
  /**
   * What an open descriptor is: where present, files are opened first and
   * checked through their descriptor (one path lookup, and the check is of
   * the very file read); see `openForHashing` (open_for_hashing.ts).
   */
  statOpened?(fd: number): { isFile: boolean; size: number };
}
