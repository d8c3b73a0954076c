/**
 * A Windows volume built with code for the autoruns tests: SOFTWARE, SYSTEM
 * and a user's NTUSER.DAT holding an entry in every registry place, the
 * images some of them name, and both Startup folders.
 *
 * @module
 */
import { join } from "node:path";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildKey, BuildValue } from "../../formats/regf/mod.ts";
import { buildShellLink } from "../../formats/lnk/_lnk_builder.ts";

/** The SID of Alice's profile. */
export const aliceSid = "S-1-5-21-111-222-333-1001";
/** The all-users Startup folder's shortcut: `cmd.exe /c start`. */
export const commonLink: Uint8Array = buildShellLink({
  idList: 12,
  basePath: "C:\\Windows\\System32\\cmd.exe",
  arguments: "/c start",
});
/** The bytes of the Run key's image (`C:\ProgramData\evil\upd.exe`). */
export const updaterBytes: Uint8Array = new TextEncoder().encode("MZ autostart image of the test");

const sz = (name: string, text: string): BuildValue => ({
  name,
  type: ValueType.REG_SZ,
  data: utf16z(text),
});
const expand = (name: string, text: string): BuildValue => ({
  name,
  type: ValueType.REG_EXPAND_SZ,
  data: utf16z(text),
});
const dword = (name: string, n: number): BuildValue => ({
  name,
  type: ValueType.REG_DWORD,
  data: new Uint8Array(new Uint32Array([n]).buffer),
});
const binary = (name: string, bytes: number[]): BuildValue => ({
  name,
  type: ValueType.REG_BINARY,
  data: Uint8Array.from(bytes),
});

/** A key tree from `path → values`, paths `\`-separated (parents made as needed). */
export function keyTree(rootName: string, keys: Readonly<Record<string, BuildValue[]>>): BuildKey {
  const root: BuildKey = { name: rootName, subkeys: [] };
  for (const [path, values] of Object.entries(keys)) {
    let key = root;
    for (const name of path.split("\\")) {
      key.subkeys ??= [];
      let child = key.subkeys.find((sub) => sub.name === name);
      if (child === undefined) key.subkeys.push(child = { name, subkeys: [] });
      key = child;
    }
    key.values = [...(key.values ?? []), ...values];
  }
  return root;
}

const cv = "Microsoft\\Windows\\CurrentVersion";
const ntCv = "Microsoft\\Windows NT\\CurrentVersion";

/** The SOFTWARE hive's autostart places. */
export const softwareKeys: Readonly<Record<string, BuildValue[]>> = {
  [`${cv}\\Run`]: [
    sz("Updater", "C:\\ProgramData\\evil\\upd.exe /quiet"),
    expand("Tray", '"%ProgramFiles%\\Tray App\\tray.exe" -min'),
    sz("Old", "C:\\ProgramData\\old.exe"),
  ],
  [`${cv}\\RunOnce`]: [sz("Once", "cmd.exe /c C:\\ProgramData\\once.bat")],
  [`${cv}\\RunOnceEx\\0001`]: [sz("Step", "rundll32.exe C:\\ProgramData\\step.dll,Go")],
  [`${cv}\\Policies\\Explorer\\Run`]: [sz("Pol", "C:\\ProgramData\\pol.exe")],
  [`${cv}\\Explorer\\StartupApproved\\Run`]: [
    binary("Old", [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    binary("Updater", [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  ],
  [`${cv}\\Explorer\\StartupApproved\\StartupFolder`]: [binary("common.lnk", [3, 0, 0, 0])],
  [`Wow6432Node\\${cv}\\Run`]: [sz("Old32", "C:\\x86\\old32.exe")],
  [`${ntCv}`]: [sz("SystemRoot", "C:\\Windows")],
  [`${ntCv}\\Winlogon`]: [
    sz("Userinit", "C:\\Windows\\system32\\userinit.exe,C:\\ProgramData\\evil\\upd.exe,"),
    sz("Shell", "explorer.exe"),
  ],
  [`${ntCv}\\Winlogon\\Notify\\evilnotify`]: [sz("DllName", "evilnotify.dll")],
  [`${ntCv}\\Image File Execution Options\\sethc.exe`]: [
    sz("Debugger", "C:\\Windows\\System32\\cmd.exe"),
  ],
  [`${ntCv}\\Image File Execution Options\\notepad.exe`]: [dword("GlobalFlag", 512)],
  [`${ntCv}\\SilentProcessExit\\lsass.exe`]: [sz("MonitorProcess", "C:\\ProgramData\\dump.exe")],
  [`${ntCv}\\Windows`]: [sz("AppInit_DLLs", "C:\\a1.dll C:\\a2.dll"), dword("LoadAppInit_DLLs", 1)],
  [`${ntCv}\\ProfileList\\${aliceSid}`]: [
    expand("ProfileImagePath", "%SystemDrive%\\Users\\alice"),
  ],
};

/** The SYSTEM hive: KnownDLLs. */
export const systemKeys: Readonly<Record<string, BuildValue[]>> = {
  "Select": [dword("Current", 1)],
  "ControlSet001\\Control\\Session Manager\\KnownDLLs": [
    sz("kernel32", "kernel32.dll"),
    expand("DllDirectory", "%SystemRoot%\\system32"),
  ],
};

/** Alice's NTUSER.DAT. */
export const ntuserKeys: Readonly<Record<string, BuildValue[]>> = {
  [`Software\\${cv}\\Run`]: [expand("Sync", "%LOCALAPPDATA%\\sync\\sync.exe --bg")],
  [`Software\\${cv}\\Explorer\\StartupApproved\\Run`]: [binary("Sync", [7, 0, 0, 0])],
  [`Software\\${ntCv}\\Windows`]: [sz("Load", "C:\\ProgramData\\load.exe")],
};

/**
 * Builds the volume in a new temporary folder (the caller removes it):
 * hives, `C:\ProgramData\evil\upd.exe`, `C:\Windows\System32\cmd.exe`, the
 * all-users Startup folder with `common.lnk` (to cmd.exe) and `broken.lnk` (not a link), and
 * Alice's with `mine.bat`.
 */
export async function buildAutorunVolume(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-autoruns-" });
  const config = join(root, "Windows", "System32", "config");
  await Deno.mkdir(config, { recursive: true });
  await Deno.writeFile(
    join(config, "SOFTWARE"),
    buildHive(keyTree("CMI-CreateHive{SOFTWARE}", softwareKeys)).bytes,
  );
  await Deno.writeFile(join(config, "SYSTEM"), buildHive(keyTree("ROOT", systemKeys)).bytes);
  await Deno.writeFile(
    join(root, "Windows", "System32", "cmd.exe"),
    new TextEncoder().encode("MZ cmd"),
  );
  const alice = join(root, "Users", "alice");
  const aliceStartup = join(
    alice,
    "AppData",
    "Roaming",
    "Microsoft",
    "Windows",
    "Start Menu",
    "Programs",
    "Startup",
  );
  await Deno.mkdir(aliceStartup, { recursive: true });
  await Deno.writeFile(
    join(alice, "NTUSER.DAT"),
    buildHive(keyTree("CMI-CreateHive{NTUSER}", ntuserKeys)).bytes,
  );
  await Deno.writeTextFile(join(aliceStartup, "mine.bat"), "@echo off\r\n");
  await Deno.writeTextFile(join(aliceStartup, "desktop.ini"), "[.ShellClassInfo]\r\n");
  const common = join(
    root,
    "ProgramData",
    "Microsoft",
    "Windows",
    "Start Menu",
    "Programs",
    "StartUp",
  );
  await Deno.mkdir(common, { recursive: true });
  await Deno.writeFile(join(common, "common.lnk"), commonLink);
  await Deno.writeFile(join(common, "broken.lnk"), Uint8Array.of(0x4c, 0, 0, 0));
  await Deno.mkdir(join(root, "ProgramData", "evil"), { recursive: true });
  await Deno.writeFile(join(root, "ProgramData", "evil", "upd.exe"), updaterBytes);
  return root;
}
