import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { createInProcessHasher } from "./in_process_hasher.ts";
import type { HashOutcome } from "./types.ts";
import { createWorkerHasher } from "./worker_pool.ts";

Deno.test("createWorkerHasher and createInProcessHasher give the same digests and skip reasons", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const bytes = new Uint8Array(3 * 65536 + 17).map((_, index) => (index * 31) & 0xff);
    await Deno.writeFile(`${folder}/data.bin`, bytes);
    const expected = {
      md5: createHash("md5").update(bytes).digest("hex"),
      sha1: createHash("sha1").update(bytes).digest("hex"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
    };
    const workers = createWorkerHasher({ workers: 2, chunkSize: 65536 });
    const inProcess = createInProcessHasher(undefined, 65536);
    for (const hasher of [workers, inProcess]) {
      const path = `${folder}/data.bin`;
      const request = {
        path,
        algorithms: ["md5", "sha1", "sha256"] as const,
        followSymlinks: false,
      };
      deepStrictEqual(await hasher.hash(request), {
        ok: true,
        digests: expected,
        bytes: bytes.length,
      });
      const capped = await hasher.hash({ ...request, maxSize: 1000 });
      deepStrictEqual(capped.ok ? "" : capped.reason, "too-large");
      const missing = await hasher.hash({ ...request, path: `${folder}/none` });
      deepStrictEqual(missing.ok ? "" : missing.reason, "not-found");
      hasher.release();
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createWorkerHasher agrees with createInProcessHasher around the one-read size and on every failure", async () => {
  // The workers read files up to their 1 MiB buffer in one call and digest them in one shot;
  // larger ones stream. Both sides of that edge, empty files and every skip must match the
  // in-process hasher exactly.
  const folder = await Deno.makeTempDir();
  const mebibyte = 1 << 20;
  const paths: string[] = [];
  try {
    for (const size of [0, 1, 8191, mebibyte - 1, mebibyte, mebibyte + 1, 3 * mebibyte + 17]) {
      const path = `${folder}/size-${size}.bin`;
      await Deno.writeFile(
        path,
        new Uint8Array(size).map((_, index) => (index * 131 + size) & 0xff),
      );
      paths.push(path);
    }
    await Deno.symlink(paths[1]!, `${folder}/link.bin`);
    await Deno.mkdir(`${folder}/folder`);
    paths.push(`${folder}/link.bin`, `${folder}/folder`, `${folder}/vanished.bin`);
    if (Deno.build.os !== "windows") {
      // Never opened (it would block): the lstat says what it is.
      const made = await new Deno.Command("mkfifo", { args: [`${folder}/pipe`] }).output();
      if (made.success) paths.push(`${folder}/pipe`);
    }
    if (Deno.build.os === "linux") paths.push("/proc/self/status");
    const algorithms = ["md5", "sha1", "sha256"] as const;
    const answers = async (hasher: ReturnType<typeof createInProcessHasher>) => {
      const outcomes = await Promise.all(
        paths.map((path) => hasher.hash({ path, algorithms, followSymlinks: false })),
      );
      const followed = await hasher.hash({
        path: `${folder}/link.bin`,
        algorithms: ["sha1"],
        followSymlinks: true,
      });
      hasher.release();
      return [...outcomes, followed].map((outcome: HashOutcome) =>
        outcome.ok ? outcome : { ok: false, reason: outcome.reason }
      );
    };
    const inWorkers = await answers(createWorkerHasher({ workers: 2 }));
    const inProcess = await answers(createInProcessHasher());
    deepStrictEqual(inWorkers, inProcess);
    // Workers without libc and libcrypto (node:fs and node:crypto, as on Windows) agree too,
    // and so do workers hashing one file at a time (no MD5 lanes).
    deepStrictEqual(
      await answers(createWorkerHasher({ workers: 2, nativeLibraries: false })),
      inProcess,
    );
    deepStrictEqual(await answers(createWorkerHasher({ workers: 2, md5Lanes: false })), inProcess);
    // Workers that open first and check the descriptor agree on everything, except that they
    // read what Deno refuses this test without --allow-all (/proc/self/status).
    const procAt = paths.indexOf("/proc/self/status");
    const withoutProc = (outcomes: unknown[]) => outcomes.filter((_, index) => index !== procAt);
    const openedFirst = await answers(createWorkerHasher({ workers: 2, checkOpenedFiles: true }));
    deepStrictEqual(withoutProc(openedFirst), withoutProc(inProcess));
    for (const [index, size] of [0, 1, 8191, mebibyte - 1, mebibyte, mebibyte + 1].entries()) {
      const bytes = await Deno.readFile(paths[index]!);
      deepStrictEqual(inWorkers[index], {
        ok: true,
        digests: {
          md5: createHash("md5").update(bytes).digest("hex"),
          sha1: createHash("sha1").update(bytes).digest("hex"),
          sha256: createHash("sha256").update(bytes).digest("hex"),
        },
        bytes: size,
      });
    }
    const reasons = inWorkers.slice(7).map((outcome) => outcome.ok ? "ok" : outcome.reason);
    deepStrictEqual(reasons.slice(0, 3), ["symlink", "special-file", "not-found"]);
    if (paths.includes(`${folder}/pipe`)) deepStrictEqual(reasons[3], "special-file");
    deepStrictEqual(reasons.at(-1), "ok");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createWorkerHasher splits a large file's digests over two workers, same answer", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const bytes = new Uint8Array(200_000).map((_, index) => (index * 7) & 0xff);
    await Deno.writeFile(`${folder}/large.bin`, bytes);
    const hasher = createWorkerHasher({ workers: 2, splitAbove: 100_000, chunkSize: 65536 });
    const request = {
      path: `${folder}/large.bin`,
      algorithms: ["md5", "sha1", "sha256"] as const,
      followSymlinks: false,
    };
    deepStrictEqual(await hasher.hash(request), {
      ok: true,
      digests: {
        md5: createHash("md5").update(bytes).digest("hex"),
        sha1: createHash("sha1").update(bytes).digest("hex"),
        sha256: createHash("sha256").update(bytes).digest("hex"),
      },
      bytes: bytes.length,
    });
    const capped = await hasher.hash({ ...request, maxSize: 150_000 });
    deepStrictEqual(capped.ok ? "" : capped.reason, "too-large");
    hasher.release();
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createWorkerHasher answers hundreds of requests made at once, small and large, each with its own digests", async () => {
  // More requests than a worker takes at once: the rest wait in the pool and are handed out
  // as answers come back, a share at a time to each of the two workers.
  const folder = await Deno.makeTempDir();
  try {
    const sizes = Array.from({ length: 600 }, (_, index) => index < 500 ? index * 3 : 300_000);
    const expected: string[] = [];
    for (const [index, size] of sizes.entries()) {
      const bytes = new Uint8Array(size).map((_, at) => (at + index) & 0xff);
      await Deno.writeFile(`${folder}/${index}.bin`, bytes);
      // Every other file wants MD5 as well: those share the MD5 lanes.
      expected.push(
        (index % 2 ? createHash("md5").update(bytes).digest("hex") : "") +
          createHash("sha1").update(bytes).digest("hex"),
      );
    }
    const hasher = createWorkerHasher({ workers: 2 });
    const outcomes = await Promise.all(
      sizes.map((_, index) =>
        hasher.hash({
          path: `${folder}/${index}.bin`,
          algorithms: index % 2 ? ["md5", "sha1"] : ["sha1"],
          followSymlinks: false,
        })
      ),
    );
    hasher.release();
    deepStrictEqual(
      outcomes.map((outcome) =>
        outcome.ok ? (outcome.digests.md5 ?? "") + outcome.digests.sha1 : outcome
      ),
      expected,
    );
    deepStrictEqual(outcomes.map((outcome) => outcome.ok ? outcome.bytes : -1), sizes);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("hashBatch answers like hash, in request order, failures and split files included", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const sizes = [0, 1, 100, 70_000, 5_000, 300_000];
    for (const [index, size] of sizes.entries()) {
      await Deno.writeFile(
        `${folder}/${index}.bin`,
        new Uint8Array(size).map((_, at) => (at * 5 + index) & 0xff),
      );
    }
    await Deno.symlink(`${folder}/1.bin`, `${folder}/link.bin`);
    const paths = [
      ...sizes.map((_, index) => `${folder}/${index}.bin`),
      `${folder}/none`,
      `${folder}/link.bin`,
      folder,
    ];
    const requests = paths.map((path, index) => ({
      path,
      algorithms: index % 2 ? ["md5", "sha256"] as const : ["md5", "sha1", "sha256"] as const,
      followSymlinks: false,
      ...(index === 4 ? { maxSize: 1000 } : {}),
    }));
    const hashers = [
      createWorkerHasher({ workers: 2 }),
      // The 300,000-byte file is split over the two workers.
      createWorkerHasher({ workers: 2, splitAbove: 200_000 }),
      createInProcessHasher(),
    ];
    for (const hasher of hashers) {
      const oneByOne = [];
      for (const request of requests) oneByOne.push(await hasher.hash(request));
      deepStrictEqual(await hasher.hashBatch(requests), oneByOne);
      deepStrictEqual(await hasher.hashBatch([]), []);
      hasher.release();
    }
    const reasons = (await hashers[0]!.hashBatch(requests)).map((outcome) =>
      outcome.ok ? outcome.bytes : outcome.reason
    );
    hashers[0]!.release();
    deepStrictEqual(reasons, [
      0,
      1,
      100,
      70_000,
      "too-large",
      300_000,
      "not-found",
      "symlink",
      "special-file",
    ]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test({
  name: "createWorkerHasher does not open first where --deny-read takes some paths back",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const folder = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${folder}/denied.txt`, "secret");
      const pool = new URL("./worker_pool.ts", import.meta.url).href;
      const permission = new URL("./every_permission.ts", import.meta.url).href;
      await Deno.writeTextFile(
        `${folder}/child.ts`,
        `import { createWorkerHasher } from ${JSON.stringify(pool)};
import { holdsEveryPermission } from ${JSON.stringify(permission)};
const hasher = createWorkerHasher({ workers: 1 });
const outcome = await hasher.hash({
  path: ${JSON.stringify(`${folder}/denied.txt`)}, algorithms: ["md5"], followSymlinks: false,
});
hasher.release();
console.log(JSON.stringify({ every: holdsEveryPermission(), ok: outcome.ok }));`,
      );
      // --allow-all with one path denied: "read" is still granted, but only in part.
      const child = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `--deny-read=${folder}/denied.txt`, `${folder}/child.ts`],
        stderr: "inherit",
      }).output();
      deepStrictEqual(child.success, true);
      deepStrictEqual(JSON.parse(new TextDecoder().decode(child.stdout)), {
        every: false,
        ok: false,
      });
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
