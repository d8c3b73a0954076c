import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { libcryptoDigestOnce, openLibcrypto, withLibcrypto } from "./libcrypto.ts";

Deno.test("libcryptoDigestOnce gives node:crypto's digests, with libcrypto and without", () => {
  for (
    const digestOnce of [
      libcryptoDigestOnce(createHash as never, openLibcrypto()),
      libcryptoDigestOnce(createHash as never, undefined),
    ]
  ) {
    for (const size of [0, 1, 55, 56, 64, 65, 300_001]) {
      const bytes = new Uint8Array(size + 3).map((_, index) => (index * 13) & 0xff);
      // A view that does not start at the buffer's start, as the workers pass.
      const view = bytes.subarray(3);
      for (const algorithm of ["md5", "sha1", "sha256"] as const) {
        deepStrictEqual(
          digestOnce(algorithm, view),
          createHash(algorithm).update(view).digest("hex"),
        );
      }
    }
  }
});

Deno.test("withLibcrypto gives node:crypto's digests, chunk by chunk, contexts reused", () => {
  // Two hashes of different algorithms at once, as a worker streams a large file.
  const factory = withLibcrypto(createHash as never, openLibcrypto());
  const both = [factory("md5"), factory("sha256")];
  for (const hash of both) hash.update(new Uint8Array([1, 2, 3]));
  deepStrictEqual(both.map((hash) => hash.digest("hex")), [
    createHash("md5").update(new Uint8Array([1, 2, 3])).digest("hex"),
    createHash("sha256").update(new Uint8Array([1, 2, 3])).digest("hex"),
  ]);
  for (const size of [0, 1, 65, 300_001]) {
    const bytes = new Uint8Array(size).map((_, index) => (index * 13) & 0xff);
    for (const algorithm of ["md5", "sha1", "sha256"]) {
      const hash = factory(algorithm);
      for (let offset = 0; offset < size; offset += 4096) {
        hash.update(bytes.subarray(offset, offset + 4096));
      }
      deepStrictEqual(hash.digest("hex"), createHash(algorithm).update(bytes).digest("hex"));
    }
  }
});
