import { deepStrictEqual } from "node:assert/strict";
import { regQueryMounts } from "../registry/mod.ts";
import { registryAutorunSource } from "./windows_sources.ts";

// Recorded from `reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run" /s` on Windows 10
// 22H2 (as reg.exe prints it, CRLF line ends), and a user's Run key and StartupApproved\Run.
const machineRun = [
  "",
  "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
  "    SecurityHealth    REG_EXPAND_SZ    %windir%\\system32\\SecurityHealthSystray.exe",
  '    VMware User Process    REG_SZ    "C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr',
  "",
].join("\r\n");
const userSid = "S-1-5-21-1-2-3-1001";
const userRun = [
  "",
  `HKEY_USERS\\${userSid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`,
  '    OneDrive    REG_SZ    "C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background',
  "",
].join("\r\n");
const userApproved = [
  "",
  `HKEY_USERS\\${userSid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run`,
  "    OneDrive    REG_BINARY    030000000000000000000000",
  "",
].join("\r\n");

/** A fake `reg` answering from the recordings; other keys fail as reg.exe does for a missing key. */
function recordedReg(args: string[]): string | undefined {
  const key = args[1]!.toUpperCase();
  const answers: Record<string, string> = {
    "HKEY_USERS": `\r\nHKEY_USERS\\.DEFAULT\r\nHKEY_USERS\\${userSid}\r\n`,
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN": machineRun,
    [`HKEY_USERS\\${userSid}\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN`]: userRun,
    [`HKEY_USERS\\${userSid}\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\EXPLORER\\STARTUPAPPROVED\\RUN`]:
      userApproved,
  };
  return answers[key];
}

Deno.test("registryAutorunSource: the live registry through recorded reg query output", async () => {
  const source = registryAutorunSource(() =>
    Promise.resolve({ mounts: regQueryMounts(64, recordedReg), failures: [] })
  );
  const read = await source.read();
  deepStrictEqual(read.skips, []);
  deepStrictEqual(
    read.entries.map((
      entry,
    ) => [entry.location, entry.entryName, entry.imagePath, entry.arguments, entry.enabled]),
    [
      [
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
        "SecurityHealth",
        "C:\\Windows\\system32\\SecurityHealthSystray.exe",
        "",
        undefined,
      ],
      [
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
        "VMware User Process",
        "C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe",
        "-n vmusr",
        undefined,
      ],
      [
        `HKEY_USERS\\${userSid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`,
        "OneDrive",
        "C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe",
        "/background",
        false,
      ],
    ],
  );
});

Deno.test("registryAutorunSource: no registry at all is a skip that leaves AutorunItem unread", async () => {
  const read = await registryAutorunSource(() =>
    Promise.resolve("the live registry exists only on Windows")
  ).read();
  deepStrictEqual(read.entries, []);
  deepStrictEqual(read.skips, [{
    object: "registry",
    reason: "source-unavailable",
    detail: "the live registry exists only on Windows",
    whole: true,
  }]);
});
