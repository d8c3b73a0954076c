import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import {
  checkForHashing,
  type HashAlgorithm,
  hashPathSync,
  type HashRequest,
  openChecked,
  type SyncFsSubset,
  type WorkerAnswer,
} from "./content_hasher.ts";
import { classifyFileError, type CreateHash } from "./file_opener.ts";
import { hashInLanes, type LaneTools } from "./lane_hasher.ts";
import { createMd5Lanes, md5LanesModuleBytes } from "./md5_lanes.ts";

const windows = Deno.build.os === "windows";
const nodeHash = createHash as unknown as CreateHash;
const digestOnce = (algorithm: HashAlgorithm, data: Uint8Array) =>
  createHash(algorithm).update(data).digest("hex");

/** Lane tools over node:fs and node:crypto, with small windows so that files take many rounds. */
function laneTools(laneCapacity: number, largestInLanes: number, calls: string[]): LaneTools {
  const syncFs = fs as unknown as SyncFsSubset;
  const buffer = new Uint8Array(4096);
  const lanes = createMd5Lanes(md5LanesModuleBytes(), laneCapacity);
  return {
    fs: syncFs,
    lanes,
    laneFactories: Array.from({ length: lanes.laneCount }, () => nodeHash),
    digestOnce,
    classify: classifyFileError,
    check: (request) => checkForHashing(classifyFileError, request),
    open: (request) => openChecked(syncFs, classifyFileError, request, windows),
    hashOne(request) {
      calls.push(request.path);
      return hashPathSync(
        syncFs,
        nodeHash,
        digestOnce,
        classifyFileError,
        request,
        buffer,
        windows,
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

    const calls: string[] = [];
    const answers: (WorkerAnswer | undefined)[] = [];
    let settled = 0;
    hashInLanes(laneTools(100, 1000, calls), requests, (index, answer) => {
      assertEquals(answers[index], undefined);
      answers[index] = answer;
      settled++;
    });
    assertEquals(settled, requests.length);
    assertEquals(answers.map(canonical), expected.map(canonical));
    // SHA-256-only requests and files over `largestInLanes` went through hashOne, nothing else.
    const alone = requests.filter((request, index) => {
      const answer = expected[index]!;
      const large = "ok" in answer && answer.ok && answer.bytes > 1000;
      return !request.algorithms.includes("md5") || (request.maxSize === undefined && large);
    }).map((request) => request.path);
    assertEquals(calls, alone);
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
    assertEquals(calls, [`${folder}/a`]);
    hashInLanes(laneTools(100, 1000, calls), [request("a"), request("b")], (index, answer) => {
      answers[index + 1] = answer;
    });
    assertEquals(calls, [`${folder}/a`]);
    assertEquals(answers, [1, 2, 3].map(() => expectedAnswer(bytes, ["md5"])));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
