import { deepStrictEqual } from "node:assert/strict";
import { splitAlgorithms } from "./split_digests.ts";

Deno.test("splitAlgorithms puts MD5 alone, the cheaper digests together", () => {
  deepStrictEqual(splitAlgorithms(["md5", "sha1", "sha256"]), [["md5"], ["sha1", "sha256"]]);
  deepStrictEqual(splitAlgorithms(["sha256", "md5"]), [["md5"], ["sha256"]]);
  deepStrictEqual(splitAlgorithms(["sha1", "sha256"]), [["sha1"], ["sha256"]]);
});
