/**
 * Hashing file contents: one streaming read per file for every requested
 * digest, either in this thread or in a small pool of workers so that both
 * cores hash.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { answerBatch, decodeAnswers, encodeRequest, type RequestBatch } from "./hash_batch.ts";
import { hashInLanes, hashWaveInLanes } from "./lane_hasher.ts";
import { libcSyncFs } from "./libc_sync_fs.ts";
import { createMd5Lanes } from "./md5_lanes.ts";
import { md5LanesModuleBase64 } from "./md5_lanes_module.ts";
import {
  classifyFileError,
  type CreateHash,
  type FileFailure,
  type FileOpener,
  nodeFileOpener,
  type NodeFsSubset,
  streamDigests,
} from "./file_opener.ts";

/** The digests the collector knows, by `node:crypto` name. */
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

/** Bytes per read; large enough that per-read overhead vanishes, small enough to bound memory. */
export const defaultChunkSize = 1 << 20;

/**
 * Opens, size-checks, hashes and closes one file, turning every failure into
 * a skip reason. Self-contained: the workers get its source.
 */
export async function hashPath(
  opener: FileOpener,
  hashFactory: CreateHash,
  classify: (error: unknown) => FileFailure,
  request: HashRequest,
  chunkSize: number,
): Promise<HashOutcome> {
  let file;
  try {
    file = await opener.open(request.path, { followSymlinks: request.followSymlinks });
  } catch (error) {
    return { ok: false, ...classify(error) };
  }
  try {
    if (request.maxSize !== undefined && file.size > request.maxSize) {
      return {
        ok: false,
        reason: "too-large",
        detail: `${file.size} bytes, over the ${request.maxSize}-byte cap`,
      };
    }
    const result = await streamDigests(file, request.algorithms, hashFactory, chunkSize);
    if (result.bytes < file.size) {
      // Digests of a prefix are not the file's: it shrank while read.
      return {
        ok: false,
        reason: "changed-while-read",
        detail: `shrank while read (${file.size} bytes at the start, ended after ${result.bytes})`,
      };
    }
    return { ok: true, digests: result.digests, bytes: result.bytes };
  } catch (error) {
    return { ok: false, ...classify(error) };
  } finally {
    await file.close().catch(() => {});
  }
}

/** Files the in-process hasher reads at once; each holds two buffers of up to `chunkSize`. */
const inProcessConcurrency = 8;

/**
 * Hashes in this thread through `opener` (the default opens with `node:fs`),
 * at most 8 files at once, so that memory stays bounded however many
 * requests are waiting. Tests inject an opener to count reads.
 */
export function createInProcessHasher(
  opener: FileOpener = nodeFileOpener(fs as unknown as NodeFsSubset, Deno.build.os === "windows"),
  chunkSize = defaultChunkSize,
): ContentHasher {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async hash(request) {
      // A finishing request hands its slot straight to the next one waiting.
      if (running < inProcessConcurrency) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await hashPath(
          opener,
          createHash as unknown as CreateHash,
          classifyFileError,
          request,
          chunkSize,
        );
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    hashBatch(requests) {
      return Promise.all(requests.map((request) => this.hash(request)));
    },
    prepare() {},
    release() {},
  };
}

/**
 * Computes one digest of bytes already in memory, as lower-case hex, in one
 * call: no hash object per file, which matters when files are small.
 */
export type DigestOnce = (algorithm: HashAlgorithm, data: Uint8Array) => string;

/**
 * The workers' way to hash one file, in synchronous calls: they are cheaper
 * per file than async ones and cost nothing here, because a worker thread has
 * nothing else to do. {@linkcode openForHashing} checks and opens the file;
 * reads stop well past the size seen, so that a device swapped in cannot keep
 * it reading. One buffer per worker serves every file: a file that fits in it
 * (the usual case, at 1 MiB) is read in one call and digested with
 * `digestOnce`; a larger one streams through `hashFactory`. A file already
 * opened by {@linkcode openForHashing} comes as `alreadyOpened` (it is closed
 * here all the same). Self-contained: the workers get its source.
 */
export function hashPathSync(
  fs: SyncFsSubset,
  hashFactory: CreateHash,
  digestOnce: DigestOnce,
  classify: (error: unknown) => FileFailure,
  request: HashRequest,
  buffer: Uint8Array,
  windows: boolean,
  alreadyOpened?: { fd: number; size: number },
): WorkerAnswer {
  // How far a file may grow while it is read before the read is given up.
  const growthAllowance = 64 * 1024 * 1024;
  const opened = alreadyOpened ?? openForHashing(fs, classify, request, windows);
  if (!("fd" in opened)) return opened;
  const { fd } = opened;
  const info = { size: opened.size };
  try {
    // How much to ask for: what is left of the size seen plus one byte, to notice the end (or
    // growth) at once; Deno's node:fs readSync costs in proportion to the length asked, not to
    // the bytes read. Past the size seen, as much as fits.
    const wantedAt = (position: number, room: number) =>
      position > info.size ? room : Math.min(room, info.size - position + 1);
    // First fill the buffer; a file that ends inside it is digested in one call per digest.
    let filled = 0;
    let ended = false;
    while (filled < buffer.length) {
      const wanted = wantedAt(filled, buffer.length - filled);
      const count = fs.readSync(fd, buffer, filled, wanted, filled);
      if (count === 0) {
        ended = true;
        break;
      }
      filled += count;
      // A short read that reaches the size seen is the end: saves a read per small file.
      if (count < wanted && filled >= info.size) {
        ended = true;
        break;
      }
    }
    const digests: Partial<Record<HashAlgorithm, string>> = {};
    // The end came before the size seen at open: the file shrank while read, and digests of
    // what was read would be those of a prefix, not of the file.
    const shrank = (read: number): WorkerAnswer => ({
      ok: false,
      reason: "changed-while-read",
      detail: `shrank while read (${info.size} bytes at the start, ended after ${read})`,
    });
    if (ended && filled < info.size) return shrank(filled);
    if (ended) {
      const data = buffer.subarray(0, filled);
      for (const algorithm of request.algorithms) digests[algorithm] = digestOnce(algorithm, data);
      return { ok: true, digests, bytes: filled };
    }
    const hashes = request.algorithms.map((algorithm) => hashFactory(algorithm));
    for (const hash of hashes) hash.update(buffer);
    let position = filled;
    for (;;) {
      const wanted = wantedAt(position, buffer.length);
      const count = fs.readSync(fd, buffer, 0, wanted, position);
      if (count === 0) {
        if (position < info.size) return shrank(position);
        break;
      }
      const chunk = buffer.subarray(0, count);
      for (const hash of hashes) hash.update(chunk);
      position += count;
      if (count < wanted && position >= info.size) break;
      if (position > info.size + growthAllowance) {
        return {
          ok: false,
          reason: "changed-while-read",
          detail: `kept growing while read (${info.size} bytes at the start, ${position} read)`,
        };
      }
    }
    request.algorithms.forEach((algorithm, index) =>
      digests[algorithm] = hashes[index]!.digest("hex")
    );
    return { ok: true, digests, bytes: position };
  } catch (error) {
    return { ok: false, ...classify(error) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing to do about a failed close of a read-only descriptor.
    }
  }
}

/**
 * The checks before a file is read for its digests, and the open: links,
 * FIFOs and devices are told from regular files without reading them, and
 * the open is non-blocking and does not follow a link (unless asked), so that
 * even a FIFO swapped in cannot block the worker. Where `fs` can describe an
 * open descriptor (`statOpened`) the file is opened first and checked through
 * it; otherwise `lstat` (Deno's own, so FFI does not widen what a restricted
 * run may read) comes before the open. Answers the request itself when the
 * file is not to be read (skip, or "split" for a large file). Self-contained
 * (with {@linkcode checkForHashing}, {@linkcode checkedSize} and
 * {@linkcode openChecked}): the workers get its source.
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
 * Self-contained (with {@linkcode checkedSize}): the workers get its source.
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
 * file with several digests). Self-contained: the workers get its source.
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
 * following a link that appeared since. Self-contained: the workers get its
 * source.
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

/**
 * The system's OpenSSL (libcrypto) through FFI, or `undefined` where it cannot
 * be loaded (Windows, no FFI permission). Opened once per thread: each
 * `Deno.dlopen` binds its symbols anew, about a millisecond. `libraryNames`
 * are tried in order. Self-contained: the workers get its source.
 *
 * @example
 * ```ts
 * import { openLibcrypto } from "./content_hasher.ts";
 * const libcrypto = openLibcrypto(); // undefined without FFI or OpenSSL
 * ```
 */
export function openLibcrypto(
  libraryNames: readonly string[] = ["libcrypto.so.3", "libcrypto.so"],
) {
  const oneShot = { parameters: ["buffer", "usize", "buffer"], result: "pointer" } as const;
  const symbols = {
    MD5: oneShot,
    SHA1: oneShot,
    SHA256: oneShot,
    EVP_MD_CTX_new: { parameters: [], result: "pointer" },
    EVP_get_digestbyname: { parameters: ["buffer"], result: "pointer" },
    EVP_DigestInit_ex: { parameters: ["pointer", "pointer", "pointer"], result: "i32" },
    EVP_DigestUpdate: { parameters: ["pointer", "buffer", "usize"], result: "i32" },
    EVP_DigestFinal_ex: { parameters: ["pointer", "buffer", "pointer"], result: "i32" },
  } as const;
  for (const name of libraryNames) {
    try {
      return Deno.dlopen(name, symbols).symbols;
    } catch {
      // Not here, or FFI not permitted.
    }
  }
  return undefined;
}

/** What {@linkcode openLibcrypto} gives where OpenSSL loads. */
export type Libcrypto = NonNullable<ReturnType<typeof openLibcrypto>>;

/**
 * One-shot digests from OpenSSL (libcrypto's `MD5`, `SHA1` and `SHA256`, one
 * FFI call each), or from `fallback` (`node:crypto`) when `libcrypto` is
 * `undefined`. OpenSSL's MD5 is about a third faster than the one behind
 * Deno's `node:crypto`, and a call costs less than a `node:crypto` hash
 * object. Self-contained: the workers get its source.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * import { libcryptoDigestOnce, openLibcrypto } from "./content_hasher.ts";
 * const digestOnce = libcryptoDigestOnce(createHash, openLibcrypto());
 * digestOnce("md5", new Uint8Array(0)); // "d41d8cd98f00b204e9800998ecf8427e"
 * ```
 */
export function libcryptoDigestOnce(
  fallback: CreateHash,
  libcrypto: Libcrypto | undefined,
): DigestOnce {
  const viaFallback: DigestOnce = (algorithm, data) => {
    const hash = fallback(algorithm);
    hash.update(data);
    return hash.digest("hex");
  };
  if (libcrypto === undefined) return viaFallback;
  const functions = { md5: libcrypto.MD5, sha1: libcrypto.SHA1, sha256: libcrypto.SHA256 };
  const lengths = { md5: 16, sha1: 20, sha256: 32 };
  const hex: string[] = [];
  for (let byte = 0; byte < 256; byte++) hex.push(byte.toString(16).padStart(2, "0"));
  const out = new Uint8Array(64);
  return (algorithm, data) => {
    const digest = functions[algorithm];
    if (digest === undefined) return viaFallback(algorithm, data);
    if (digest(data, BigInt(data.length), out) === null) {
      throw new Error(`OpenSSL ${algorithm} failed`);
    }
    let text = "";
    for (let index = 0; index < lengths[algorithm]; index++) text += hex[out[index]!];
    return text;
  };
}

/**
 * Wraps a hash factory so that digests come from OpenSSL (`libcrypto`): its
 * assembly MD5 is about a third faster than the one behind Deno's
 * `node:crypto` (MD5 is the slowest of the three digests and sets the pace of
 * a hash scan), and its SHA-1 and SHA-256 use SHA-NI too. Without `libcrypto`,
 * or for an algorithm OpenSSL does not give, `fallback`. One OpenSSL context
 * per algorithm is reused, so the result suits a caller that hashes one file
 * at a time (a worker, or one MD5 lane). Self-contained: the workers get its
 * source.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * import { openLibcrypto, withLibcrypto } from "./content_hasher.ts";
 * const hash = withLibcrypto(createHash, openLibcrypto())("sha1");
 * hash.update(new Uint8Array([1, 2, 3]));
 * hash.digest("hex"); // "7037807198c22a7d2b0807371d763779a84fdfcf"
 * ```
 */
export function withLibcrypto(fallback: CreateHash, libcrypto: Libcrypto | undefined): CreateHash {
  if (libcrypto === undefined) return fallback;
  const ssl = libcrypto;
  const hex: string[] = [];
  for (let byte = 0; byte < 256; byte++) hex.push(byte.toString(16).padStart(2, "0"));
  const out = new Uint8Array(64);
  const engines = new Map<string, { md: Deno.PointerValue; context: Deno.PointerValue } | null>();
  const engineOf = (algorithm: string) => {
    let engine = engines.get(algorithm);
    if (engine === undefined) {
      const md = ["md5", "sha1", "sha256"].includes(algorithm)
        ? ssl.EVP_get_digestbyname(new TextEncoder().encode(`${algorithm}\0`))
        : null;
      const context = md === null ? null : ssl.EVP_MD_CTX_new();
      engine = md === null || context === null ? null : { md, context };
      engines.set(algorithm, engine);
    }
    return engine;
  };
  return (algorithm) => {
    const engine = engineOf(algorithm);
    if (engine === null || ssl.EVP_DigestInit_ex(engine.context, engine.md, null) !== 1) {
      return fallback(algorithm);
    }
    const { context } = engine;
    return {
      update(data: Uint8Array) {
        if (ssl.EVP_DigestUpdate(context, data, BigInt(data.length)) !== 1) {
          throw new Error(`OpenSSL ${algorithm} update failed`);
        }
      },
      digest() {
        const length = new Uint32Array(1);
        if (ssl.EVP_DigestFinal_ex(context, out, Deno.UnsafePointer.of(length)) !== 1) {
          throw new Error(`OpenSSL ${algorithm} final failed`);
        }
        let text = "";
        for (let index = 0; index < length[0]!; index++) text += hex[out[index]!];
        return text;
      },
    };
  };
}

/** The synchronous part of `node:fs` that {@linkcode hashPathSync} uses. */
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
   * the very file read); see {@linkcode openForHashing}.
   */
  statOpened?(fd: number): { isFile: boolean; size: number };
}

// The worker's program: the functions above as source text, so that it needs
// no module file next to a bundle or inside a compiled binary. It takes
// batches of requests and answers in batches too (hash_batch.ts).
function workerSource(
  windows: boolean,
  chunkSize: number,
  nativeLibraries: boolean,
  md5Lanes: boolean,
  checkOpenedFiles: boolean,
): string {
  const moduleText = md5Lanes ? md5LanesModuleBase64 : "";
  return `// Batches that arrive while the worker loads wait here, in order.
const early = [];
let handle;
self.onmessage = (event) => handle ? handle(event.data) : early.push(event.data);
const classifyFileError = ${classifyFileError.toString()};
const hashPathSync = ${hashPathSync.toString()};
const openForHashing = ${openForHashing.toString()};
const checkForHashing = ${checkForHashing.toString()};
const checkedSize = ${checkedSize.toString()};
const openChecked = ${openChecked.toString()};
const openLibcrypto = ${openLibcrypto.toString()};
const withLibcrypto = ${withLibcrypto.toString()};
const libcryptoDigestOnce = ${libcryptoDigestOnce.toString()};
const libcSyncFs = ${libcSyncFs.toString()};
const answerBatch = ${answerBatch.toString()};
const hashInLanes = ${hashInLanes.toString()};
const hashWaveInLanes = ${hashWaveInLanes.toString()};
const createMd5Lanes = ${createMd5Lanes.toString()};
// node:fs and node:crypto only where libc or libcrypto are missing: loading them costs a
// worker about 20 ms of CPU each.
const native = ${nativeLibraries};
const fs = (native ? libcSyncFs(${checkOpenedFiles}) : undefined) ?? await import("node:fs");
const libcrypto = native ? openLibcrypto() : undefined;
const createHash = libcrypto
  ? (algorithm) => { throw new Error("no OpenSSL digest for " + algorithm); }
  : (await import("node:crypto")).createHash;
const hashFactory = withLibcrypto(createHash, libcrypto);
const digestOnce = libcryptoDigestOnce(createHash, libcrypto);
const buffer = new Uint8Array(${chunkSize});
const hashOne = (request, opened) =>
  hashPathSync(fs, hashFactory, digestOnce, classifyFileError, request, buffer, ${windows}, opened);
const post = (answers) => self.postMessage(answers);
const oneByOne = (requests, settle) => requests.forEach((request, index) => settle(index, hashOne(request)));
// MD5 in SIMD lanes, several files at once, where WebAssembly runs; one file at a time otherwise.
const moduleText = "${moduleText}";
// Uint8Array.fromBase64 takes microseconds where a callback per byte took ~2.5 ms of start-up.
const moduleBytes = (text) => Uint8Array.fromBase64
  ? Uint8Array.fromBase64(text)
  : Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
let lanes;
try {
  lanes = moduleText === ""
    ? undefined
    : createMd5Lanes(moduleBytes(moduleText), ${chunkSize});
} catch {
  lanes = undefined;
}
const tools = lanes && {
  fs,
  lanes,
  laneFactories: Array.from({ length: lanes.laneCount }, () => withLibcrypto(createHash, libcrypto)),
  digestOnce,
  classify: classifyFileError,
  open: (request) => openForHashing(fs, classifyFileError, request, ${windows}),
  hashOne,
  largestInLanes: ${largestInLanes},
};
const hashAll = tools ? (requests, settle) => hashInLanes(tools, requests, settle) : oneByOne;
handle = (batch) => answerBatch(batch, hashAll, post, 2);
for (const batch of early.splice(0)) handle(batch);
`;
}

interface PoolWorker {
  worker: Worker;
  /** The requests waiting for their answers, in request order, from `head` on. */
  waiting: QueuedRequest[];
  /** The code of each waiting request, to decode its digests. */
  codes: number[];
  head: number;
}

/**
 * One request in the pool. Its answer goes to `answered(answer, request)`, a
 * function shared by many requests (`slot` and `done` tell them apart), so
 * that a small file costs the pool one object and no closure.
 */
interface QueuedRequest {
  request: HashRequest;
  code: number;
  answered: (answer: WorkerAnswer, queued: QueuedRequest) => void;
  /** Who gets the outcome of the whole request, with `slot`. */
  done: (outcome: HashOutcome, slot: number) => void;
  slot: number;
  /** The worker to use (the halves of a split file go to different workers). */
  worker: number | undefined;
}

// A share: files of about this many bytes in all (by the recent mean size), at most
// `maximumShare` files. A worker holds two. Small enough that the two workers share the
// collector's read-ahead (512 files) and end together; large enough that a message fills the
// MD5 lanes and costs little per file (1 MiB and 128 files took 6% less CPU than half that on
// 10,000 files of 8.5 KB).
const bytesPerWorker = 1024 * 1024;
const maximumShare = 128;
// Files per worker before the first answers tell what a file costs.
const initialShare = 8;

// Files from this size up have their digests computed on two workers at once.
const defaultSplitAbove = 64 * 1024 * 1024;
// Larger files are not hashed in MD5 lanes (lane_hasher.ts): alone in the kernel at the end of a
// batch, such a file would take longer than with OpenSSL's MD5.
const largestInLanes = 64 * 1024 * 1024;
// Files a worker may hold, whatever their size: two messages that fill every MD5 lane.
const minimumShare = 16;

/**
 * Splits digests into two groups of about equal cost (MD5 costs about as much
 * as SHA-1 and SHA-256 together with SHA-NI).
 */
export function splitAlgorithms(algorithms: readonly HashAlgorithm[]): HashAlgorithm[][] {
  if (algorithms.includes("md5")) {
    return [["md5"], algorithms.filter((algorithm) => algorithm !== "md5")];
  }
  return [algorithms.slice(0, 1), algorithms.slice(1)];
}

/** Options of {@linkcode createWorkerHasher}. */
export interface WorkerHasherOptions {
  /** Worker count; default 2 (one per core of the target machines). */
  workers?: number;
  chunkSize?: number;
  /** Files from this size up have their digests split over two workers. Default 64 MiB. */
  splitAbove?: number;
  /**
   * Whether workers may use libc and libcrypto over FFI; `false` makes them use
   * `node:fs` and `node:crypto`, as where those libraries are missing (tests
   * compare both). Default `true`.
   */
  nativeLibraries?: boolean;
  /**
   * Whether workers hash MD5 in SIMD lanes, several files at once
   * (md5_lanes.ts); `false` uses OpenSSL's (or `node:crypto`'s) MD5 one file
   * at a time. Default `true`.
   */
  md5Lanes?: boolean;
  /**
   * Whether workers with libc open a file first and check what it is through
   * the descriptor (`statx`), one path lookup instead of two (`lstat`, then
   * `open`). The open bypasses Deno's path checks, so the default is `true`
   * only when this process holds every permission, where those checks refuse
   * nothing.
   */
  checkOpenedFiles?: boolean;
}

/** Whether this process holds every Deno permission (as with `--allow-all`), on every path. */
export function holdsEveryPermission(): boolean {
  const names = ["read", "write", "net", "env", "sys", "run", "ffi", "import"] as const;
  try {
    // `partial`: granted but for some denied paths (`-A --deny-read=...`), which an open
    // through libc would not honour.
    return names.every((name) => {
      const status = Deno.permissions.querySync({ name });
      return status.state === "granted" && !status.partial;
    });
  } catch {
    return false;
  }
}

/**
 * Hashes in a pool of Deno workers, each reading its files itself. Requests
 * go out a share at a time, the first worker first, and each worker holds two
 * shares so that it never waits for the next message. One worker starts on the
 * first request and more when files wait that it cannot take;
 * {@linkcode ContentHasher.prepare} starts them all. Workers end once
 * {@linkcode ContentHasher.release} was called and nothing is in flight. When
 * workers cannot be started (permissions, platform) it hashes in this thread
 * instead.
 *
 * @example
 * ```ts ignore
 * import { createWorkerHasher } from "./content_hasher.ts";
 * const hasher = createWorkerHasher({ workers: 2 });
 * const outcome = await hasher.hash({ path: "/bin/ls", algorithms: ["md5"], followSymlinks: false });
 * hasher.release();
 * ```
 */
export function createWorkerHasher(options: WorkerHasherOptions = {}): ContentHasher {
  const size = Math.max(1, options.workers ?? 2);
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  const splitAbove = options.splitAbove ?? defaultSplitAbove;
  const nativeLibraries = options.nativeLibraries ?? true;
  const md5Lanes = options.md5Lanes ?? true;
  const checkOpenedFiles = options.checkOpenedFiles ?? holdsEveryPermission();
  let pool: PoolWorker[] = [];
  let fallback: ContentHasher | undefined;
  let inFlight = 0;
  let released = false;
  let sourceUrl: string | undefined;

  const failAll = (entry: PoolWorker, detail: string) => {
    for (let index = entry.head; index < entry.waiting.length; index++) {
      const queued = entry.waiting[index]!;
      queued.answered({ ok: false, reason: "error", detail }, queued);
    }
    entry.waiting = [];
    entry.codes = [];
    entry.head = 0;
  };

  // Starts `count` more workers. Each costs the calling thread 12–20 ms (the worker's runtime is
  // created before the constructor returns), so a pool that was not prepared starts with one
  // and adds the others only when files wait that the first cannot take (see pump).
  const startWorkers = (count: number): PoolWorker[] => {
    sourceUrl ??= URL.createObjectURL(
      new Blob([
        workerSource(
          Deno.build.os === "windows",
          chunkSize,
          nativeLibraries,
          md5Lanes,
          checkOpenedFiles,
        ),
      ], {
        type: "application/javascript",
      }),
    );
    const started: PoolWorker[] = [];
    for (let index = 0; index < count; index++) {
      const worker = new Worker(sourceUrl, { type: "module" });
      const entry: PoolWorker = { worker, waiting: [], codes: [], head: 0 };
      worker.onmessage = (event) => {
        const first = entry.head;
        decodeAnswers(event.data, (index) => entry.codes[first + index]!, (index, answer) => {
          const queued = entry.waiting[first + index];
          entry.waiting[first + index] = undefined as never;
          queued?.answered(answer, queued);
        });
        entry.head += event.data.sizes.length;
        // The mean over roughly the last 64 files answered.
        let bytes = 0;
        for (const size of event.data.sizes) bytes += Math.max(0, size);
        const weight = Math.min(filesAnswered, 64);
        bytesPerFile = (bytesPerFile * weight + bytes) / (weight + event.data.sizes.length);
        filesAnswered += event.data.sizes.length;
        // Drop what is answered once it is most of the lists.
        if (entry.head > 1024 && entry.head * 2 > entry.waiting.length) {
          entry.waiting = entry.waiting.slice(entry.head);
          entry.codes = entry.codes.slice(entry.head);
          entry.head = 0;
        }
        pump();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        failAll(entry, `hash worker failed: ${event.message}`);
        worker.terminate();
        pool = pool.filter((other) => other !== entry);
        pump();
      };
      started.push(entry);
    }
    return started;
  };

  // Requests wait for the end of the current macrotask and then travel as one
  // message per worker. A MessageChannel gives that "end of the turn" signal in
  // microseconds (a microtask fires too early to batch anything; setTimeout(0)
  // costs milliseconds). Its ports, like the workers, live only while in use.
  let queue: QueuedRequest[] = [];
  let turn: MessageChannel | undefined;

  const stopIfIdle = () => {
    if (!released || inFlight > 0) return;
    for (const entry of pool) entry.worker.terminate();
    pool = [];
    turn?.port1.close();
    turn?.port2.close();
    turn = undefined;
  };

  // Requests no worker holds yet, oldest first, and the recent mean size of a file.
  let backlog: QueuedRequest[] = [];
  let bytesPerFile = 0;
  let filesAnswered = 0;

  const send = (target: PoolWorker, entries: readonly QueuedRequest[]) => {
    const message: RequestBatch = { paths: [], codes: [], maxSizes: [], splitAbove };
    for (const entry of entries) {
      target.waiting.push(entry);
      target.codes.push(entry.code);
      message.paths.push(entry.request.path);
      message.codes.push(entry.code);
      message.maxSizes.push(entry.request.maxSize ?? -1);
    }
    target.worker.postMessage(message);
  };

  // Hands the backlog out a share at a time (`bytesPerWorker` of files, from `minimumShare` to
  // `maximumShare` files), the first workers first; files beyond what the workers hold start
  // one more worker. Even small files use both: the main thread costs a small file about a
  // third of what its hashing does (walked a folder at a time, hashed a chunk at a time).
  // Until a few files are answered, a share is a few files. A worker hashes the files of one
  // message together (MD5 lanes) and answers them together, so it holds two shares, in two
  // messages: it starts on the second as soon as it has answered the first, without waiting
  // for this thread (busy walking or evaluating) to send more.
  const pump = () => {
    if (pool.length === 0) {
      for (const entry of backlog) {
        entry.answered({ ok: false, reason: "error", detail: "every hash worker failed" }, entry);
      }
      backlog = [];
      return;
    }
    const cap = filesAnswered < initialShare * 2 ? initialShare : Math.min(
      maximumShare,
      Math.max(minimumShare, Math.ceil(bytesPerWorker / Math.max(bytesPerFile, 1))),
    );
    for (const target of pool) {
      if (backlog.length === 0) return;
      let held = target.waiting.length - target.head;
      while (held <= cap && backlog.length > 0) {
        const files = backlog.splice(0, cap);
        send(target, files);
        held += files.length;
      }
    }
    // Every worker holds its share and files wait: one more worker.
    if (backlog.length > 0 && grow()) pump();
  };

  const grow = (): boolean => {
    if (pool.length >= size) return false;
    try {
      pool.push(...startWorkers(1));
      return true;
    } catch {
      return false;
    }
  };

  const flush = () => {
    const batch = queue;
    queue = [];
    const forced = new Map<PoolWorker, QueuedRequest[]>();
    for (const entry of batch) {
      // The second half of a split file wants a worker of its own.
      if (entry.worker !== undefined && entry.worker >= pool.length) grow();
      const target = entry.worker === undefined ? undefined : pool[entry.worker % pool.length];
      if (target === undefined) backlog.push(entry);
      else forced.set(target, [...forced.get(target) ?? [], entry]);
    }
    // The halves of a split file go to their workers at once, past any cap.
    for (const [target, entries] of forced) send(target, entries);
    pump();
  };

  const enqueue = (queued: QueuedRequest) => {
    if (queue.length === 0) turn!.port2.postMessage(null);
    queue.push(queued);
  };

  const finish = (queued: QueuedRequest, outcome: HashOutcome) => {
    inFlight--;
    stopIfIdle();
    queued.done(outcome, queued.slot);
  };

  // The answer to a whole request; "split" for a large file: each half of the digests then goes
  // to a worker of its own, both reading the file.
  const wholeAnswered = (answer: WorkerAnswer, queued: QueuedRequest) => {
    if (!("split" in answer)) return finish(queued, answer);
    const halves = splitAlgorithms(queued.request.algorithms);
    const parts: WorkerAnswer[] = [];
    let left = halves.length;
    halves.forEach((algorithms, half) => {
      const request = { ...queued.request, algorithms };
      enqueue({
        request,
        code: encodeRequest(algorithms, request.followSymlinks, false),
        answered: (part) => {
          parts[half] = part;
          if (--left === 0) finish(queued, joinHalves(parts));
        },
        done: queued.done,
        slot: queued.slot,
        worker: half,
      });
    });
  };

  // Callbacks rather than a promise per file: a promise and its await cost about as much as
  // the pool's own work for a small file.
  const submit = (
    request: HashRequest,
    done: (outcome: HashOutcome, slot: number) => void,
    slot: number,
  ) => {
    ensurePool();
    if (fallback) {
      fallback.hash(request).then((outcome) => done(outcome, slot));
      return;
    }
    inFlight++;
    enqueue({
      request,
      code: encodeRequest(request.algorithms, request.followSymlinks, size > 1),
      answered: wholeAnswered,
      done,
      slot,
      worker: undefined,
    });
  };

  const ensurePool = () => {
    if (fallback || pool.length > 0) return;
    try {
      pool = startWorkers(1);
      turn?.port1.close();
      turn?.port2.close();
      turn = new MessageChannel();
      turn.port1.onmessage = flush;
      // Requests queued for a pool that ended (a worker crashed) lost their flush with the old
      // channel: schedule one on the new.
      if (queue.length > 0) turn.port2.postMessage(null);
    } catch {
      fallback = createInProcessHasher(undefined, chunkSize);
    }
  };

  return {
    prepare() {
      // Every worker now: each boots on a core of its own while this thread loads and opens
      // the rest (the results store), instead of after, when files are already waiting.
      ensurePool();
      while (!fallback && grow());
    },
    hash: (request) => new Promise((resolve) => submit(request, resolve, 0)),
    hashBatch: (requests) =>
      new Promise((resolve) => {
        const outcomes: HashOutcome[] = new Array(requests.length);
        let left = requests.length;
        if (left === 0) resolve(outcomes);
        // One callback for the whole batch; each request's slot says where its outcome goes.
        const done = (outcome: HashOutcome, slot: number) => {
          outcomes[slot] = outcome;
          if (--left === 0) resolve(outcomes);
        };
        for (let slot = 0; slot < requests.length; slot++) submit(requests[slot]!, done, slot);
        // A batch is already a good message: when a worker holds nothing, it need not wait for
        // the end of this turn, which may come late (a chain of promises, such as the results
        // store opening, runs first).
        if (queue.length > 0 && pool.some((entry) => entry.waiting.length === entry.head)) flush();
      }),
    release() {
      released = true;
      stopIfIdle();
    },
  };
}

/**
 * The outcome of a split file from its halves' answers: one failure fails it,
 * and halves that read different byte counts (the file changed between their
 * reads) make it `changed-while-read`.
 */
export function joinHalves(parts: readonly WorkerAnswer[]): HashOutcome {
  const digests: Partial<Record<HashAlgorithm, string>> = {};
  let bytes: number | undefined;
  for (const part of parts) {
    if ("split" in part) return { ok: false, reason: "error", detail: "split twice" };
    if (!part.ok) return part;
    if (bytes !== undefined && part.bytes !== bytes) {
      // The halves read different contents: their digests are not of one file.
      return {
        ok: false,
        reason: "changed-while-read",
        detail: `changed between the reads of its digests (${bytes} and ${part.bytes} bytes)`,
      };
    }
    Object.assign(digests, part.digests);
    bytes = part.bytes;
  }
  return { ok: true, digests, bytes: bytes ?? 0 };
}
