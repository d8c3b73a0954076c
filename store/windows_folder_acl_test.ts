import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  icaclsProtectArguments,
  protectWindowsFolder,
  WINDOWS_STORE_FOLDER_SDDL,
} from "./windows_folder_acl.ts";

Deno.test("icaclsProtectArguments() drops inheritance and grants SYSTEM and Administrators only", () => {
  deepStrictEqual(icaclsProtectArguments("C:\\ProgramData\\IocScan"), [
    "C:\\ProgramData\\IocScan",
    "/inheritance:r",
    "/grant:r",
    "*S-1-5-18:(OI)(CI)F",
    "*S-1-5-32-544:(OI)(CI)F",
  ]);
  strictEqual(WINDOWS_STORE_FOLDER_SDDL, "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
});

Deno.test("protectWindowsFolder() runs icacls with an argument array and fails loudly", () => {
  const calls: [string, readonly string[]][] = [];
  const folder = 'C:\\Data\\a" & calc & "\\IocScan';
  protectWindowsFolder(folder, (program, args) => {
    calls.push([program, args]);
    return { code: 0, output: "processed 1 file" };
  });
  deepStrictEqual(calls, [["icacls", icaclsProtectArguments(folder)]]);
  strictEqual(calls[0]![1][0], folder);
  throws(
    () => protectWindowsFolder(folder, () => ({ code: 5, output: "Access is denied." })),
    /could not restrict .* \(icacls exit 5\): Access is denied\./,
  );
});
