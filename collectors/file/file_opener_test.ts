import { deepStrictEqual, rejects } from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import {
  classifyFileError,
  type CreateHash,
  nodeFileOpener,
  type NodeFsSubset,
  type OpenedFile,
  streamDigests,
} from "./file_opener.ts";

const opener = nodeFileOpener(fs as unknown as NodeFsSubset, Deno.build.os === "windows");

Deno.test("classifyFileError sorts errors into skip reasons", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  deepStrictEqual(classifyFileError(coded("EACCES")).reason, "unreadable");
  deepStrictEqual(classifyFileError(coded("EPERM")).reason, "unreadable");
  deepStrictEqual(classifyFileError(coded("EBUSY")).reason, "locked");
  // A positioned read on a FIFO swapped in after the checks.
  deepStrictEqual(classifyFileError(coded("ESPIPE")).reason, "special-file");
  deepStrictEqual(
    classifyFileError(new Error("used by another process (os error 32)")).reason,
    "locked",
  );
  deepStrictEqual(classifyFileError(coded("ENOENT")).reason, "not-found");
  deepStrictEqual(classifyFileError(coded("ENAMETOOLONG")).reason, "path-too-long");
  deepStrictEqual(classifyFileError(coded("ELOOP")).reason, "symlink");
  deepStrictEqual(classifyFileError(coded("ESPECIAL")).reason, "special-file");
  deepStrictEqual(classifyFileError(new Deno.errors.PermissionDenied("no")).reason, "unreadable");
  deepStrictEqual(classifyFileError(new Deno.errors.NotCapable("all access")).reason, "unreadable");
  deepStrictEqual(classifyFileError("weird").reason, "error");
});

Deno.test({
  name: "nodeFileOpener refuses a FIFO at once instead of waiting for a writer",
  ignore: Deno.build.os === "windows",
  async fn() {
    const folder = await Deno.makeTempDir();
    try {
      const made = await new Deno.Command("mkfifo", { args: [`${folder}/pipe`] }).output();
      deepStrictEqual(made.success, true);
      await rejects(opener.open(`${folder}/pipe`, { followSymlinks: false }), { code: "ESPECIAL" });
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name: "nodeFileOpener does not follow a link unless asked",
  ignore: Deno.build.os === "windows",
  async fn() {
    const folder = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${folder}/target`, "x");
      await Deno.symlink(`${folder}/target`, `${folder}/link`);
      await rejects(opener.open(`${folder}/link`, { followSymlinks: false }), { code: "ELOOP" });
      const file = await opener.open(`${folder}/link`, { followSymlinks: true });
      deepStrictEqual(file.size, 1);
      await file.close();
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

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
