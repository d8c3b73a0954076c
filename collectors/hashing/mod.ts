/**
 * The hashing wing: file digests (MD5, SHA-1, SHA-256) in one read per file,
 * in a pool of workers (OpenSSL and libc over FFI, MD5 in WebAssembly SIMD
 * lanes) or in this thread, every failure a skip reason. The file collector
 * hashes through it, and so may any part that hashes files (a process
 * collector, a quarantine) without reaching into the file collector.
 *
 * @example
 * ```ts ignore
 * import { createWorkerHasher } from "./mod.ts";
 * const hasher = createWorkerHasher();
 * const outcome = await hasher.hash({ path: "/bin/ls", algorithms: ["sha256"], followSymlinks: false });
 * hasher.release();
 * if (outcome.ok) console.log(outcome.digests.sha256);
 * else console.log(outcome.reason, outcome.detail);
 * ```
 *
 * @module
 */
export type {
  ContentHasher,
  CreateHash,
  FileFailure,
  FileOpener,
  HashAlgorithm,
  HashOutcome,
  HashRequest,
  OpenedFile,
} from "./types.ts";
export { createWorkerHasher, type WorkerHasherOptions } from "./worker_pool.ts";
export { createInProcessHasher, defaultChunkSize } from "./in_process_hasher.ts";
export { classifyFileError } from "./file_errors.ts";
export {
  hostFileOpener,
  nodeFileOpener,
  type NodeFsSubset,
  type NodeStatsSubset,
} from "./file_opener.ts";
export { createImageHasher, type ImageHasherOptions } from "./image_hasher.ts";
export { openedByteSource } from "./opened_byte_source.ts";
export { type DigestResult, streamDigests } from "./stream_digests.ts";
