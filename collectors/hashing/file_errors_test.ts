import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { classifyFileError } from "./file_errors.ts";

Deno.test("classifyFileError sorts errors into skip reasons", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  assertEquals(classifyFileError(coded("EACCES")).reason, "unreadable");
  assertEquals(classifyFileError(coded("EPERM")).reason, "unreadable");
  assertEquals(classifyFileError(coded("EBUSY")).reason, "locked");
  // A positioned read on a FIFO swapped in after the checks.
  assertEquals(classifyFileError(coded("ESPIPE")).reason, "special-file");
  assertEquals(
    classifyFileError(new Error("used by another process (os error 32)")).reason,
    "locked",
  );
  assertEquals(classifyFileError(coded("ENOENT")).reason, "not-found");
  assertEquals(classifyFileError(coded("ENAMETOOLONG")).reason, "path-too-long");
  assertEquals(classifyFileError(coded("ELOOP")).reason, "symlink");
  assertEquals(classifyFileError(coded("ESPECIAL")).reason, "special-file");
  assertEquals(classifyFileError(new Deno.errors.PermissionDenied("no")).reason, "unreadable");
  assertEquals(classifyFileError(new Deno.errors.NotCapable("all access")).reason, "unreadable");
  assertEquals(classifyFileError("weird").reason, "error");
});
