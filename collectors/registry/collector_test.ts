import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildKey, BuildValue } from "../../formats/regf/mod.ts";
import type { ObservedItem } from "../../engine/observed_item.ts";
import type { CollectorWarning, SkippedObject } from "../collector.ts";
import { corpusDir } from "../../tests/corpus.ts";
import { createRegistryCollector } from "./collector.ts";
import type { RegistryCollectorOptions } from "./collector.ts";
import { normalizeRegistryPath } from "./hive_names.ts";
import { NdjsonByteWriter } from "./ndjson_bytes.ts";

const SID = "S-1-5-21-111-222-333-1001";
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

async function buildRoot(): Promise<string> {
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

interface Run {
  items: ObservedItem[];
  warnings: CollectorWarning[];
  skipped: SkippedObject[];
  byPath: Map<string, ObservedItem>;
  stats: ReturnType<typeof createRegistryCollector>["stats"];
}

async function collect(options: RegistryCollectorOptions): Promise<Run> {
  const collector = createRegistryCollector({ live: false, ...options });
  const run: Run = {
    items: [],
    warnings: [],
    skipped: [],
    byPath: new Map(),
    stats: collector.stats,
  };
  const reporter = {
    skipped: (s: SkippedObject) => run.skipped.push(s),
    warning: (w: CollectorWarning) => run.warnings.push(w),
    progress() {},
  };
  for await (const item of collector.collect({ needs: new Map(), reporter })) {
    run.items.push(item);
    run.byPath.set(String(item.fields.Path), item);
  }
  return run;
}

Deno.test("createRegistryCollector mounts a --root image at live names and reads the key set", async () => {
  const root = await buildRoot();
  try {
    const run = await collect({ roots: [root] });
    deepStrictEqual(run.skipped.map((s) => [s.reason, s.object.endsWith("SAM")]), [[
      "unsupported",
      true,
    ]]);
    const hives = new Set(
      run.items.map((i) => `${i.fields.Hive}\\${String(i.fields.KeyPath).split("\\")[0]}`),
    );
    ok(hives.has("HKEY_LOCAL_MACHINE\\SOFTWARE"));
    ok(hives.has("HKEY_LOCAL_MACHINE\\SYSTEM"));
    ok(hives.has(`HKEY_USERS\\${SID}`), [...hives].join());
    ok(
      hives.has("HKEY_USERS\\bob"),
      "a profile without a ProfileList entry keeps its folder name",
    );

    const updater = run.byPath.get(
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater",
    )!;
    deepStrictEqual(updater.fields.Type, "REG_SZ");
    deepStrictEqual(updater.fields.Text, "C:\\ProgramData\\evil\\upd.exe");
    deepStrictEqual(updater.fields.KeyPath, "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
    deepStrictEqual(updater.fields.ValueName, "Updater");
    deepStrictEqual(updater.fields.NumValues, 2);
    deepStrictEqual(
      updater.fields.ReportedLengthInBytes,
      utf16z("C:\\ProgramData\\evil\\upd.exe").length,
    );
    ok(updater.fields.Modified instanceof Date);

    const tray = run.byPath.get(
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Tray",
    )!;
    deepStrictEqual(tray.fields.Text, "%ProgramFiles%\\tray.exe");
    deepStrictEqual(tray.fields.Value, "D:\\Program Files\\tray.exe");

    const stub = run.items.find((i) => i.fields.ValueName === "StubPath")!;
    deepStrictEqual(stub.fields.Value, "D:\\WINNT\\stub.exe");
    ok(
      run.byPath.has(
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run\\Old32",
      ),
    );
    ok(run.byPath.has(
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sethc.exe\\Debugger",
    ));
    ok(
      run.byPath.has(
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Userinit",
      ),
    );
    ok(run.byPath.has(
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Evil\\Id",
    ));
    ok(
      !run.items.some((i) => String(i.fields.KeyPath).includes("Unrelated")),
      "outside the key set",
    );
    ok(!run.items.some((i) => String(i.fields.KeyPath).includes("STS")), "outside the key set");

    // CurrentControlSet → Select\Current = 2.
    const mrxcls = run.byPath.get(
      "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\MRxCls\\ImagePath",
    )!;
    deepStrictEqual(mrxcls.fields.Type, "REG_EXPAND_SZ");
    ok(!run.items.some((i) => String(i.fields.KeyPath).includes("ControlSet001")));
    const empty = run.byPath.get("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\Empty")!;
    deepStrictEqual([empty.fields.ValueName, empty.fields.Type, empty.fields.NumValues], [
      "",
      undefined,
      0,
    ]);

    const sync = run.items.find((i) =>
      i.fields.ValueName === "Sync" && i.fields.SecurityID === SID
    )!;
    deepStrictEqual(sync.fields.Hive, "HKEY_USERS");
    deepStrictEqual(sync.fields.Username, "Alice");
    deepStrictEqual(
      sync.fields.KeyPath,
      `${SID}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`,
    );
    deepStrictEqual(sync.fields.Value, "D:\\Users\\alice\\AppData\\Local\\sync\\sync.exe");
    // An IOC written against HKCU matches every user's copy after normalisation.
    deepStrictEqual(
      normalizeRegistryPath(String(sync.fields.Path)),
      normalizeRegistryPath("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Sync"),
    );

    // Whole-tree counts, whatever the key set selected.
    deepStrictEqual(run.stats.hives, 5);
    deepStrictEqual(run.stats.failedHives, 1);
    deepStrictEqual(run.stats.keys, 26 + 13 + 7 + 4 + 7);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createRegistryCollector always reads keys that IOCs name, and extra keys", async () => {
  const root = await buildRoot();
  try {
    const run = await collect({
      roots: [root],
      defaultKeySet: false,
      iocKeyPaths: [
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\STS",
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MRxCls\\ImagePath",
        "HKCU\\Software\\Classes\\CLSID\\{abc}",
      ],
      registryKeys: ["hklm\\software\\unrelated"],
    });
    const paths = new Set(run.byPath.keys());
    ok(paths.has("HKEY_LOCAL_MACHINE\\SOFTWARE\\STS\\Config"));
    ok(paths.has("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\MRxCls\\ImagePath"));
    ok(paths.has("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\MRxCls\\Start"));
    ok(
      paths.has(`HKEY_USERS\\${SID}_Classes\\CLSID\\{abc}\\InprocServer32\\`),
      [...paths].join("\n"),
    );
    ok(paths.has("HKEY_LOCAL_MACHINE\\SOFTWARE\\Unrelated\\Deep\\Noise"));
    ok(!run.items.some((i) => i.fields.ValueName === "Updater"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createRegistryCollector with registryFull yields every key and value once", async () => {
  const root = await buildRoot();
  try {
    const run = await collect({ roots: [root], registryFull: true });
    const valueItems = run.items.filter((i) => i.fields.Type !== undefined).length;
    const keyItems = run.items.filter((i) => i.fields.Type === undefined).length;
    deepStrictEqual(valueItems, run.stats.values);
    ok(keyItems > 0 && keyItems < run.stats.keys);
    deepStrictEqual(new Set(run.items.map((i) => i.key)).size, run.items.length);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

const registry = corpusDir("registry");

Deno.test({
  name: "createRegistryCollector finds the Run values of corpus NTUSER.DAT hives",
  ignore: registry === undefined,
  fn: async () => {
    const run = await collect({
      hives: [join(registry!, "plaso", "NTUSER-WIN7.DAT"), join(registry!, "plaso", "NTUSER.DAT")],
    });
    const run7 = (name: string) =>
      run.items.find((i) =>
        i.fields.ValueName === name &&
        String(i.fields.KeyPath).endsWith("Software\\Microsoft\\Windows\\CurrentVersion\\Run")
      );
    deepStrictEqual(
      run7("Google Update")?.fields.Text,
      '"C:\\Users\\nfury\\AppData\\Local\\Google\\Update\\GoogleUpdate.exe" /c',
    );
    deepStrictEqual(
      run7("Skype")?.fields.Text,
      '"C:\\Program Files (x86)\\Skype\\Phone\\Skype.exe" /nosplash /minimized',
    );
    deepStrictEqual(run7("ctfmon.exe")?.fields.Text, "C:\\WINDOWS\\system32\\ctfmon.exe");
    deepStrictEqual(run7("ctfmon.exe")?.fields.Hive, "HKEY_USERS");
    deepStrictEqual(run.stats.keys, 2288 + 1127);
    deepStrictEqual(run.stats.values, 5470 + 5602);
    ok(
      run.items.some((i) =>
        String(i.fields.KeyPath).endsWith("Windows NT\\CurrentVersion\\Winlogon")
      ),
    );
  },
});

Deno.test({
  name: "createRegistryCollector reports damage in corpus hives as warnings with file and place",
  ignore: registry === undefined,
  fn: async () => {
    const files = [
      "ericzimmerman-registry/SAMBadHBinHeader",
      "plaso/regf/corrupt_sub_key_list.hiv",
      "yarp/TruncatedDirtyHive",
      "dfwinreg/USER.DAT",
      "ericzimmerman-registry/NotAHive",
      "does/not/exist",
    ].map((f) => join(registry!, f));
    const run = await collect({ hives: files, registryFull: true });
    deepStrictEqual(run.skipped.map((s) => s.reason), ["unsupported", "unsupported", "not-found"]);
    ok(run.warnings.length >= 3);
    for (const warning of run.warnings) {
      deepStrictEqual(warning.collector, "registry");
      ok(warning.file !== undefined && files.includes(warning.file), warning.message);
    }
    ok(run.warnings.some((w) => w.place?.startsWith("offset 0x")));
    deepStrictEqual(run.stats.hives, 3);
  },
});

Deno.test({
  name: "createRegistryCollector finds logs next to a hive whatever their case",
  ignore: registry === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-registry-logs-" });
    try {
      const source = join(registry!, "yarp", "NewDirtyHive1");
      await Deno.copyFile(join(source, "NewDirtyHive"), join(dir, "NewDirtyHive"));
      await Deno.copyFile(join(source, "NewDirtyHive.LOG1"), join(dir, "newdirtyhive.log1"));
      await Deno.copyFile(join(source, "NewDirtyHive.LOG2"), join(dir, "NEWDIRTYHIVE.Log2"));
      const run = await collect({ hives: [join(dir, "NewDirtyHive")], registryFull: true });
      deepStrictEqual([run.stats.keys, run.stats.values, run.stats.recovered], [5, 1, true]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

async function bothWays(options: RegistryCollectorOptions): Promise<[string, string]> {
  const reporter = { skipped() {}, warning() {}, progress() {} };
  const outputs: string[] = [];
  for (const mode of ["items", "keys"] as const) {
    const chunks: Uint8Array[] = [];
    const writer = new NdjsonByteWriter(
      { writeSync: (b) => (chunks.push(b.slice()), b.length) },
      4096,
    );
    const collector = createRegistryCollector({ live: false, ...options });
    if (mode === "items") {
      for await (const item of collector.collect({ needs: new Map(), reporter })) {
        writer.writeItem(item);
      }
    } else {
      for await (const key of collector.collectKeys({ needs: new Map(), reporter })) {
        writer.writeKey(key);
      }
    }
    writer.flush();
    let text = "";
    const decoder = new TextDecoder();
    for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
    outputs.push(text + decoder.decode());
  }
  return [outputs[0]!, outputs[1]!];
}

Deno.test("NdjsonByteWriter.writeKey writes the same bytes as writeItem on the items", async () => {
  const root = await buildRoot();
  try {
    const [items, keys] = await bothWays({ roots: [root], registryFull: true });
    ok(items.length > 1000);
    deepStrictEqual(keys, items);
    const lines = keys.trimEnd().split("\n").map((l) => JSON.parse(l));
    ok(lines.some((l) => l.Type === "REG_EXPAND_SZ" && l.Value !== l.Text));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  if (registry === undefined) return;
  const hives = [
    "plaso/NTUSER.DAT",
    "dfwinreg/SAM",
    "yarp/MultiSzHive",
    "yarp/UnicodeHive",
    "ericzimmerman-registry/SAM_hasBigEndianDWord",
    "plaso/winreg/win10-Amcache.hve",
    "python-registry/UNICODE_TESTS",
  ].map((f) => join(registry, f));
  const [items, keys] = await bothWays({ hives, registryFull: true });
  ok(items.length > 1_000_000);
  deepStrictEqual(keys, items);
});

Deno.test("NdjsonByteWriter.writeKey writes string data as writeItem does, whatever its code units", async () => {
  const utf16 = (text: string) => utf16z(text).subarray(0, -2);
  const join16 = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
  const long = "x".repeat(70);
  const strings: [string, Uint8Array][] = [
    ["Ascii", utf16z("C:\\Windows\\x.exe")],
    ["Escapes", utf16z('a"b\\c\nd\te\u0001f\u007fg\r\b\f')],
    ["Latin1", utf16z("café ÿ \u0080\u009f")],
    ["Wide", utf16z("日本 😀")],
    ["LoneSurrogate", utf16z("a\ud800b")],
    ["LongLoneSurrogate", utf16z(`${long}\udc00`)],
    ["LongBom", utf16z(`\ufeff${long}`)],
    ["JunkAfterNul", join16(utf16z("abc"), utf16("junk"))],
    ["OddLength", join16(utf16("abc"), new Uint8Array([0x41]))],
    ["Empty", new Uint8Array(0)],
    ["OneByte", new Uint8Array([0x41])],
  ];
  const values: BuildValue[] = [];
  for (const [name, data] of strings) {
    values.push({ name: `sz${name}`, type: ValueType.REG_SZ, data });
    values.push({ name: `link${name}`, type: ValueType.REG_LINK, data });
    values.push({ name: `expand${name}`, type: ValueType.REG_EXPAND_SZ, data });
  }
  values.push({
    name: "expandVar",
    type: ValueType.REG_EXPAND_SZ,
    data: utf16z("%SystemRoot%\\é"),
  });
  values.push({ name: "unknownType", type: 0xffff0012, data: new Uint8Array([1, 2, 255]) });
  const dir = await Deno.makeTempDir({ prefix: "iocscan-registry-strings-" });
  try {
    const file = join(dir, "STRINGS");
    await Deno.writeFile(file, buildHive({ name: "ROOT", subkeys: [{ name: "k", values }] }).bytes);
    const [items, keys] = await bothWays({ hives: [file], registryFull: true });
    deepStrictEqual(keys, items);
    const lines = keys.trimEnd().split("\n").map((l) => JSON.parse(l));
    const text = (name: string) => lines.find((l) => l.ValueName === name)?.Text;
    deepStrictEqual(text("szLatin1"), "café ÿ \u0080\u009f");
    deepStrictEqual(text("szWide"), "日本 😀");
    deepStrictEqual(text("szJunkAfterNul"), "abc");
    deepStrictEqual(text("linkOddLength"), "abc");
    deepStrictEqual(text("unknownType"), "0102ff");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
