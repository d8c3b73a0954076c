/**
 * Files truncated between the size check and the read: every hashing path
 * (the worker's one-file read, the MD5 lanes, the in-process hasher, the
 * halves of a split file) skips them as `changed-while-read` instead of
 * returning the digests of a prefix. The truncation is made by a double of
 * the file calls at a chosen call, not by a racing writer.
 */
import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import { classifyFileError } from "./file_errors.ts";
import { nodeFileOpener, type NodeFsSubset } from "./file_opener.ts";
import { hashPath } from "./in_process_hasher.ts";
import { openForHashing } from "./open_for_hashing.ts";
import { joinHalves } from "./split_digests.ts";
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

/** node:fs, except that the `readAt`-th read (from 0) first truncates `path` to `keep` bytes. */
function truncatingFs(path: string, keep: number, readAt: number): SyncFsSubset {
  let reads = 0;
  const real = fs as unknown as SyncFsSubset;
  return {
    constants: real.constants,
    openSync: (file, flags) => real.openSync(file, flags),
    closeSync: (fd) => real.closeSync(fd),
    readSync(fd, buffer, offset, length, position) {
      if (reads++ === readAt) Deno.truncateSync(path, keep);
      return real.readSync(fd, buffer, offset, length, position);
    },
  };
}

function reasonOf(answer: WorkerAnswer | undefined): string {
  if (answer === undefined || "split" in answer) return String(answer);
  return answer.ok ? `ok ${answer.bytes}` : answer.reason;
}

async function withFiles(
  sizes: number[],
  fn: (paths: string[]) => Promise<void> | void,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const paths = sizes.map((_, index) => join(dir, `f${index}`));
    for (const [index, size] of sizes.entries()) {
      await Deno.writeFile(paths[index]!, new Uint8Array(size).fill(index + 1));
    }
    await fn(paths);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const request = (path: string, algorithms: HashAlgorithm[] = ["md5", "sha1"]): HashRequest => ({
  path,
  algorithms,
  followSymlinks: false,
});

Deno.test("hashPathSync: a file truncated before its first read or midway is changed-while-read", async () => {
  // 1000 bytes fit the 4096-byte buffer; 20000 bytes stream through it.
  for (
    const [size, keep, readAt] of [[1000, 500, 0], [1000, 0, 0], [20000, 10000, 0], [
      20000,
      9000,
      2,
    ]]
  ) {
    await withFiles([size!], ([path]) => {
      const answer = hashPathSync(
        truncatingFs(path!, keep!, readAt!),
        nodeHash,
        digestOnce,
        classifyFileError,
        request(path!),
        new Uint8Array(4096),
        windows,
      );
      deepStrictEqual(
        reasonOf(answer),
        "changed-while-read",
        `${size} → ${keep} at read ${readAt}`,
      );
      if (!("split" in answer) && !answer.ok) {
        deepStrictEqual(
          answer.detail.startsWith(`shrank while read (${size} bytes at the start`),
          true,
        );
      }
    });
  }
  // The same file left alone is hashed whole.
  await withFiles([20000], ([path]) => {
    const answer = hashPathSync(
      fs as unknown as SyncFsSubset,
      nodeHash,
      digestOnce,
      classifyFileError,
      request(path!),
      new Uint8Array(4096),
      windows,
    );
    deepStrictEqual(reasonOf(answer), "ok 20000");
  });
});

Deno.test("hashInLanes: a file truncated while in a lane is changed-while-read, the others are hashed", async () => {
  await withFiles([3000, 3000, 3000], (paths) => {
    // Read 4 is the second round's read of the first lane (three lanes a round).
    const syncFs = truncatingFs(paths[0]!, 1000, 3);
    const lanes = createMd5Lanes(md5LanesModuleBytes(), 1000);
    const tools: LaneTools = {
      fs: syncFs,
      lanes,
      laneFactories: Array.from({ length: lanes.laneCount }, () => nodeHash),
      digestOnce,
      classify: classifyFileError,
      open: (r) => openForHashing(syncFs, classifyFileError, r, windows),
      hashOne: (r, opened) =>
        hashPathSync(
          syncFs,
          nodeHash,
          digestOnce,
          classifyFileError,
          r,
          new Uint8Array(4096),
          windows,
          opened,
        ),
      largestInLanes: 100_000,
    };
    const answers: WorkerAnswer[] = [];
    hashInLanes(
      tools,
      paths.map((path) => request(path)),
      (index, answer) => answers[index] = answer,
    );
    deepStrictEqual(answers.map(reasonOf), ["changed-while-read", "ok 3000", "ok 3000"]);
  });
});

Deno.test("hashPath (in process): a file truncated after it was opened is changed-while-read", async () => {
  await withFiles([5000], async ([path]) => {
    const real = nodeFileOpener(fs as unknown as NodeFsSubset, windows);
    const opener = {
      async open(file: string, options: { followSymlinks: boolean }) {
        const opened = await real.open(file, options);
        await Deno.truncate(file, 100);
        return opened;
      },
    };
    const outcome = await hashPath(opener, nodeHash, classifyFileError, request(path!), 1024);
    deepStrictEqual(outcome.ok ? "ok" : outcome.reason, "changed-while-read");
  });
});

Deno.test("joinHalves: halves that read different sizes are changed-while-read", () => {
  const joined = joinHalves([
    { ok: true, digests: { md5: "a" }, bytes: 10 },
    { ok: true, digests: { sha1: "b" }, bytes: 12 },
  ]);
  deepStrictEqual(joined.ok ? "ok" : joined.reason, "changed-while-read");
  deepStrictEqual(
    joinHalves([
      { ok: true, digests: { md5: "a" }, bytes: 10 },
      { ok: true, digests: { sha1: "b" }, bytes: 10 },
    ]),
    { ok: true, digests: { md5: "a", sha1: "b" }, bytes: 10 },
  );
});
