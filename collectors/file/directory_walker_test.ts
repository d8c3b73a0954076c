import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { osPathOf, pathTooLong } from "./directory_walker.ts";

Deno.test("osPathOf adds the \\\\?\\ prefix to long Windows paths only", () => {
  const long = `C:\\${"a".repeat(300)}\\file.txt`;
  assertEquals(osPathOf("windows", long), `\\\\?\\${long}`);
  const unc = `\\\\server\\share\\${"b".repeat(300)}`;
  assertEquals(osPathOf("windows", unc), `\\\\?\\UNC\\server\\share\\${"b".repeat(300)}`);
  assertEquals(osPathOf("windows", "C:\\short.txt"), "C:\\short.txt");
  assertEquals(osPathOf("windows", `\\\\?\\${long}`), `\\\\?\\${long}`);
  assertEquals(osPathOf("linux", `/${"c".repeat(5000)}`), `/${"c".repeat(5000)}`);
});

Deno.test("pathTooLong: Linux counts UTF-8 bytes against PATH_MAX, Windows characters against 32,767", () => {
  assertEquals(pathTooLong("linux", `/${"a".repeat(4094)}`), undefined);
  assertEquals(pathTooLong("linux", `/${"a".repeat(4095)}`), "4096 bytes; the limit is 4095");
  // 1,366 three-byte characters: short in UTF-16, too long in bytes.
  assertEquals(pathTooLong("linux", `/${"文".repeat(1366)}`), "4099 bytes; the limit is 4095");
  assertEquals(pathTooLong("windows", `C:\\${"a".repeat(4000)}`), undefined);
  assertEquals(
    pathTooLong("windows", `C:\\${"a".repeat(32765)}`),
    "32768 characters; Windows allows 32767",
  );
});
