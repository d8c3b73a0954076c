/**
 * Hashing several files at once in a worker, so that MD5 runs in SIMD lanes
 * (md5_lanes.ts): each lane holds one file, every round reads the next bytes
 * of each file into its lane's window, and one kernel call advances all their
 * MD5s. SHA-1 and SHA-256 (SHA-NI in OpenSSL, already fast) read the same
 * window. MD5 has one long dependency chain per message, so eight files
 * hashed together cost about what two cost one after the other.
 *
 * @module
 */
import type {
  CreateHash,
  DigestOnce,
  FileFailure,
  HashAlgorithm,
  HashRequest,
  SyncFsSubset,
  WorkerAnswer,
} from "./types.ts";
import type { Md5Lanes } from "./md5_lanes.ts";
import { growthAllowance } from "./read_limits.ts";

/** What {@linkcode hashInLanes} works with; a worker builds it once. */
export interface LaneTools {
  fs: SyncFsSubset;
  lanes: Md5Lanes;
  /**
   * One digest factory per lane: files in different lanes stream their
   * SHA digests at the same time, so each lane needs contexts of its own.
   */
  laneFactories: readonly CreateHash[];
  digestOnce: DigestOnce;
  classify: (error: unknown) => FileFailure;
  /**
   * Checks and opens a file to read: its descriptor and size, or the answer
   * for a file not to be read (`openForHashing`, open_for_hashing.ts).
   */
  open(request: HashRequest): { fd: number; size: number } | WorkerAnswer;
  /**
   * Hashes one file on its own (OpenSSL's MD5), for files that gain nothing
   * from a lane; `opened` when it is open already (it is closed all the same).
   */
  hashOne(request: HashRequest, opened?: { fd: number; size: number }): WorkerAnswer;
  /**
   * Files larger than this are hashed on their own: once the files around it
   * are done, a large file would run alone in the kernel, at about three
   * quarters of OpenSSL's MD5 pace.
   */
  largestInLanes: number;
}

/**
 * Hashes `requests`, calling `settle(index, answer)` for each as its file is
 * done (not in request order). Requests without MD5, and an MD5 request with
 * no other to share the lanes with, go through `tools.hashOne`. The files
 * enter the lanes smallest first: a round costs what its largest file costs,
 * so files of about the same size keep every lane busy. They are opened (and
 * sorted) in waves of at most 32 ({@linkcode hashWaveInLanes}), so that a
 * worker holds few descriptors whatever the size of its message.
 *
 * @example
 * ```ts ignore
 * import { hashInLanes } from "./lane_hasher.ts";
 * hashInLanes(tools, requests, (index, answer) => answers[index] = answer);
 * ```
 */
export function hashInLanes(
  tools: LaneTools,
  requests: readonly HashRequest[],
  settle: (index: number, answer: WorkerAnswer) => void,
): void {
  // Waves of equal size, 32 at most: a wave of one file would have no one to share lanes with.
  const wave = Math.ceil(requests.length / Math.ceil(requests.length / 32));
  for (let start = 0; start < requests.length; start += wave) {
    hashWaveInLanes(
      tools,
      requests.slice(start, start + wave),
      (index, answer) => settle(start + index, answer),
    );
  }
}

/**
 * One wave of {@linkcode hashInLanes}: every MD5 request of `requests` is
 * checked and opened, then hashed in the lanes, smallest first.
 */
export function hashWaveInLanes(
  tools: LaneTools,
  requests: readonly HashRequest[],
  settle: (index: number, answer: WorkerAnswer) => void,
): void {
  const { fs, lanes } = tools;
  const laneCount = lanes.laneCount;
  const capacity = lanes.laneCapacity;

  interface LaneFile {
    index: number;
    fd: number;
    size: number;
    position: number;
    ended: boolean;
    /** The digests other than MD5 this file wants. */
    others: HashAlgorithm[];
    /** Those digests, when the whole file fit in its first read. */
    digests: Partial<Record<HashAlgorithm, string>>;
    /** Their streaming contexts, for files read in several rounds. */
    streams: ReturnType<CreateHash>[] | undefined;
  }
  const slots: (LaneFile | undefined)[] = new Array(laneCount).fill(undefined);
  const counts: number[] = new Array(laneCount).fill(0);
  let active = 0;

  // Every MD5 request is checked and opened first; those to read wait in size order for a lane.
  const waiting: { index: number; fd: number; size: number }[] = [];
  // Opens that failed with an "error" (such as EMFILE: a wave's files, up to 32, are all open at
  // once here): tried again alone once the lanes have closed their files.
  const retried: number[] = [];
  const hashRetried = () => {
    for (const index of retried) settle(index, tools.hashOne(requests[index]!));
  };
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index]!;
    if (!request.algorithms.includes("md5")) {
      settle(index, tools.hashOne(request));
      continue;
    }
    const opened = tools.open(request);
    if (!("fd" in opened)) {
      if (!("split" in opened) && !opened.ok && opened.reason === "error") retried.push(index);
      else settle(index, opened);
    } else if (opened.size > tools.largestInLanes) settle(index, tools.hashOne(request, opened));
    else waiting.push({ index, fd: opened.fd, size: opened.size });
  }
  waiting.sort((a, b) => a.size - b.size);
  // Nothing to share the lanes with.
  if (waiting.length === 1) {
    const only = waiting[0]!;
    settle(only.index, tools.hashOne(requests[only.index]!, only));
  }
  if (waiting.length <= 1) return hashRetried();

  const finish = (lane: number, answer: WorkerAnswer) => {
    const file = slots[lane]!;
    slots[lane] = undefined;
    active--;
    closeQuietly(file.fd);
    settle(file.index, answer);
  };

  // Puts the next waiting file, if any, in the lane.
  let next = 0;
  const fill = (lane: number) => {
    if (next < waiting.length) {
      const { index, fd, size } = waiting[next++]!;
      lanes.reset(lane);
      slots[lane] = {
        index,
        fd,
        size,
        position: 0,
        ended: false,
        others: requests[index]!.algorithms.filter((algorithm) => algorithm !== "md5"),
        digests: {},
        streams: undefined,
      };
      active++;
    }
  };

  const closeQuietly = (fd: number) => {
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing to do about a failed close of a read-only descriptor.
    }
  };

  try {
    for (;;) {
      for (let lane = 0; lane < laneCount; lane++) if (slots[lane] === undefined) fill(lane);
      if (active === 0) break;

      // One round: the next bytes of every file, up to a window each.
      for (let lane = 0; lane < laneCount; lane++) {
        counts[lane] = 0;
        const file = slots[lane];
        if (file === undefined) continue;
        const window = lanes.input(lane);
        // What is left of the size seen plus one byte, to notice the end (or growth) at once.
        const wanted = file.position > file.size
          ? capacity
          : Math.min(capacity, file.size - file.position + 1);
        let count: number;
        try {
          count = fs.readSync(file.fd, window, 0, wanted, file.position);
        } catch (error) {
          finish(lane, { ok: false, ...tools.classify(error) });
          continue;
        }
        if (count === 0 && file.position < file.size) {
          // The end came before the size seen at open: the digests would be a prefix's.
          finish(lane, {
            ok: false,
            reason: "changed-while-read",
            detail:
              `shrank while read (${file.size} bytes at the start, ended after ${file.position})`,
          });
          continue;
        }
        const data = window.subarray(0, count);
        file.ended = count === 0 || (count < wanted && file.position + count >= file.size);
        if (file.others.length > 0) {
          if (file.position === 0 && file.ended) {
            for (const algorithm of file.others) {
              file.digests[algorithm] = tools.digestOnce(algorithm, data);
            }
          } else {
            const factory = tools.laneFactories[lane]!;
            file.streams ??= file.others.map((algorithm) => factory(algorithm));
            for (const stream of file.streams) stream.update(data);
          }
        }
        file.position += count;
        if (!file.ended && file.position > file.size + growthAllowance) {
          finish(lane, {
            ok: false,
            reason: "changed-while-read",
            detail:
              `kept growing while read (${file.size} bytes at the start, ${file.position} read)`,
          });
          continue;
        }
        counts[lane] = count;
      }
      lanes.update(counts);

      for (let lane = 0; lane < laneCount; lane++) {
        const file = slots[lane];
        if (file === undefined || !file.ended) continue;
        const digests = file.digests;
        file.streams?.forEach((stream, at) => digests[file.others[at]!] = stream.digest("hex"));
        digests.md5 = lanes.digest(lane);
        finish(lane, { ok: true, digests, bytes: file.position });
      }
    }
  } finally {
    // Left only when something threw: the files still open are closed, not leaked.
    for (const file of slots) if (file !== undefined) closeQuietly(file.fd);
    for (let at = next; at < waiting.length; at++) closeQuietly(waiting[at]!.fd);
  }
  hashRetried();
}
