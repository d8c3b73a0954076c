/**
 * What a hash worker runs: it takes a {@linkcode WorkerSetup}, builds its
 * tools (libc or `node:fs`, OpenSSL or `node:crypto`, the MD5 lanes), then
 * answers every batch of requests in request order (worker_protocol.ts).
 * `hash_worker.ts` runs it in a worker's global scope.
 *
 * @module
 */
import { classifyFileError } from "./file_errors.ts";
import { hashInLanes, type LaneTools } from "./lane_hasher.ts";
import { libcSyncFs } from "./libc_sync_fs.ts";
import { libcryptoDigestOnce, openLibcrypto, withLibcrypto } from "./libcrypto.ts";
import { createMd5Lanes } from "./md5_lanes.ts";
import { md5LanesModuleBase64 } from "./md5_lanes_module.ts";
import { openForHashing } from "./open_for_hashing.ts";
import { hashPathSync } from "./sync_hasher.ts";
import type { CreateHash, HashRequest, SyncFsSubset } from "./types.ts";
import {
  type AnswerBatch,
  answerBatch,
  type HashAll,
  type RequestBatch,
  type WorkerSetup,
} from "./worker_protocol.ts";

/** The part of a worker's global scope the program uses. */
export interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: AnswerBatch): void;
}

// Larger files are not hashed in MD5 lanes (lane_hasher.ts): alone in the kernel at the end of a
// batch, such a file would take longer than with OpenSSL's MD5.
const largestInLanes = 64 * 1024 * 1024;
// A batch running longer than this (ms) sends the answers ready so far (answerBatch).
const flushAfterMs = 2;

/**
 * Builds the worker's way to hash a batch for `setup`. `node:fs` and
 * `node:crypto` are loaded only where libc or libcrypto are missing: loading
 * them costs a worker about 20 ms of CPU each.
 *
 * @example
 * ```ts ignore
 * import { createWorkerHashAll } from "./worker_program.ts";
 * const hashAll = await createWorkerHashAll({
 *   chunkSize: 1 << 20, nativeLibraries: true, md5Lanes: true, checkOpenedFiles: false,
 * });
 * hashAll([{ path: "/etc/hostname", algorithms: ["md5"], followSymlinks: false }], console.log);
 * ```
 */
export async function createWorkerHashAll(setup: WorkerSetup): Promise<HashAll> {
  const windows = Deno.build.os === "windows";
  const native = setup.nativeLibraries;
  const fs = (native ? libcSyncFs(setup.checkOpenedFiles) : undefined) ??
    (await import("node:fs") as unknown as SyncFsSubset);
  const libcrypto = native ? openLibcrypto() : undefined;
  const createHash: CreateHash = libcrypto
    ? (algorithm) => {
      throw new Error("no OpenSSL digest for " + algorithm);
    }
    : (await import("node:crypto")).createHash as unknown as CreateHash;
  const hashFactory = withLibcrypto(createHash, libcrypto);
  const digestOnce = libcryptoDigestOnce(createHash, libcrypto);
  const buffer = new Uint8Array(setup.chunkSize);
  const hashOne = (request: HashRequest, opened?: { fd: number; size: number }) =>
    hashPathSync(fs, hashFactory, digestOnce, classifyFileError, request, buffer, windows, opened);
  const oneByOne: HashAll = (requests, settle) =>
    requests.forEach((request, index) => settle(index, hashOne(request)));
  // MD5 in SIMD lanes, several files at once, where WebAssembly runs; one file at a time otherwise.
  let lanes;
  try {
    lanes = setup.md5Lanes
      ? createMd5Lanes(base64Bytes(md5LanesModuleBase64), setup.chunkSize)
      : undefined;
  } catch {
    lanes = undefined;
  }
  if (lanes === undefined) return oneByOne;
  const tools: LaneTools = {
    fs,
    lanes,
    laneFactories: Array.from(
      { length: lanes.laneCount },
      () => withLibcrypto(createHash, libcrypto),
    ),
    digestOnce,
    classify: classifyFileError,
    open: (request) => openForHashing(fs, classifyFileError, request, windows),
    hashOne,
    largestInLanes,
  };
  return (requests, settle) => hashInLanes(tools, requests, settle);
}

/**
 * Serves the pool from a worker's global `scope`: the first message is the
 * {@linkcode WorkerSetup}; batches that arrive while the worker sets up wait,
 * in order. A setup that fails ends the worker with an error, which the pool
 * turns into `error` answers for its files.
 */
export function serveHashWorker(scope: WorkerScope): void {
  const early: RequestBatch[] = [];
  let handle: ((batch: RequestBatch) => void) | undefined;
  let setUp = false;
  scope.onmessage = (event) => {
    if (handle) return handle(event.data);
    if (setUp) return void early.push(event.data);
    setUp = true;
    // A setup that throws rejects here, unhandled: that ends the worker with an error.
    createWorkerHashAll(event.data as WorkerSetup).then((hashAll) => {
      const post = (answers: AnswerBatch) => scope.postMessage(answers);
      handle = (batch) => answerBatch(batch, hashAll, post, flushAfterMs);
      for (const batch of early.splice(0)) handle(batch);
    });
  };
}

// Uint8Array.fromBase64 takes microseconds where a callback per byte took ~2.5 ms of start-up.
function base64Bytes(text: string): Uint8Array {
  const withFromBase64 = Uint8Array as unknown as { fromBase64?(text: string): Uint8Array };
  return withFromBase64.fromBase64
    ? withFromBase64.fromBase64(text)
    : Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
