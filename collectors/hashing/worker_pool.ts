/**
 * Hashing in a pool of Deno workers, each reading its files itself: the pool
 * hands out requests a share at a time, splits a large file's digests over
 * two workers, and falls back on hashing in this thread where workers cannot
 * start. The workers run `hash_worker.ts`, started from the text in
 * `hash_worker_source.ts` (worker_protocol.ts says what travels between them).
 *
 * @module
 */
import { holdsEveryPermission } from "./every_permission.ts";
import { hashWorkerSource } from "./hash_worker_source.ts";
import { createInProcessHasher, defaultChunkSize } from "./in_process_hasher.ts";
import { ShareSizer } from "./share_size.ts";
import { defaultSplitAbove, joinHalves, splitAlgorithms } from "./split_digests.ts";
import type { ContentHasher, HashOutcome, HashRequest, WorkerAnswer } from "./types.ts";
import {
  decodeAnswers,
  encodeRequest,
  type RequestBatch,
  type WorkerSetup,
} from "./worker_protocol.ts";

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

// One blob URL of the worker's program for every pool of this process: workers start from text,
// so that they need no module file next to a bundle or inside a compiled binary.
let workerUrl: string | undefined;
const hashWorkerUrl = () =>
  workerUrl ??= URL.createObjectURL(
    new Blob([hashWorkerSource], { type: "application/javascript" }),
  );

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
 * import { createWorkerHasher } from "./worker_pool.ts";
 * const hasher = createWorkerHasher({ workers: 2 });
 * const outcome = await hasher.hash({ path: "/bin/ls", algorithms: ["md5"], followSymlinks: false });
 * hasher.release();
 * ```
 */
export function createWorkerHasher(options: WorkerHasherOptions = {}): ContentHasher {
  const size = Math.max(1, options.workers ?? 2);
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  const splitAbove = options.splitAbove ?? defaultSplitAbove;
  const setup: WorkerSetup = {
    chunkSize,
    nativeLibraries: options.nativeLibraries ?? true,
    md5Lanes: options.md5Lanes ?? true,
    checkOpenedFiles: options.checkOpenedFiles ?? holdsEveryPermission(),
  };
  const shares = new ShareSizer();
  let pool: PoolWorker[] = [];
  let fallback: ContentHasher | undefined;
  let inFlight = 0;
  let released = false;

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
    const started: PoolWorker[] = [];
    for (let index = 0; index < count; index++) {
      const worker = new Worker(hashWorkerUrl(), { type: "module" });
      worker.postMessage(setup);
      const entry: PoolWorker = { worker, waiting: [], codes: [], head: 0 };
      worker.onmessage = (event) => {
        const first = entry.head;
        decodeAnswers(event.data, (index) => entry.codes[first + index]!, (index, answer) => {
          const queued = entry.waiting[first + index];
          entry.waiting[first + index] = undefined as never;
          queued?.answered(answer, queued);
        });
        entry.head += event.data.sizes.length;
        shares.answered(event.data.sizes);
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

  // Requests no worker holds yet, oldest first.
  let backlog: QueuedRequest[] = [];

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
    const cap = shares.size();
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
