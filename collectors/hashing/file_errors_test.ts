import { deepStrictEqual } from "node:assert/strict";
import { classifyFileError } from "./file_errors.ts";

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
