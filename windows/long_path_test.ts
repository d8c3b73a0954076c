import { strictEqual } from "node:assert/strict";
import {
  driveRoot,
  isUncPath,
  isUnderWindowsFolder,
  maxShortPathChars,
  ntObjectPath,
  plainWindowsPath,
  sameWindowsPath,
  win32ApiPath,
} from "./long_path.ts";

const deep = `C:\\${"folder\\".repeat(40)}evil.exe`;

Deno.test("win32ApiPath prefixes \\\\?\\ past 259 characters, \\\\?\\UNC\\ for a share", () => {
  strictEqual(win32ApiPath("C:/Temp/x.exe"), "C:\\Temp\\x.exe");
  strictEqual(win32ApiPath(deep), `\\\\?\\${deep}`);
  const share = `\\\\srv\\share\\${"d\\".repeat(130)}x`;
  strictEqual(win32ApiPath(share), `\\\\?\\UNC\\srv\\share\\${"d\\".repeat(130)}x`);
  // Exactly 259 characters stays short; 260 does not.
  const at = `C:\\${"a".repeat(maxShortPathChars - 3)}`;
  strictEqual(win32ApiPath(at), at);
  strictEqual(win32ApiPath(`${at}b`), `\\\\?\\${at}b`);
  // The prefix turns normalisation off: `..` and slashes are resolved first.
  const climbing = `C:\\${"x".repeat(300)}\\..\\y/z.exe`;
  strictEqual(win32ApiPath(climbing), "C:\\y\\z.exe");
  // An already prefixed path is not prefixed twice.
  strictEqual(win32ApiPath(`\\\\?\\${deep}`), `\\\\?\\${deep}`);
});

Deno.test("plainWindowsPath and ntObjectPath spell the same file three ways", () => {
  strictEqual(plainWindowsPath("\\\\?\\C:\\x\\.\\y"), "C:\\x\\y");
  strictEqual(plainWindowsPath("\\\\?\\UNC\\srv\\share\\x"), "\\\\srv\\share\\x");
  strictEqual(plainWindowsPath("\\??\\C:\\x"), "C:\\x");
  strictEqual(plainWindowsPath("C:\\..\\..\\x"), "C:\\x");
  strictEqual(plainWindowsPath("C:\\"), "C:\\");
  strictEqual(plainWindowsPath("\\\\?\\Volume{1234}\\x"), "\\\\?\\Volume{1234}\\x");
  strictEqual(ntObjectPath("C:\\Temp\\evil.exe"), "\\??\\C:\\Temp\\evil.exe");
  strictEqual(ntObjectPath(`\\\\?\\${deep}`), `\\??\\${deep}`);
  strictEqual(ntObjectPath("\\\\srv\\share\\x"), "\\??\\UNC\\srv\\share\\x");
});

Deno.test("isUncPath, driveRoot, sameWindowsPath and isUnderWindowsFolder", () => {
  strictEqual(isUncPath("\\\\srv\\share\\x"), true);
  strictEqual(isUncPath("\\\\?\\UNC\\srv\\share\\x"), true);
  strictEqual(isUncPath("\\\\.\\PhysicalDrive0"), false);
  strictEqual(isUncPath("C:\\x"), false);
  strictEqual(driveRoot("c:\\x\\y"), "C:\\");
  strictEqual(driveRoot("\\\\srv\\share"), undefined);
  strictEqual(
    sameWindowsPath("C:\\WINDOWS\\System32\\x.DLL", "\\\\?\\c:\\windows\\system32\\X.dll"),
    true,
  );
  strictEqual(isUnderWindowsFolder("C:\\Windows\\System32\\x.dll", "c:\\windows\\"), true);
  strictEqual(isUnderWindowsFolder("C:\\Windows.old\\x.dll", "C:\\Windows"), false);
  strictEqual(isUnderWindowsFolder("C:\\Windows", "C:\\Windows"), true);
});
