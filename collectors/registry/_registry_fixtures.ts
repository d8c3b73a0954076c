/**
 * Hives built with code for the registry tests (collector_test.ts and the
 * NDJSON writer's, cli/output/registry_ndjson_test.ts).
 *
 * @module
 */
import { join } from "node:path";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildKey, BuildValue } from "../../formats/regf/mod.ts";

/** The SID of the user hives of {@linkcode buildRoot}. */
export const SID = "S-1-5-21-111-222-333-1001";
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
/** A key path from nested names, for building trees tersely. */
function path(names: string[], leaf: Omit<BuildKey, "name">): BuildKey {
  const [first, ...rest] = names;
  return rest.length === 0
    ? { name: first!, ...leaf }
    : { name: first!, subkeys: [path(rest, leaf)] };
}
function merge(keys: BuildKey[]): BuildKey[] {
  const byName = new Map<string, BuildKey>();
  for (const key of keys) {
    const seen = byName.get(key.name.toUpperCase());
    if (!seen) byName.set(key.name.toUpperCase(), { ...key });
    else {
      seen.values = [...(seen.values ?? []), ...(key.values ?? [])];
      seen.subkeys = merge([...(seen.subkeys ?? []), ...(key.subkeys ?? [])]);
    }
  }
  return [...byName.values()];
}
const tree = (rootName: string, keys: BuildKey[]): BuildKey => ({
  name: rootName,
  subkeys: merge(keys),
});

const software = tree("CMI-CreateHive{SOFTWARE}", [
  path(["Microsoft", "Windows", "CurrentVersion"], {
    values: [sz("ProgramFilesDir", "D:\\Program Files")],
  }),
  path(["Microsoft", "Windows", "CurrentVersion", "Run"], {
    values: [
      sz("Updater", "C:\\ProgramData\\evil\\upd.exe"),
      expand("Tray", "%ProgramFiles%\\tray.exe"),
    ],
  }),
  path(["Microsoft", "Windows NT", "CurrentVersion"], { values: [sz("SystemRoot", "D:\\WINNT")] }),
  path(["Microsoft", "Windows NT", "CurrentVersion", "Winlogon"], {
    values: [sz("Shell", "explorer.exe"), sz("Userinit", "D:\\WINNT\\system32\\userinit.exe,")],
  }),
  path(["Microsoft", "Windows NT", "CurrentVersion", "Image File Execution Options", "sethc.exe"], {
    values: [sz("Debugger", "cmd.exe")],
  }),
  path(["Microsoft", "Windows NT", "CurrentVersion", "ProfileList", SID], {
    values: [expand("ProfileImagePath", "%SystemDrive%\\Users\\alice")],
  }),
  path(["Microsoft", "Windows NT", "CurrentVersion", "Schedule", "TaskCache", "Tree", "Evil"], {
    values: [sz("Id", "{1234}")],
  }),
  path([
    "Microsoft",
    "Active Setup",
    "Installed Components",
    "{785942B1-FDE7-447F-A9C2-694A721FA120}",
  ], {
    values: [expand("StubPath", "%SystemRoot%\\stub.exe")],
  }),
  path(["Wow6432Node", "Microsoft", "Windows", "CurrentVersion", "Run"], {
    values: [sz("Old32", "C:\\x86\\old.exe")],
  }),
  path(["STS"], { values: [sz("Config", "c2.example")] }),
  path(["Unrelated", "Deep"], { values: [sz("Noise", "x")] }),
]);

const system = tree("ROOT", [
  path(["Select"], { values: [dword("Current", 2), dword("Default", 2)] }),
  path(["ControlSet001", "Services", "old"], { values: [sz("ImagePath", "old.sys")] }),
  path(["ControlSet002", "Services", "MRxCls"], {
    values: [expand("ImagePath", "\\SystemRoot\\System32\\drivers\\mrxcls.sys"), dword("Start", 1)],
  }),
  path(["ControlSet002", "Services", "Empty"], {}),
  path(["ControlSet002", "Control", "Session Manager", "Environment"], {
    values: [expand("TEMP", "%SystemRoot%\\TEMP")],
  }),
]);

const ntuser = tree("CMI-CreateHive{NTUSER}", [
  path(["Software", "Microsoft", "Windows", "CurrentVersion", "Run"], {
    values: [expand("Sync", "%LOCALAPPDATA%\\sync\\sync.exe")],
  }),
  path(["Environment"], { values: [sz("Custom", "x")] }),
]);

const usrclass = tree("ROOT", [
  path(["CLSID", "{abc}", "InprocServer32"], { values: [sz("", "c:\\x.dll")] }),
]);

/**
 * Builds a mounted-volume layout in a new temporary folder: SOFTWARE and
 * SYSTEM hives, a SAM that is not a hive, Alice's NTUSER.DAT and UsrClass.dat
 * and Bob's NTUSER.DAT. The caller removes it.
 */
export async function buildRoot(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-registry-" });
  const config = join(root, "WINDOWS", "system32", "Config");
  await Deno.mkdir(config, { recursive: true });
  await Deno.writeFile(join(config, "SOFTWARE"), buildHive(software).bytes);
  await Deno.writeFile(join(config, "system"), buildHive(system).bytes);
  await Deno.writeFile(join(config, "SAM"), new TextEncoder().encode("not a hive at all"));
  const home = join(root, "users", "Alice");
  const classes = join(home, "appdata", "LOCAL", "Microsoft", "Windows");
  await Deno.mkdir(classes, { recursive: true });
  await Deno.writeFile(join(home, "ntuser.dat"), buildHive(ntuser).bytes);
  await Deno.writeFile(join(classes, "UsrClass.dat"), buildHive(usrclass).bytes);
  const bob = join(root, "users", "bob");
  await Deno.mkdir(bob, { recursive: true });
  await Deno.writeFile(join(bob, "NTUSER.DAT"), buildHive(ntuser).bytes);
  return root;
}
