import { deepStrictEqual, ok } from "node:assert/strict";
import { createRegistryCollector } from "./collector.ts";
import { parseRegQuery, RegQueryMount, regQueryMounts } from "./reg_query.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";

// Recorded from `reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run" /s` on
// Windows 10 22H2 (values and layout as reg.exe prints them, CRLF line ends).
const runOutput = [
  "",
  "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
  "    SecurityHealth    REG_EXPAND_SZ    %windir%\\system32\\SecurityHealthSystray.exe",
  '    VMware User Process    REG_SZ    "C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr',
  "    (Default)    REG_SZ    (value not set)",
  "",
  "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Sub Key",
  "    (Default)    REG_SZ    default text",
  "    Flags    REG_DWORD    0x1f",
  "    Big    REG_QWORD    0x100000000",
  "    Blob    REG_BINARY    01FF20",
  "    List    REG_MULTI_SZ    one\\0two words\\0three",
  "    Nothing    REG_NONE    ",
  "    Empty String    REG_SZ    ",
  "",
].join("\r\n");

Deno.test("parseRegQuery decodes every column of recorded reg query output", () => {
  const keys = parseRegQuery(runOutput);
  deepStrictEqual(keys.map((k) => k.path), [
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Sub Key",
  ]);
  const run = keys[0]!.values;
  deepStrictEqual(run.map((v) => [v.name, v.type, v.decoded]), [
    ["SecurityHealth", 2, "%windir%\\system32\\SecurityHealthSystray.exe"],
    ["VMware User Process", 1, '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr'],
  ]);
  const sub = keys[1]!.values;
  deepStrictEqual(sub.map((v) => [v.name, v.type, v.decoded]), [
    ["", 1, "default text"],
    ["Flags", 4, 31],
    ["Big", 11, 0x100000000n],
    ["Blob", 3, new Uint8Array([1, 0xff, 0x20])],
    ["List", 7, ["one", "two words", "three"]],
    ["Nothing", 0, new Uint8Array(0)],
    ["Empty String", 1, ""],
  ]);
});

/** A fake `reg` that answers from recorded outputs. */
function recordedReg(args: string[]): string | undefined {
  const key = args[1]!.toUpperCase();
  if (key === "HKEY_USERS") {
    return "\r\nHKEY_USERS\\.DEFAULT\r\nHKEY_USERS\\S-1-5-21-1-2-3-1001\r\nHKEY_USERS\\S-1-5-21-1-2-3-1001_Classes\r\n";
  }
  if (key === "HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN") {
    return runOutput;
  }
  if (
    key === "HKEY_USERS\\S-1-5-21-1-2-3-1001\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN"
  ) {
    return "\r\nHKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\r\n" +
      '    OneDrive    REG_SZ    "C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background\r\n';
  }
  return undefined; // reg.exe fails: "The system was unable to find the specified registry key"
}

Deno.test("RegQueryMount walks recorded output as a live source", () => {
  const mount = new RegQueryMount("HKEY_LOCAL_MACHINE", "SOFTWARE", "SOFTWARE", 64, recordedReg);
  const visits = [...mount.walk(["Microsoft", "Windows", "CurrentVersion", "Run"], true)!];
  deepStrictEqual(visits.map((v) => [v.path, v.key.numSubKeys, v.key.numValues]), [
    ["Microsoft\\Windows\\CurrentVersion\\Run", 1, 2],
    ["Microsoft\\Windows\\CurrentVersion\\Run\\Sub Key", 0, 7],
  ]);
  deepStrictEqual(mount.walk(["Nope"], true), undefined);
});

Deno.test("createRegistryCollector reads the default key set through reg query mounts", async () => {
  const mounts = regQueryMounts(64, recordedReg);
  deepStrictEqual(mounts.map((m) => `${m.root}\\${m.mountPath}:${m.role}`), [
    "HKEY_LOCAL_MACHINE\\SYSTEM:SYSTEM",
    "HKEY_LOCAL_MACHINE\\SOFTWARE:SOFTWARE",
    "HKEY_USERS\\.DEFAULT:DEFAULT",
    "HKEY_USERS\\S-1-5-21-1-2-3-1001:NTUSER",
    "HKEY_USERS\\S-1-5-21-1-2-3-1001_Classes:USRCLASS",
  ]);
  const collector = createRegistryCollector({ mounts, live: false });
  const items: ObservedItem[] = [];
  const reporter = { skipped() {}, warning() {}, progress() {} };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  const paths = items.map((i) => i.fields.Path);
  ok(
    paths.includes(
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\SecurityHealth",
    ),
  );
  const oneDrive = items.find((i) => i.fields.ValueName === "OneDrive")!;
  deepStrictEqual(oneDrive.fields.Hive, "HKEY_USERS");
  deepStrictEqual(oneDrive.fields.SecurityID, "S-1-5-21-1-2-3-1001");
  deepStrictEqual(oneDrive.fields.Type, "REG_SZ");
});
