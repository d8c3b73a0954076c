/**
 * Hashing file contents: one streaming read per file for every requested
 * digest, either in this thread or in a small pool of workers so that both
 * cores hash.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
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
}

/** The result of hashing one file. */
export type HashOutcome =
  | { ok: true; digests: Partial<Record<HashAlgorithm, string>>; bytes: number }
  | ({ ok: false } & FileFailure);

/** Something that hashes files. */
export interface ContentHasher {
  hash(request: HashRequest): Promise<HashOutcome>;
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
    return { ok: true, digests: result.digests, bytes: result.bytes };
  } catch (error) {
    return { ok: false, ...classify(error) };
  } finally {
    await file.close().catch(() => {});
  }
}

/**
 * Hashes in this thread through `opener` (the default opens with `node:fs`).
 * Tests inject an opener to count reads.
 */
export function createInProcessHasher(
  opener: FileOpener = nodeFileOpener(fs as unknown as NodeFsSubset, Deno.build.os === "windows"),
  chunkSize = defaultChunkSize,
): ContentHasher {
  return {
    hash: (request) =>
      hashPath(opener, createHash as unknown as CreateHash, classifyFileError, request, chunkSize),
    release() {},
  };
}

// The worker's program: the same functions as above, as source text, so that
// it needs no module file next to a bundle or inside a compiled binary.
function workerSource(windows: boolean, chunkSize: number): string {
  return `import * as fs from "node:fs";
import { createHash } from "node:crypto";
const classifyFileError = ${classifyFileError.toString()};
const nodeFileOpener = ${nodeFileOpener.toString()};
const streamDigests = ${streamDigests.toString()};
const hashPath = ${hashPath.toString()};
const opener = nodeFileOpener(fs, ${windows});
self.onmessage = async (event) => {
  const { id, request } = event.data;
  const outcome = await hashPath(opener, createHash, classifyFileError, request, ${chunkSize});
  self.postMessage({ id, outcome });
};
`;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, (outcome: HashOutcome) => void>;
}

/** Options of {@linkcode createWorkerHasher}. */
export interface WorkerHasherOptions {
  /** Worker count; default 2 (one per core of the target machines). */
  workers?: number;
  chunkSize?: number;
}

/**
 * Hashes in a pool of Deno workers, each reading its files itself. Requests
 * go to the worker with the fewest in flight; a worker holds several at once
 * so that it never waits for the next message. When workers cannot be started
 * (permissions, platform) it hashes in this thread instead.
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
  let pool: PoolWorker[] = [];
  let fallback: ContentHasher | undefined;
  let nextId = 0;
  let inFlight = 0;
  let released = false;
  let sourceUrl: string | undefined;

  const start = (): PoolWorker[] => {
    sourceUrl ??= URL.createObjectURL(
      new Blob([workerSource(Deno.build.os === "windows", chunkSize)], {
        type: "application/javascript",
      }),
    );
    const started: PoolWorker[] = [];
    for (let index = 0; index < size; index++) {
      const worker = new Worker(sourceUrl, { type: "module" });
      const entry: PoolWorker = { worker, pending: new Map() };
      worker.onmessage = (event: MessageEvent<{ id: number; outcome: HashOutcome }>) => {
        const resolve = entry.pending.get(event.data.id);
        entry.pending.delete(event.data.id);
        resolve?.(event.data.outcome);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        const detail = `hash worker failed: ${event.message}`;
        for (const resolve of entry.pending.values()) {
          resolve({ ok: false, reason: "error", detail });
        }
        entry.pending.clear();
        worker.terminate();
        pool = pool.filter((other) => other !== entry);
      };
      started.push(entry);
    }
    return started;
  };

  const stopIfIdle = () => {
    if (!released || inFlight > 0) return;
    for (const entry of pool) entry.worker.terminate();
    pool = [];
  };

  return {
    async hash(request) {
      if (fallback) return await fallback.hash(request);
      if (pool.length === 0) {
        try {
          pool = start();
        } catch {
          fallback = createInProcessHasher(undefined, chunkSize);
          return await fallback.hash(request);
        }
      }
      const entry = pool.reduce((best, other) =>
        other.pending.size < best.pending.size ? other : best
      );
      const id = nextId++;
      inFlight++;
      try {
        return await new Promise<HashOutcome>((resolve) => {
          entry.pending.set(id, resolve);
          entry.worker.postMessage({ id, request });
        });
      } finally {
        inFlight--;
        stopIfIdle();
      }
    },
    release() {
      released = true;
      stopIfIdle();
    },
  };
}
