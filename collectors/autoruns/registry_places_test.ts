import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { mountHiveFiles } from "../registry/mod.ts";
import { findHivesUnderRoot } from "../registry/mod.ts";
import type { AutorunEntry } from "./autorun_entry.ts";
import { readRegistryPlaces } from "./registry_places.ts";
import { buildAutorunVolume } from "./_autorun_fixtures.ts";

function summary(entries: readonly AutorunEntry[]) {
  return entries.map((entry) => [
    entry.category,
    entry.location.replace(
      /^HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows( NT)?\\CurrentVersion\\/,
      "HKLM…\\",
    ),
    entry.entryName,
    entry.imagePath ?? null,
    entry.arguments ?? null,
    entry.enabled ?? null,
  ]);
}

Deno.test("readRegistryPlaces: every registry place of built hives, expanded, with StartupApproved", async () => {
  const root = await buildAutorunVolume();
  try {
    const { mounts, failures } = await mountHiveFiles(findHivesUnderRoot(root));
    deepStrictEqual(failures, []);
    const read = readRegistryPlaces(mounts);
    const machine = read.entries.filter((entry) => entry.location.startsWith("HKEY_LOCAL_MACHINE"));
    deepStrictEqual(summary(machine), [
      [
        "known-dlls",
        "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\KnownDLLs",
        "kernel32",
        "C:\\Windows\\System32\\kernel32.dll",
        "",
        null,
      ],
      ["run-key", "HKLM…\\Run", "Updater", "C:\\ProgramData\\evil\\upd.exe", "/quiet", true],
      ["run-key", "HKLM…\\Run", "Tray", "C:\\Program Files\\Tray App\\tray.exe", "-min", null],
      ["run-key", "HKLM…\\Run", "Old", "C:\\ProgramData\\old.exe", "", false],
      [
        "run-key",
        "HKLM…\\RunOnce",
        "Once",
        "C:\\ProgramData\\once.bat",
        "/c C:\\ProgramData\\once.bat",
        null,
      ],
      [
        "run-key",
        "HKLM…\\RunOnceEx\\0001",
        "0001\\Step",
        "C:\\ProgramData\\step.dll",
        "C:\\ProgramData\\step.dll,Go",
        null,
      ],
      ["run-key", "HKLM…\\Policies\\Explorer\\Run", "Pol", "C:\\ProgramData\\pol.exe", "", null],
      [
        "run-key",
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run",
        "Old32",
        "C:\\x86\\old32.exe",
        "",
        null,
      ],
      ["winlogon", "HKLM…\\Winlogon", "Userinit", "C:\\Windows\\system32\\userinit.exe", "", null],
      ["winlogon", "HKLM…\\Winlogon", "Userinit", "C:\\ProgramData\\evil\\upd.exe", "", null],
      ["winlogon", "HKLM…\\Winlogon", "Shell", "explorer.exe", "", null],
      [
        "winlogon",
        "HKLM…\\Winlogon\\Notify\\evilnotify",
        "evilnotify",
        "C:\\Windows\\System32\\evilnotify.dll",
        "",
        null,
      ],
      [
        "ifeo-debugger",
        "HKLM…\\Image File Execution Options\\sethc.exe",
        "sethc.exe",
        "C:\\Windows\\System32\\cmd.exe",
        "",
        null,
      ],
      [
        "silent-process-exit",
        "HKLM…\\SilentProcessExit\\lsass.exe",
        "lsass.exe",
        "C:\\ProgramData\\dump.exe",
        "",
        null,
      ],
      ["appinit-dlls", "HKLM…\\Windows", "AppInit_DLLs", "C:\\a1.dll", "", null],
      ["appinit-dlls", "HKLM…\\Windows", "AppInit_DLLs", "C:\\a2.dll", "", null],
    ]);
    const user = read.entries.filter((entry) => entry.location.startsWith("HKEY_USERS"));
    deepStrictEqual(summary(user), [
      [
        "run-key",
        "HKEY_USERS\\S-1-5-21-111-222-333-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
        "Sync",
        "C:\\Users\\alice\\AppData\\Local\\sync\\sync.exe",
        "--bg",
        false,
      ],
      [
        "run-key",
        "HKEY_USERS\\S-1-5-21-111-222-333-1001\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows",
        "Load",
        "C:\\ProgramData\\load.exe",
        "",
        null,
      ],
    ]);
    ok(user.every((entry) => entry.username === "alice"));
    ok(read.entries.every((entry) => entry.source?.startsWith(root) && entry.time !== undefined));
    strictEqual(read.entries.length, machine.length + user.length);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
