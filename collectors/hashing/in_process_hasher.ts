/**
 * Hashing in this thread, a few files at once, with asynchronous reads: what
 * the worker pool falls back on where workers cannot start, and what tests
 * use with an injected opener.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { classifyFileError } from "./file_errors.ts";
import { hostFileOpener } from "./file_opener.ts";
import { streamDigests } from "./stream_digests.ts";
import type {
  ContentHasher,
  CreateHash,
  FileFailure,
  FileOpener,
  HashOutcome,
  HashRequest,
} from "./types.ts";

/** Bytes per read; large enough that per-read overhead vanishes, small enough to bound memory. */
export const defaultChunkSize = 1 << 20;

/**
 * Opens, size-checks, hashes and closes one file, turning every failure into
 * a skip reason.
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
  opener: FileOpener = hostFileOpener(),
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
