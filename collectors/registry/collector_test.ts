import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { utf16z } from "../../formats/regf/mod.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { CollectorWarning, SkippedObject } from "../collector.ts";
import { corpusDir } from "../../tests/corpus.ts";
import { createRegistryCollector } from "./collector.ts";
import type { RegistryCollectorOptions } from "./collector.ts";
import { normalizeRegistryPath } from "./hive_names.ts";
import { buildRoot, SID } from "./_registry_fixtures.ts";

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
