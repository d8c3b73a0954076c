import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { recordedCommand } from "../live/mod.ts";
import { createAutorunsCollector } from "./collector.ts";
import { posixImageLocator, volumeImageLocator } from "./image_locator.ts";
import {
  type AutostartProvider,
  pendingProviderSource,
  providedSource,
} from "./provided_entries.ts";
import { posixCommandImage } from "./command_image.ts";
import { emptyRead } from "./source.ts";
import { offlineWmiSource, wmiSubscriptionSource } from "./wmi_subscriptions.ts";
import {
  offlineRegistryMounts,
  registryAutorunSource,
  startupFolderSource,
} from "./windows_sources.ts";
import { buildAutorunVolume, updaterBytes } from "./_autorun_fixtures.ts";

function recorder() {
  const skipped: SkippedObject[] = [];
  return {
    skipped,
    reporter: {
      skipped: (entry: SkippedObject) => skipped.push(entry),
      warning() {},
      progress() {},
    },
  };
}

async function collectAll(
  collector: ReturnType<typeof createAutorunsCollector>,
  needs: Map<string, Set<string>>,
  reporter: ReturnType<typeof recorder>["reporter"],
): Promise<ObservedItem[]> {
  const items: ObservedItem[] = [];
  for await (const item of collector.collect({ needs, reporter })) {
    const wanted = [...needs.get(item.document) ?? []].filter((name) => item.lazy?.provides(name));
    if (item.lazy && wanted.length > 0) {
      item.fields = { ...item.fields, ...await item.lazy.load(wanted) };
      const gaps = item.lazy.unevaluated?.();
      if (gaps) item.unevaluated = { ...item.unevaluated, ...gaps };
    }
    items.push(item);
  }
  return items;
}

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

Deno.test("createAutorunsCollector: entries as AutorunItem, images as FileItem naming the place; providers and WMI", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(root, "opt"), { recursive: true });
    await Deno.writeTextFile(join(root, "opt/agent"), "agent image");
    const service: AutostartProvider = {
      category: "service",
      autostarts: () =>
        Promise.resolve([{
          location: "/etc/init/x.conf",
          name: "x",
          command: "/opt/agent --daemon",
          enabled: true,
        }]),
    };
    const wmiJson = JSON.stringify([{
      Filter: "Boot",
      Query: "SELECT * FROM __InstanceModificationEvent",
      Consumer: "Run",
      ConsumerClass: "CommandLineEventConsumer",
      CommandLineTemplate: "C:\\ProgramData\\w.exe -x",
    }]);
    const collector = createAutorunsCollector({
      sources: [
        {
          name: "fake",
          read: () => {
            const read = emptyRead();
            read.entries.push(
              {
                category: "rc-local",
                location: "/etc/rc.local",
                entryName: "rc.local",
                command: "/opt/agent",
                imagePath: "/opt/agent",
                arguments: "",
              },
              {
                category: "ld-preload",
                location: "/etc/ld.so.preload",
                entryName: "/lib/gone.so",
                command: "/lib/gone.so",
                imagePath: "/lib/gone.so",
                arguments: "",
              },
            );
            return Promise.resolve(read);
          },
        },
        providedSource(service, posixCommandImage),
        wmiSubscriptionSource(new Map(), recordedCommand(wmiJson)),
        pendingProviderSource("cron", "task"),
        offlineWmiSource(),
      ],
      locate: posixImageLocator(root),
      windowsPaths: false,
      followSymlinks: false,
      hashWorkers: 0,
    });
    const { skipped, reporter } = recorder();
    const items = await collectAll(
      collector,
      new Map([
        ["AutorunItem", new Set(["Category", "ImagePath", "Md5sum"])],
        ["FileItem", new Set(["FullPath", "Md5sum", "Username"])],
      ]),
      reporter,
    );
    const agentMd5 = md5(new TextEncoder().encode("agent image"));
    deepStrictEqual(items.map((item) => [item.document, item.key, item.fields.Md5sum ?? null]), [
      ["AutorunItem", "/etc/rc.local :: rc.local", agentMd5],
      ["FileItem", "/opt/agent", agentMd5],
      ["AutorunItem", "/etc/ld.so.preload :: /lib/gone.so", null],
      ["AutorunItem", "/etc/init/x.conf :: x", agentMd5],
      ["FileItem", "/opt/agent", agentMd5],
      ["AutorunItem", "root\\subscription\\CommandLineEventConsumer :: Boot -> Run", null],
    ]);
    deepStrictEqual(items[1]!.provenance?.autostart, "/etc/rc.local :: rc.local");
    deepStrictEqual(items[4]!.provenance?.autostart, "/etc/init/x.conf :: x");
    ok(items[1]!.unevaluated?.Username?.includes("autostart image"));
    deepStrictEqual(Object.keys(items[1]!.unevaluated ?? {}), ["Username"]);
    ok(items[2]!.unevaluated?.Md5sum?.includes("not found"));
    deepStrictEqual(items[5]!.fields.ImagePath, "C:\\ProgramData\\w.exe");
    deepStrictEqual(items[3]!.fields.Category, "service");
    // The places not read at all leave AutorunItem unread, never FileItem.
    deepStrictEqual(skipped.map((skip) => [skip.object, skip.reason, skip.unreadDocuments]), [
      ["cron", "unsupported", ["AutorunItem"]],
      ["root\\subscription", "unsupported", ["AutorunItem"]],
    ]);
    strictEqual(collector.stats.images, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createAutorunsCollector: a WMI read that fails is a skip that leaves AutorunItem unread", async () => {
  const collector = createAutorunsCollector({
    sources: [wmiSubscriptionSource(new Map(), recordedCommand("", 1, "Access denied"))],
    locate: () => undefined,
    windowsPaths: true,
    followSymlinks: false,
  });
  const { skipped, reporter } = recorder();
  deepStrictEqual(
    await collectAll(collector, new Map([["AutorunItem", new Set(["Category"])]]), reporter),
    [],
  );
  deepStrictEqual(skipped.map((skip) => [skip.reason, skip.unreadDocuments]), [[
    "source-unavailable",
    [
      "AutorunItem",
    ],
  ]]);
});

Deno.test("createAutorunsCollector: an offline volume's registry places and Startup folders, images found below it", async () => {
  const root = await buildAutorunVolume();
  try {
    let opened: ReturnType<typeof offlineRegistryMounts> | undefined;
    const mounts = () => opened ??= offlineRegistryMounts([root], []);
    const volume = { path: root, drive: "C:" };
    const collector = createAutorunsCollector({
      sources: [registryAutorunSource(mounts), startupFolderSource(volume, mounts)],
      locate: volumeImageLocator([volume]),
      windowsPaths: true,
      followSymlinks: false,
      hashWorkers: 0,
    });
    const { skipped, reporter } = recorder();
    const items = await collectAll(
      collector,
      new Map([["FileItem", new Set(["FullPath", "FileName", "Drive", "Md5sum"])]]),
      reporter,
    );
    deepStrictEqual(skipped, []);
    deepStrictEqual(
      items.map((item) => [item.key, item.fields.Md5sum, item.provenance?.autostart]),
      [
        [
          "C:\\ProgramData\\evil\\upd.exe",
          md5(updaterBytes),
          "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run :: Updater",
        ],
        [
          "C:\\ProgramData\\evil\\upd.exe",
          md5(updaterBytes),
          "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon :: Userinit",
        ],
        [
          "C:\\Windows\\System32\\cmd.exe",
          md5(new TextEncoder().encode("MZ cmd")),
          "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sethc.exe :: sethc.exe",
        ],
        [
          "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\broken.lnk",
          md5(Uint8Array.of(0x4c, 0, 0, 0)),
          "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp :: broken.lnk",
        ],
        [
          "C:\\Windows\\System32\\cmd.exe",
          md5(new TextEncoder().encode("MZ cmd")),
          "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp :: common.lnk",
        ],
        [
          "C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\mine.bat",
          md5(new TextEncoder().encode("@echo off\r\n")),
          "C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup :: mine.bat",
        ],
      ],
    );
    deepStrictEqual(items[0]!.fields.Drive, "C:");
    deepStrictEqual(items[0]!.fields.FileName, "upd.exe");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("startupFolderSource: StartupApproved tells a disabled Startup entry", async () => {
  const root = await buildAutorunVolume();
  try {
    const mounts = () => offlineRegistryMounts([root], []);
    const read = await startupFolderSource({ path: root, drive: "C:" }, mounts).read();
    deepStrictEqual(
      read.entries.map((entry) => [entry.entryName, entry.enabled ?? null, entry.username ?? null]),
      [
        ["broken.lnk", null, null],
        ["common.lnk", false, null],
        ["mine.bat", null, "alice"],
      ],
    );
    // A shortcut's image is its target, with its arguments; one that is no link stays the image.
    deepStrictEqual(read.entries.map((entry) => [entry.imagePath, entry.arguments]), [
      ["C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\broken.lnk", ""],
      ["C:\\Windows\\System32\\cmd.exe", "/c start"],
      [
        "C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\mine.bat",
        "",
      ],
    ]);
    deepStrictEqual(read.warnings.map((warning) => warning.code), ["autoruns-shortcut-unread"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createAutorunsCollector: a source that throws is a skip of its place, AutorunItem unread", async () => {
  const collector = createAutorunsCollector({
    sources: [{ name: "broken", read: () => Promise.reject(new Error("boom")) }],
    locate: () => undefined,
    windowsPaths: false,
    followSymlinks: false,
  });
  const { skipped, reporter } = recorder();
  deepStrictEqual(
    await collectAll(collector, new Map([["AutorunItem", new Set(["Category"])]]), reporter),
    [],
  );
  deepStrictEqual(
    skipped.map((skip) => [skip.object, skip.reason, skip.detail, skip.unreadDocuments]),
    [
      ["broken", "error", "boom", ["AutorunItem"]],
    ],
  );
});

Deno.test("createAutorunsCollector(): an unquoted Run command with spaces names the earlier image Windows runs, with a warning", async () => {
  const command = "C:\\Program Files\\Vendor App\\updater.exe /silent";
  const entry = (name: string) => ({
    category: "run-key" as const,
    location: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
    entryName: name,
    command,
    imagePath: "C:\\Program Files\\Vendor App\\updater.exe",
    arguments: "/silent",
  });
  const run = async (present: readonly string[]) => {
    const warnings: { code: string; message: string }[] = [];
    const collector = createAutorunsCollector({
      sources: [{
        name: "fake",
        read: () => {
          const read = emptyRead();
          read.entries.push(entry("Updater"));
          return Promise.resolve(read);
        },
      }],
      // The files this "volume" holds, by Windows path.
      locate: (path) => present.includes(path) ? `/image/${path}` : undefined,
      windowsPaths: true,
      followSymlinks: false,
      hashWorkers: 0,
    });
    const reporter = {
      skipped() {},
      warning: (warning: { code: string; message: string }) => void warnings.push(warning),
      progress() {},
    };
    const items: ObservedItem[] = [];
    const needs = new Map([["AutorunItem", new Set(["ImagePath", "Arguments"])]]);
    for await (const item of collector.collect({ needs, reporter })) items.push(item);
    return { fields: items[0]?.fields, warnings };
  };
  // C:\Program.exe exists: CreateProcess runs it, with the rest of the line as its arguments.
  const planted = await run(["C:\\Program.exe", "C:\\Program Files\\Vendor App\\updater.exe"]);
  deepStrictEqual([planted.fields?.ImagePath, planted.fields?.Arguments], [
    "C:\\Program.exe",
    "Files\\Vendor App\\updater.exe /silent",
  ]);
  deepStrictEqual(planted.warnings.map((warning) => warning.code), ["autorun-unquoted-image"]);
  // Only the vendor's file: it is the image, and nothing is said.
  const clean = await run(["C:\\Program Files\\Vendor App\\updater.exe"]);
  deepStrictEqual(
    [clean.fields?.ImagePath, clean.warnings],
    ["C:\\Program Files\\Vendor App\\updater.exe", []],
  );
});
