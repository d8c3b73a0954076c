import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { streamDigests } from "./stream_digests.ts";
import type { CreateHash, OpenedFile } from "./types.ts";

function memoryFile(bytes: Uint8Array, reads: number[]): OpenedFile {
  return {
    size: bytes.length,
    read(buffer, position) {
      const chunk = bytes.subarray(position, position + buffer.length);
      buffer.set(chunk);
      reads.push(chunk.length);
      return Promise.resolve(chunk.length);
    },
    close: () => Promise.resolve(),
  };
}

Deno.test("streamDigests feeds every chunk to all hashes in one pass", async () => {
  const bytes = new Uint8Array(10_000).map((_, index) => index * 7);
  const reads: number[] = [];
  const result = await streamDigests(
    memoryFile(bytes, reads),
    ["md5", "sha1", "sha256"],
    createHash as unknown as CreateHash,
    4096,
  );
  deepStrictEqual(result.bytes, 10_000);
  deepStrictEqual(reads, [4096, 4096, 1808]);
  for (const algorithm of ["md5", "sha1", "sha256"]) {
    deepStrictEqual(result.digests[algorithm], createHash(algorithm).update(bytes).digest("hex"));
  }
});

Deno.test("streamDigests reads a small or empty file once", async () => {
  const reads: number[] = [];
  const small = await streamDigests(
    memoryFile(new Uint8Array([1, 2, 3]), reads),
    ["md5"],
    createHash as unknown as CreateHash,
    4096,
  );
  deepStrictEqual(reads, [3]);
  deepStrictEqual(
    small.digests.md5,
    createHash("md5").update(new Uint8Array([1, 2, 3])).digest("hex"),
  );
  const empty = await streamDigests(
    memoryFile(new Uint8Array(), []),
    ["sha256"],
    createHash as unknown as CreateHash,
    4096,
  );
  deepStrictEqual(
    empty.digests.sha256,
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});
