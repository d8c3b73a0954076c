import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { classifyFileError } from "./file_errors.ts";
import { libcSyncFs } from "./libc_sync_fs.ts";
import { openForHashing } from "./open_for_hashing.ts";
import { hashPathSync } from "./sync_hasher.ts";
import type {
  CreateHash,
  HashAlgorithm,
  HashRequest,
  SyncFsSubset,
  WorkerAnswer,
} from "./types.ts";
import { hashInLanes, type LaneTools } from "./lane_hasher.ts";
import { createMd5Lanes, md5LanesModuleBytes } from "./md5_lanes.ts";

const windows = Deno.build.os === "windows";
const nodeHash = createHash as unknown as CreateHash;
const digestOnce = (algorithm: HashAlgorithm, data: Uint8Array) =>
  createHash(algorithm).update(data).digest("hex");

const nodeSyncFs = fs as unknown as SyncFsSubset;

/**
 * The file calls to test with: node:fs (checks by path before the open) and,
 * on Linux, libc opening first and checking the descriptor.
 */
const syncFsKinds: [string, SyncFsSubset][] = [
  ["node:fs", nodeSyncFs],
  ...(libcSyncFs(true) ? [["libc", libcSyncFs(true)!] as [string, SyncFsSubset]] : []),
];

/** Lane tools over `syncFs` and node:crypto, with small windows so that files take many rounds. */
function laneTools(
  laneCapacity: number,
  largestInLanes: number,
  calls: string[],
  syncFs = nodeSyncFs,
): LaneTools {
  const buffer = new Uint8Array(4096);
  const lanes = createMd5Lanes(md5LanesModuleBytes(), laneCapacity);
  return {
    fs: syncFs,
    lanes,
    laneFactories: Array.from({ length: lanes.laneCount }, () => nodeHash),
    digestOnce,
    classify: classifyFileError,
    open: (request) => openForHashing(syncFs, classifyFileError, request, windows),
    hashOne(request, opened) {
      calls.push(request.path);
      return hashPathSync(
        syncFs,
        nodeHash,
        digestOnce,
        classifyFileError,
        request,
        buffer,
        windows,
        opened,
      );
    },
    largestInLanes,
  };
}

function expectedAnswer(bytes: Uint8Array, algorithms: readonly HashAlgorithm[]): WorkerAnswer {
  const digests: Partial<Record<HashAlgorithm, string>> = {};
  for (const algorithm of algorithms) digests[algorithm] = digestOnce(algorithm, bytes);
  return { ok: true, digests, bytes: bytes.length };
}

/** Digests in a fixed key order, so that answers compare whatever order they were filled in. */
function canonical(answer: WorkerAnswer | undefined): unknown {
  if (answer === undefined || !("ok" in answer)) return answer;
  if (!answer.ok) return { ok: false, reason: answer.reason };
  const { md5, sha1, sha256 } = answer.digests;
  return { md5, sha1, sha256, bytes: answer.bytes };
}

Deno.test("hashInLanes gives node:crypto's digests for files of every size and digest set, each settled once", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const sets: HashAlgorithm[][] = [["md5"], ["md5", "sha1"], ["md5", "sha1", "sha256"], [
      "sha256",
    ]];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const requests: HashRequest[] = [];
    const expected: WorkerAnswer[] = [];
    for (let index = 0; index < 120; index++) {
      // Sizes around the 100-byte window and the 64-byte block, up to a dozen rounds.
      const size = index < 10 ? [0, 1, 55, 63, 64, 65, 99, 100, 101, 128][index]! : Math
        .floor(random() * 1200);
      const bytes = new Uint8Array(size).map(() => Math.floor(random() * 256));
      const path = `${folder}/${index}.bin`;
      await Deno.writeFile(path, bytes);
      const algorithms = sets[index % sets.length]!;
      requests.push({ path, algorithms, followSymlinks: false });
      expected.push(expectedAnswer(bytes, algorithms));
    }
    // Failures between them: a folder, a missing file, a file over the size cap.
    await Deno.mkdir(`${folder}/sub`);
    requests.splice(5, 0, { path: `${folder}/sub`, algorithms: ["md5"], followSymlinks: false });
    expected.splice(5, 0, { ok: false, reason: "special-file", detail: "not a regular file" });
    requests.splice(9, 0, { path: `${folder}/none`, algorithms: ["md5"], followSymlinks: false });
    expected.splice(9, 0, { ok: false, reason: "not-found", detail: "" });
    requests.splice(20, 0, { ...requests[30]!, maxSize: 0 });
    expected.splice(20, 0, { ok: false, reason: "too-large", detail: "" });

    for (const [kind, syncFs] of syncFsKinds) {
      const calls: string[] = [];
      const answers: (WorkerAnswer | undefined)[] = [];
      let settled = 0;
      const tracked = tracking(syncFs);
      hashInLanes(laneTools(100, 1000, calls, tracked.fs), requests, (index, answer) => {
        deepStrictEqual(answers[index], undefined);
        answers[index] = answer;
        settled++;
      });
      deepStrictEqual(settled, requests.length, kind);
      deepStrictEqual(answers.map(canonical), expected.map(canonical), kind);
      deepStrictEqual(tracked.open.size, 0, kind);
      // SHA-256-only requests and files over `largestInLanes` went through hashOne, nothing else.
      const alone = requests.filter((request, index) => {
        const answer = expected[index]!;
        const large = "ok" in answer && answer.ok && answer.bytes > 1000;
        return !request.algorithms.includes("md5") || (request.maxSize === undefined && large);
      }).map((request) => request.path);
      deepStrictEqual(calls, alone, kind);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

/**
 * `syncFs` counting what it opened and has not closed yet (a count of the
 * process's descriptors would see the other tests running in parallel).
 */
function tracking(
  syncFs: SyncFsSubset,
): { fs: SyncFsSubset; open: Set<number>; most: () => number } {
  const open = new Set<number>();
  let most = 0;
  const fs: SyncFsSubset = {
    constants: syncFs.constants,
    openSync(path, flags) {
      const fd = syncFs.openSync(path, flags);
      open.add(fd);
      most = Math.max(most, open.size);
      return fd;
    },
    readSync: (fd, buffer, offset, length, position) =>
      syncFs.readSync(fd, buffer, offset, length, position),
    closeSync(fd) {
      open.delete(fd);
      syncFs.closeSync(fd);
    },
  };
  if (syncFs.statOpened) fs.statOpened = (fd) => syncFs.statOpened!(fd);
  return { fs, open, most: () => most };
}

Deno.test("hashInLanes holds at most 32 files open, whatever the size of the message", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const requests: HashRequest[] = [];
    const expected: WorkerAnswer[] = [];
    for (let index = 0; index < 130; index++) {
      const bytes = new Uint8Array(index * 13).fill(index);
      await Deno.writeFile(`${folder}/${index}`, bytes);
      requests.push({ path: `${folder}/${index}`, algorithms: ["md5"], followSymlinks: false });
      expected.push(expectedAnswer(bytes, ["md5"]));
    }
    for (const [kind, syncFs] of syncFsKinds) {
      const tracked = tracking(syncFs);
      const calls: string[] = [];
      const answers: WorkerAnswer[] = [];
      hashInLanes(laneTools(100, 100_000, calls, tracked.fs), requests, (index, answer) => {
        answers[index] = answer;
      });
      deepStrictEqual(answers.map(canonical), expected.map(canonical), kind);
      deepStrictEqual(tracked.most() <= 32, true, `${kind}: ${tracked.most()} open at once`);
      deepStrictEqual(tracked.open.size, 0, kind);
      // 130 files in waves of 26: none alone, so none hashed outside the lanes.
      deepStrictEqual(calls, [], kind);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("hashInLanes closes every file it opened when a digest throws midway", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const requests: HashRequest[] = [];
    for (let index = 0; index < 40; index++) {
      await Deno.writeFile(`${folder}/${index}`, new Uint8Array(50 + index * 30).fill(index));
      requests.push({
        path: `${folder}/${index}`,
        algorithms: ["md5", "sha1"],
        followSymlinks: false,
      });
    }
    for (const [kind, syncFs] of syncFsKinds) {
      const tracked = tracking(syncFs);
      const tools = laneTools(100, 100_000, [], tracked.fs);
      let digests = 0;
      tools.digestOnce = (algorithm, data) => {
        if (++digests === 5) throw new Error("digest failed");
        return digestOnce(algorithm, data);
      };
      tools.laneFactories = tools.laneFactories.map(() => () => {
        throw new Error("stream failed");
      });
      let failed: unknown;
      try {
        hashInLanes(tools, requests, () => {});
      } catch (error) {
        failed = error;
      }
      deepStrictEqual(failed instanceof Error, true, kind);
      deepStrictEqual(tracked.open.size, 0, kind);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("hashInLanes hashes a lone MD5 request on its own, and one sharing the lanes in them", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const bytes = new TextEncoder().encode("lone file\n");
    await Deno.writeFile(`${folder}/a`, bytes);
    await Deno.writeFile(`${folder}/b`, bytes);
    const request = (name: string): HashRequest => ({
      path: `${folder}/${name}`,
      algorithms: ["md5"],
      followSymlinks: false,
    });
    const calls: string[] = [];
    const answers: WorkerAnswer[] = [];
    hashInLanes(laneTools(100, 1000, calls), [request("a")], (index, answer) => {
      answers[index] = answer;
    });
    deepStrictEqual(calls, [`${folder}/a`]);
    hashInLanes(laneTools(100, 1000, calls), [request("a"), request("b")], (index, answer) => {
      answers[index + 1] = answer;
    });
    deepStrictEqual(calls, [`${folder}/a`]);
    deepStrictEqual(answers, [1, 2, 3].map(() => expectedAnswer(bytes, ["md5"])));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("hashInLanes hashes every file when the process may hold only a few descriptors more", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const requests: HashRequest[] = [];
    const expected: unknown[] = [];
    for (let index = 0; index < 40; index++) {
      const bytes = new Uint8Array(50 + index * 30).fill(index);
      await Deno.writeFile(`${folder}/${index}`, bytes);
      requests.push({ path: `${folder}/${index}`, algorithms: ["md5"], followSymlinks: false });
      expected.push(canonical(expectedAnswer(bytes, ["md5"])));
    }
    for (const [kind, syncFs] of syncFsKinds) {
      const tracked = tracking(syncFs);
      // A low RLIMIT_NOFILE: an open beyond a few descriptors fails, as the kernel's EMFILE.
      const limited: SyncFsSubset = {
        ...tracked.fs,
        openSync(path, flags) {
          if (tracked.open.size >= 10) {
            throw Object.assign(new Error(`EMFILE: too many open files, open '${path}'`), {
              code: "EMFILE",
            });
          }
          return tracked.fs.openSync(path, flags);
        },
      };
      const answers: unknown[] = new Array(requests.length);
      hashInLanes(laneTools(100, 100_000, [], limited), requests, (index, answer) => {
        answers[index] = canonical(answer);
      });
      deepStrictEqual(answers, expected, kind);
      deepStrictEqual(tracked.open.size, 0, kind);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
