import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  createInProcessHasher,
  createWorkerHasher,
  splitAlgorithms,
  withLibcryptoMd5,
} from "./content_hasher.ts";

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
      assertEquals(await hasher.hash(request), {
        ok: true,
        digests: expected,
        bytes: bytes.length,
      });
      const capped = await hasher.hash({ ...request, maxSize: 1000 });
      assertEquals(capped.ok ? "" : capped.reason, "too-large");
      const missing = await hasher.hash({ ...request, path: `${folder}/none` });
      assertEquals(missing.ok ? "" : missing.reason, "not-found");
      hasher.release();
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("withLibcryptoMd5 gives node:crypto's digests, chunk by chunk, context reused", () => {
  const factory = withLibcryptoMd5(createHash as never);
  for (const size of [0, 1, 65, 300_001]) {
    const bytes = new Uint8Array(size).map((_, index) => (index * 13) & 0xff);
    for (const algorithm of ["md5", "sha1", "sha256"]) {
      const hash = factory(algorithm);
      for (let offset = 0; offset < size; offset += 4096) {
        hash.update(bytes.subarray(offset, offset + 4096));
      }
      assertEquals(hash.digest("hex"), createHash(algorithm).update(bytes).digest("hex"));
    }
  }
});

Deno.test("splitAlgorithms puts MD5 alone, the cheaper digests together", () => {
  assertEquals(splitAlgorithms(["md5", "sha1", "sha256"]), [["md5"], ["sha1", "sha256"]]);
  assertEquals(splitAlgorithms(["sha256", "md5"]), [["md5"], ["sha256"]]);
  assertEquals(splitAlgorithms(["sha1", "sha256"]), [["sha1"], ["sha256"]]);
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
    assertEquals(await hasher.hash(request), {
      ok: true,
      digests: {
        md5: createHash("md5").update(bytes).digest("hex"),
        sha1: createHash("sha1").update(bytes).digest("hex"),
        sha256: createHash("sha256").update(bytes).digest("hex"),
      },
      bytes: bytes.length,
    });
    const capped = await hasher.hash({ ...request, maxSize: 150_000 });
    assertEquals(capped.ok ? "" : capped.reason, "too-large");
    hasher.release();
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
