/**
 * The messages between the hash pool and its workers: a {@linkcode WorkerSetup}
 * first, then compact batches. Per small file
 * the cost of a message (structured cloning, one object per request and per
 * answer) is comparable to hashing it, so a batch travels as a few arrays: the
 * paths, one code per request and the size caps; answers come back in request
 * order as one string of concatenated hex digests, one number per file and
 * the rare failures. No ids: a worker answers its requests in order.
 *
 * @module
 */
import type { HashAlgorithm, HashRequest, WorkerAnswer } from "./types.ts";

/**
 * The first message to a worker: how it reads and hashes. Every later message
 * is a {@linkcode RequestBatch}.
 */
export interface WorkerSetup {
  /** Bytes of the worker's read buffer and of each MD5 lane's window. */
  chunkSize: number;
  /** Whether libc and libcrypto may be used over FFI (`false`: `node:fs` and `node:crypto`). */
  nativeLibraries: boolean;
  /** Whether MD5 runs in SIMD lanes, several files at once (md5_lanes.ts). */
  md5Lanes: boolean;
  /** Whether files are opened first and checked through their descriptor (`statx`). */
  checkOpenedFiles: boolean;
}

/** Requests to one worker, in the order it answers them. */
export interface RequestBatch {
  paths: string[];
  /** Per request: {@linkcode encodeRequest}'s code (digests and flags). */
  codes: number[];
  /** Per request: the size cap in bytes, or -1 for none. */
  maxSizes: number[];
  /** Files at least this large, with two digests or more, may be answered "split". */
  splitAbove: number;
}

/** Answers for a worker's next `sizes.length` requests, in order. */
export interface AnswerBatch {
  /** The digests of the files hashed, concatenated in request order, each in md5, sha1, sha256 order. */
  hex: string;
  /** Per request: the bytes read (≥ 0), {@linkcode failedAnswer} or {@linkcode splitAnswer}. */
  sizes: number[];
  /** Reason and detail of each failed request, in order (two entries per failure). */
  failures: string[];
}

/** `sizes` value of a request that failed. */
export const failedAnswer = -1;
/** `sizes` value of a request whose digests are to be split over two workers. */
export const splitAnswer = -2;

// Code bits: one per digest, in the order their hex is concatenated, then the flags.
const digestBits: readonly [HashAlgorithm, number, number][] = [
  ["md5", 1, 32],
  ["sha1", 2, 40],
  ["sha256", 4, 64],
];
const digestMask = 1 | 2 | 4;
const followBit = 8;
const mayBeSplitBit = 16;
// The digests of each combination of digest bits, in the order their hex is concatenated.
const algorithmSets: readonly HashAlgorithm[][] = Array.from(
  { length: digestMask + 1 },
  (_, code) => digestBits.filter(([, bit]) => (code & bit) !== 0).map(([algorithm]) => algorithm),
);

/**
 * The code of one request: its digests and whether links are followed and the
 * answer may be "split".
 *
 * @example
 * ```ts
 * import { encodeRequest } from "./worker_protocol.ts";
 * encodeRequest(["sha256", "md5"], false, true); // 21
 * ```
 */
export function encodeRequest(
  algorithms: readonly HashAlgorithm[],
  followSymlinks: boolean,
  mayBeSplit: boolean,
): number {
  let code = (followSymlinks ? followBit : 0) | (mayBeSplit ? mayBeSplitBit : 0);
  for (const [algorithm, bit] of digestBits) if (algorithms.includes(algorithm)) code |= bit;
  return code;
}

/**
 * Hashes a worker's requests, calling `settle(index, answer)` once per
 * request, in any order (the MD5 lanes finish files out of order).
 */
export type HashAll = (
  requests: readonly HashRequest[],
  settle: (index: number, answer: WorkerAnswer) => void,
) => void;

/**
 * Worker side: hashes every request of `batch` with `hashAll` and posts the
 * answers in request order, all together, except that a batch running longer
 * than `flushAfterMs` sends the answers ready so far, so that the pool can hand
 * out more work early.
 */
export function answerBatch(
  batch: RequestBatch,
  hashAll: HashAll,
  post: (answers: AnswerBatch) => void,
  flushAfterMs: number,
): void {
  const requests: HashRequest[] = [];
  for (let index = 0; index < batch.paths.length; index++) {
    const code = batch.codes[index]!;
    const maxSize = batch.maxSizes[index]!;
    const request: HashRequest = {
      path: batch.paths[index]!,
      algorithms: algorithmSets[code & digestMask]!,
      followSymlinks: (code & followBit) !== 0,
    };
    if (maxSize >= 0) request.maxSize = maxSize;
    if ((code & mayBeSplitBit) !== 0) request.splitAbove = batch.splitAbove;
    requests.push(request);
  }
  const ready: (WorkerAnswer | undefined)[] = new Array(requests.length);
  let next = 0;
  let hex = "";
  let sizes: number[] = [];
  let failures: string[] = [];
  let since = performance.now();
  const settle = (index: number, answer: WorkerAnswer) => {
    ready[index] = answer;
    // Answers leave in request order: only the run that starts at `next` can go.
    while (next < requests.length && ready[next] !== undefined) {
      const current = ready[next]!;
      ready[next] = undefined;
      if ("split" in current) sizes.push(splitAnswer);
      else if (!current.ok) {
        sizes.push(failedAnswer);
        failures.push(current.reason, current.detail);
      } else {
        sizes.push(current.bytes);
        // The request's digests in the fixed order.
        for (const algorithm of requests[next]!.algorithms) hex += current.digests[algorithm] ?? "";
      }
      next++;
    }
    if (performance.now() - since > flushAfterMs && sizes.length > 0 && next < requests.length) {
      post({ hex, sizes, failures });
      hex = "";
      sizes = [];
      failures = [];
      since = performance.now();
    }
  };
  hashAll(requests, settle);
  if (sizes.length > 0) post({ hex, sizes, failures });
}

/**
 * Pool side: turns one {@linkcode AnswerBatch} into answers, calling
 * `settle(index, answer)` for each, where `index` counts the batch's answers
 * from 0 and `codes(index)` gives that request's code.
 */
export function decodeAnswers(
  answers: AnswerBatch,
  codeOf: (index: number) => number,
  settle: (index: number, answer: WorkerAnswer) => void,
): void {
  let hexAt = 0;
  let failureAt = 0;
  for (let index = 0; index < answers.sizes.length; index++) {
    const size = answers.sizes[index]!;
    if (size === splitAnswer) settle(index, { split: true });
    else if (size < 0) {
      settle(index, {
        ok: false,
        reason: answers.failures[failureAt] as never,
        detail: answers.failures[failureAt + 1] ?? "",
      });
      failureAt += 2;
    } else {
      const code = codeOf(index);
      const digests: Partial<Record<HashAlgorithm, string>> = {};
      // Index loops: this runs for every file hashed, often before it is optimised.
      for (let bitAt = 0; bitAt < digestBits.length; bitAt++) {
        const digestBit = digestBits[bitAt]!;
        if ((code & digestBit[1]) === 0) continue;
        digests[digestBit[0]] = answers.hex.slice(hexAt, hexAt + digestBit[2]);
        hexAt += digestBit[2];
      }
      settle(index, { ok: true, digests, bytes: size });
    }
  }
}
