/**
 * Review tests of the hashing path (worker pool, MD5 lanes, batches): adversarial file sets
 * through the real `createWorkerHasher`, compared with `node:crypto`, with files that change
 * under the workers, and the pool's life cycle. Every wait has a deadline, so a hang fails.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { deadline, digestsOf, patterned } from "./_test_helpers.ts";
import type { ContentHasher, HashAlgorithm, HashOutcome, HashRequest } from "./types.ts";
import { createWorkerHasher, type WorkerHasherOptions } from "./worker_pool.ts";

const mebibyte = 1 << 20;
const linux = Deno.build.os === "linux";

/** An outcome without the failure detail, digests in a fixed key order. */
function shape(outcome: HashOutcome): unknown {
  if (!outcome.ok) return { reason: outcome.reason };
  const { md5, sha1, sha256 } = outcome.digests;
  return { md5, sha1, sha256, bytes: outcome.bytes };
}

function expectedOk(bytes: Uint8Array, algorithms: readonly HashAlgorithm[]): unknown {
  return shape({ ok: true, digests: digestsOf(bytes, algorithms), bytes: bytes.length });
}

const digestSets: HashAlgorithm[][] = [
  ["md5"],
  ["md5", "sha256"],
  ["sha1"],
  ["md5", "sha1", "sha256"],
  ["md5", "sha1"],
  ["sha256"],
  ["sha1", "sha256"],
];

async function mkfifo(path: string): Promise<boolean> {
  const made = await new Deno.Command("mkfifo", { args: [path] }).output();
  return made.success;
}

interface Case {
  request: HashRequest;
  expected: unknown;
}

/** Files of every awkward size, each with several digest sets, and every kind of failure. */
async function adversarialCases(folder: string): Promise<Case[]> {
  const sizes = [
    0,
    1,
    2,
    55,
    56,
    57,
    63,
    64,
    65,
    119,
    120,
    127,
    128,
    129,
    4095,
    4096,
    65535,
    65536,
    mebibyte - 65,
    mebibyte - 64,
    mebibyte - 1,
    mebibyte,
    mebibyte + 1,
    mebibyte + 55,
    mebibyte + 64,
    2 * mebibyte - 1,
    2 * mebibyte,
    2 * mebibyte + 1,
    3 * mebibyte + 7,
    5 * mebibyte + 3,
  ];
  // Many small files of distinct content between them, so that lanes and batches mix.
  let seed = 99;
  for (let index = 0; index < 120; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    sizes.push(seed % 9000);
  }
  const cases: Case[] = [];
  for (const [index, size] of sizes.entries()) {
    const bytes = patterned(size, index + 1);
    const path = `${folder}/f${index}.bin`;
    await Deno.writeFile(path, bytes);
    // Each file once with a digest set of its own, the large ones twice (two lanes, one file).
    const sets = size > 60_000
      ? [digestSets[index % 7]!, digestSets[(index + 3) % 7]!]
      : [digestSets[index % 7]!];
    for (const algorithms of sets) {
      cases.push({
        request: { path, algorithms, followSymlinks: false },
        expected: expectedOk(bytes, algorithms),
      });
    }
    // The size cap at the file's size is no cap; one byte under it is.
    if (index % 10 === 3 && size > 0) {
      cases.push({
        request: { path, algorithms: ["md5", "sha1"], followSymlinks: false, maxSize: size },
        expected: expectedOk(bytes, ["md5", "sha1"]),
      });
      cases.push({
        request: { path, algorithms: ["md5"], followSymlinks: false, maxSize: size - 1 },
        expected: { reason: "too-large" },
      });
    }
  }
  const target = `${folder}/f3.bin`;
  const targetBytes = await Deno.readFile(target);
  await Deno.symlink(target, `${folder}/link`);
  await Deno.symlink(`${folder}/none`, `${folder}/dangling`);
  await Deno.mkdir(`${folder}/dir`);
  await Deno.symlink(`${folder}/dir`, `${folder}/dirlink`);
  const failures: Case[] = [
    {
      request: { path: `${folder}/none`, algorithms: ["md5"], followSymlinks: false },
      expected: { reason: "not-found" },
    },
    {
      request: { path: `${folder}/dir`, algorithms: ["md5", "sha1"], followSymlinks: false },
      expected: { reason: "special-file" },
    },
    {
      request: { path: `${folder}/link`, algorithms: ["md5"], followSymlinks: false },
      expected: { reason: "symlink" },
    },
    {
      request: { path: `${folder}/link`, algorithms: ["md5", "sha256"], followSymlinks: true },
      expected: expectedOk(targetBytes, ["md5", "sha256"]),
    },
    {
      request: { path: `${folder}/dangling`, algorithms: ["md5"], followSymlinks: true },
      expected: { reason: "not-found" },
    },
    {
      request: { path: `${folder}/dirlink`, algorithms: ["md5"], followSymlinks: true },
      expected: { reason: "special-file" },
    },
    {
      request: { path: `${folder}/dirlink`, algorithms: ["sha1"], followSymlinks: false },
      expected: { reason: "symlink" },
    },
  ];
  if (linux && await mkfifo(`${folder}/pipe`)) {
    failures.push({
      request: { path: `${folder}/pipe`, algorithms: ["md5"], followSymlinks: false },
      expected: { reason: "special-file" },
    });
    await Deno.symlink(`${folder}/pipe`, `${folder}/pipelink`);
    failures.push({
      request: { path: `${folder}/pipelink`, algorithms: ["md5", "sha1"], followSymlinks: true },
      expected: { reason: "special-file" },
    });
  }
  // Failures spread through the requests, so that they fall inside lanes and batches.
  for (const [index, failure] of failures.entries()) cases.splice(7 + index * 23, 0, failure);
  return cases;
}

/** Hashes every case: half at once, the rest in waves while the first are answered. */
async function hashAll(hasher: ContentHasher, cases: readonly Case[]): Promise<unknown[]> {
  const half = Math.floor(cases.length / 2);
  const first = cases.slice(0, half).map((entry) => hasher.hash(entry.request));
  const rest: Promise<HashOutcome>[] = [];
  for (let index = half; index < cases.length; index++) {
    if (index % 17 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    rest.push(hasher.hash(cases[index]!.request));
  }
  const outcomes = await deadline(Promise.all([...first, ...rest]), 20_000, "hashing");
  return outcomes.map(shape);
}

Deno.test("createWorkerHasher: node:crypto's digests for awkward sizes, digest sets and failures, in every mode", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const cases = await adversarialCases(folder);
    const modes: WorkerHasherOptions[] = [
      {},
      { md5Lanes: false },
      { nativeLibraries: false },
      { workers: 1 },
      // Small lane windows: every file larger than 64 KiB takes several rounds.
      { chunkSize: 65536, splitAbove: 3 * mebibyte },
      // Files opened first and checked through the descriptor (the default with every
      // permission, as the engine runs), in lanes and one at a time.
      { checkOpenedFiles: true },
      { checkOpenedFiles: true, md5Lanes: false },
      { checkOpenedFiles: true, chunkSize: 65536, splitAbove: 3 * mebibyte },
    ];
    for (const mode of modes) {
      const hasher = createWorkerHasher(mode);
      hasher.prepare();
      const answers = await hashAll(hasher, cases);
      hasher.release();
      for (const [index, entry] of cases.entries()) {
        deepStrictEqual(
          answers[index],
          entry.expected,
          `${JSON.stringify(mode)}: ${entry.request.path} ${entry.request.algorithms}`,
        );
      }
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test({
  name:
    "createWorkerHasher: files vanished or swapped for a FIFO, a link or a folder after the request are skipped, never hashed, never blocking",
  ignore: !linux,
  async fn() {
    for (const swapRound of [0, 1]) {
      const folder = await Deno.makeTempDir();
      try {
        const count = 60;
        const contents: Uint8Array[] = [];
        for (let index = 0; index < count; index++) {
          contents.push(patterned(1000 + index * 997, index + 7));
          await Deno.writeFile(`${folder}/f${index}`, contents[index]!);
        }
        for (let index = 0; index < count; index += 5) await mkfifo(`${folder}/spare-fifo${index}`);
        const keep = patterned(70_000, 1);
        await Deno.writeFile(`${folder}/keep`, keep);
        await Deno.mkdir(`${folder}/spare-dir`);
        const expected: unknown[] = [];
        const outcomes: Promise<HashOutcome>[] = [];
        // Checked by path before the open, or opened first and checked through the descriptor.
        const hasher = createWorkerHasher({ checkOpenedFiles: swapRound === 1 });
        for (let index = 0; index < count; index++) {
          const algorithms = digestSets[index % 7]!;
          const followSymlinks = index % 5 === 3;
          outcomes.push(hasher.hash({ path: `${folder}/f${index}`, algorithms, followSymlinks }));
          expected.push(expectedOk(contents[index]!, algorithms));
        }
        // The requests wait for the end of this turn: everything below happens before any worker
        // sees them.
        for (let index = 0; index < count; index++) {
          const path = `${folder}/f${index}`;
          const algorithms = digestSets[index % 7]!;
          switch (index % 5) {
            case 0: // A FIFO renamed over the file.
              Deno.renameSync(`${folder}/spare-fifo${index}`, path);
              expected[index] = { reason: "special-file" };
              break;
            case 1: // Gone.
              Deno.removeSync(path);
              expected[index] = { reason: "not-found" };
              break;
            case 2: // A link to another file, not followed.
              Deno.symlinkSync(`${folder}/f${index + 2}`, `${path}.new`);
              Deno.renameSync(`${path}.new`, path);
              expected[index] = { reason: "symlink" };
              break;
            case 3: // A link to another file, followed: that file's digests.
              Deno.symlinkSync(`${folder}/keep`, `${path}.new`);
              Deno.renameSync(`${path}.new`, path);
              expected[index] = expectedOk(keep, algorithms);
              break;
            case 4: // The first of these becomes a folder; the others stay.
              if (index === 4) {
                Deno.removeSync(path);
                Deno.renameSync(`${folder}/spare-dir`, path);
                expected[index] = { reason: "special-file" };
              }
              break;
          }
        }
        const answers = await deadline(Promise.all(outcomes), 15_000, "swapped files");
        hasher.release();
        deepStrictEqual(answers.map(shape), expected, `round ${swapRound}`);
      } finally {
        await Deno.remove(folder, { recursive: true });
      }
    }
  },
});

Deno.test({
  name:
    "createWorkerHasher: files that grow or shrink while read give the digests of a prefix of what they held, or changed-while-read",
  ignore: !linux,
  async fn() {
    // Every byte of a file depends only on its position (a 64 KiB period), and while a pass
    // runs the files only gain whole periods at their end (appends) or only lose them
    // (truncation): whatever a read sees is a prefix of the same endless pattern, so every
    // digest must be that prefix's. One exception is the kernel's, not the hasher's: a read racing
    // a truncation can return the last pages as zeros (ext4 does, for any reader), so a shrinking
    // file may also give the prefix with its last pages zeroed. Never mixed here: a file
    // truncated and extended again while read can show zeros anywhere. The growing files gain
    // at most `maxAppends` periods a pass: a writer that never stops can outrun a busy reader,
    // which then gives up past 64 MiB of growth (`kept growing while read`), as designed.
    const period = 65536;
    const page = 4096;
    const maxAppends = 48;
    const pattern = patterned(period, 4242);
    const prefix = (length: number) => {
      const bytes = new Uint8Array(length);
      for (let at = 0; at < length; at += period) {
        bytes.set(pattern.subarray(0, Math.min(period, length - at)), at);
      }
      return bytes;
    };
    const folder = await Deno.makeTempDir();
    const files = 4;
    const growing = (index: number) => `${folder}/grow${index}`;
    const shrinking = (index: number) => `${folder}/shrink${index}`;
    try {
      const steady = Array.from(
        { length: 4 },
        (_, index) => patterned(300_000 + index, 500 + index),
      );
      for (const [index, bytes] of steady.entries()) {
        await Deno.writeFile(`${folder}/s${index}`, bytes);
      }
      const seen: { answer: HashOutcome; where: string; shrinking: boolean }[] = [];
      for (const mode of [{}, { md5Lanes: false }, { chunkSize: 65536 }] as WorkerHasherOptions[]) {
        const hasher = createWorkerHasher(mode);
        for (let pass = 0; pass < 3; pass++) {
          for (let index = 0; index < files; index++) {
            await Deno.writeFile(growing(index), prefix(period * (4 + index * 5)));
            await Deno.writeFile(shrinking(index), prefix(period * (30 + index * 5)));
          }
          let changing = true;
          const changer = (async () => {
            for (let appends = 0; changing; appends++) {
              let changed = false;
              for (let index = 0; index < files; index++) {
                if (appends < maxAppends) {
                  await Deno.writeFile(growing(index), pattern, { append: true });
                  changed = true;
                }
                const size = (await Deno.stat(shrinking(index))).size;
                if (size > period) {
                  await Deno.truncate(shrinking(index), size - period);
                  changed = true;
                }
              }
              if (!changed) await new Promise((resolve) => setTimeout(resolve, 1));
            }
          })();
          try {
            const requests: Promise<HashOutcome>[] = [];
            for (let index = 0; index < files; index++) {
              const algorithms = digestSets[(index + pass) % 7]!;
              requests.push(
                hasher.hash({ path: growing(index), algorithms, followSymlinks: false }),
              );
              requests.push(
                hasher.hash({ path: shrinking(index), algorithms, followSymlinks: false }),
              );
              requests.push(
                hasher.hash({
                  path: `${folder}/s${index}`,
                  algorithms: ["md5", "sha1"],
                  followSymlinks: false,
                }),
              );
            }
            const answers = await deadline(Promise.all(requests), 15_000, "changing files");
            for (const [at, answer] of answers.entries()) {
              const index = Math.floor(at / 3);
              if (at % 3 === 2) {
                deepStrictEqual(shape(answer), expectedOk(steady[index]!, ["md5", "sha1"]));
              } else {
                seen.push({
                  answer,
                  where: `${JSON.stringify(mode)} pass ${pass} file ${at}`,
                  shrinking: at % 3 === 1,
                });
              }
            }
          } finally {
            changing = false;
            await changer;
          }
        }
        hasher.release();
      }
      // Whether `digests` are those of the prefix of `length` bytes zeroed from `from` on.
      const digestsMatch = (
        digests: Partial<Record<HashAlgorithm, string>>,
        length: number,
        from = length,
      ) => {
        const algorithms = Object.keys(digests).sort() as HashAlgorithm[];
        const bytes = prefix(length);
        bytes.fill(0, from);
        return JSON.stringify(digestsOf(bytes, algorithms)) ===
          JSON.stringify(Object.fromEntries(algorithms.map((name) => [name, digests[name]])));
      };
      let exact = 0;
      let shrunk = 0;
      for (const { answer, where, shrinking } of seen) {
        // A file that shrank while read is skipped, never given a prefix's digests.
        if (shrinking && !answer.ok && answer.reason === "changed-while-read") {
          shrunk++;
          continue;
        }
        ok(answer.ok, JSON.stringify(answer));
        let matched = digestsMatch(answer.digests, answer.bytes);
        if (matched) exact++;
        // A truncation race: the prefix zeroed from a page on, within its last 3 periods.
        const lastPage = Math.ceil(answer.bytes / page) * page;
        for (
          let from = lastPage - page;
          shrinking && !matched && from >= Math.max(0, lastPage - 3 * period);
          from -= page
        ) {
          matched = digestsMatch(answer.digests, answer.bytes, from);
        }
        ok(
          matched,
          `${answer.bytes} bytes, ${where}: ${JSON.stringify(answer.digests)} is not a prefix's`,
        );
      }
      // The zeroed tails are the rare exception.
      ok(exact > (seen.length - shrunk) / 2, `${exact} of ${seen.length - shrunk} exact`);
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
Deno.test("createWorkerHasher: release while hashing, then a second round (workers restart), and split files with only one worker up", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const files: { path: string; bytes: Uint8Array }[] = [];
    for (let index = 0; index < 40; index++) {
      const bytes = patterned(index * 4099, 900 + index);
      const path = `${folder}/r${index}`;
      await Deno.writeFile(path, bytes);
      files.push({ path, bytes });
    }
    const big = patterned(6 * mebibyte + 5, 77);
    await Deno.writeFile(`${folder}/big`, big);
    const all: HashAlgorithm[] = ["md5", "sha1", "sha256"];
    const hasher = createWorkerHasher({ splitAbove: 4 * mebibyte });
    // Round one: released at once, while every request is still in flight.
    const round = () =>
      files.map((file, index) =>
        hasher.hash({ path: file.path, algorithms: digestSets[index % 7]!, followSymlinks: false })
      );
    const first = round();
    hasher.release();
    const firstAnswers = await deadline(Promise.all(first), 10_000, "released round");
    // Round two after the pool ended: a split file first, so that only one worker is up when
    // its halves leave; small files and a second split file behind it.
    const bigFirst = hasher.hash({ path: `${folder}/big`, algorithms: all, followSymlinks: false });
    const second = round();
    const bigAgain = hasher.hash({
      path: `${folder}/big`,
      algorithms: ["sha1", "sha256"],
      followSymlinks: false,
    });
    const [bigAnswer, bigAgainAnswer, ...secondAnswers] = await deadline(
      Promise.all([bigFirst, bigAgain, ...second]),
      15_000,
      "second round with split files",
    );
    for (const answers of [firstAnswers, secondAnswers]) {
      deepStrictEqual(
        answers.map(shape),
        files.map((file, index) => expectedOk(file.bytes, digestSets[index % 7]!)),
      );
    }
    deepStrictEqual(shape(bigAnswer!), expectedOk(big, all));
    deepStrictEqual(shape(bigAgainAnswer!), expectedOk(big, ["sha1", "sha256"]));
    hasher.release();
    // A fresh pool whose very first request is a split file: nothing else to grow it.
    const lone = createWorkerHasher({ splitAbove: 4 * mebibyte });
    lone.prepare();
    const loneAnswer = await deadline(
      lone.hash({ path: `${folder}/big`, algorithms: all, followSymlinks: false }),
      10_000,
      "lone split file",
    );
    lone.release();
    deepStrictEqual(shape(loneAnswer), expectedOk(big, all));
    // One worker only: never split.
    const single = createWorkerHasher({ workers: 1, splitAbove: 4 * mebibyte });
    const singleAnswer = await deadline(
      single.hash({ path: `${folder}/big`, algorithms: all, followSymlinks: false }),
      10_000,
      "one worker",
    );
    single.release();
    deepStrictEqual(shape(singleAnswer), expectedOk(big, all));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
