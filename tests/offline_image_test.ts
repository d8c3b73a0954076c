/**
 * A Windows image mounted on Linux, scanned through the CLI with `--root`:
 * IOCs written with Windows paths (`C:\Windows\Temp\x.exe`,
 * `\AppData\Roaming\`) fire on its files, `RegistryItem/KeyPath` IOCs on its
 * hives (a user hive mounted under its profile folder's name, hive-relative
 * paths, CurrentControlSet), and evidence says where each object was read.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element, utf16 } from "../formats/evtx/_fixtures.ts";
import { buildHive, utf16z, ValueType } from "../formats/regf/mod.ts";
import type { BuildKey } from "../formats/regf/mod.ts";
import { type LooseEvent, runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";

const registryCorpus = corpusDir("registry");

function ioc10(id: string, items: string): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-07T00:00:00">
  <short_description>${id}</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition><Indicator operator="OR" id="${id}-top">${items}</Indicator></definition>
</ioc>`;
}

let itemNumber = 0;
function item(search: string, condition: string, value: string): string {
  const document = search.split("/")[0];
  return `<IndicatorItem id="i${++itemNumber}" condition="${condition}">` +
    `<Context document="${document}" search="${search}" type="mir"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
}

const and = (...items: string[]) =>
  `<Indicator operator="AND" id="a${++itemNumber}">${items.join("")}</Indicator>`;

const sz = (name: string, text: string) => ({ name, type: ValueType.REG_SZ, data: utf16z(text) });
const dword = (name: string, n: number) => ({
  name,
  type: ValueType.REG_DWORD,
  data: new Uint8Array(new Uint32Array([n]).buffer),
});
const chain = (names: string[], leaf: Omit<BuildKey, "name">): BuildKey =>
  names.length === 1
    ? { name: names[0]!, ...leaf }
    : { name: names[0]!, subkeys: [chain(names.slice(1), leaf)] };

/** A Windows volume as a Linux mount shows it. */
async function plantImage(image: string): Promise<void> {
  const write = async (path: string, data: string | Uint8Array) => {
    const full = join(image, ...path.split("/"));
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(full, typeof data === "string" ? new TextEncoder().encode(data) : data);
  };
  await write("Windows/Temp/x.exe", "MZ dropper");
  await write("Windows/Temp/y.exe", "MZ near miss");
  await write("Users/alice/AppData/Roaming/Microsoft/upd.exe", "MZ roaming");
  await write("Users/alice/AppData/Local/Microsoft/upd.exe", "MZ near miss");
  // No SOFTWARE ProfileList: alice's hive is mounted under her profile folder's name.
  await write(
    "Users/alice/NTUSER.DAT",
    buildHive({
      name: "ROOT",
      subkeys: [
        chain(["Software", "Microsoft", "Windows", "CurrentVersion", "Run"], {
          values: [sz("updater", "C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\upd.exe")],
        }),
      ],
    }).bytes,
  );
  await write(
    "Windows/System32/config/SOFTWARE",
    buildHive({
      name: "ROOT",
      subkeys: [
        chain(["Microsoft", "Office", "Addins", "Evil"], { values: [sz("Path", "evil.dll")] }),
        { name: "Classes", subkeys: [] },
      ],
    }).bytes,
  );
  await write(
    "Windows/System32/config/SYSTEM",
    buildHive({
      name: "ROOT",
      subkeys: [
        { name: "Select", values: [dword("Current", 1)] },
        chain(["ControlSet001", "Services", "evilsvc"], {
          values: [sz("ImagePath", "C:\\Windows\\Temp\\x.exe")],
        }),
      ],
    }).bytes,
  );
  const template = element("Event", [], [
    ...element("System", [], [
      ...element("EventID", [], [{ text: "4624" }]),
      ...element("Channel", [], [{ text: "Security" }]),
      ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
      ...element("Computer", [], [{ sub: 1, type: 1 }]),
    ]),
  ]);
  await write(
    "Windows/System32/winevt/Logs/Security.evtx",
    buildEvtx({
      template,
      records: [{
        id: 42,
        writtenMs: Date.UTC(2026, 10, 30, 8, 15),
        values: [
          { type: 0x0a, bytes: new Uint8Array([42, 0, 0, 0, 0, 0, 0, 0]) },
          { type: 1, bytes: utf16("WS01.corp.example") },
        ],
      }],
    }),
  );
}

async function plantIocs(dir: string): Promise<void> {
  await Deno.mkdir(dir);
  const iocs: Record<string, string> = {
    "file-fullpath": item("FileItem/FullPath", "is", "C:\\Windows\\Temp\\x.exe"),
    "file-fullpath-case": item("FileItem/FullPath", "is", "c:\\windows\\temp\\X.EXE"),
    "file-roaming": and(
      item("FileItem/FilePath", "contains", "\\AppData\\Roaming\\"),
      item("FileItem/FileName", "is", "upd.exe"),
    ),
    "file-drive": and(
      item("FileItem/Drive", "is", "C:"),
      item("FileItem/FileName", "is", "x.exe"),
    ),
    "file-near-miss": item("FileItem/FullPath", "is", "C:\\Windows\\Temp\\z.exe"),
    "reg-user-keypath": and(
      item("RegistryItem/KeyPath", "is", "Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
      item("RegistryItem/ValueName", "is", "updater"),
    ),
    "reg-ccs": item("RegistryItem/KeyPath", "is", "CurrentControlSet\\Services\\evilsvc"),
    "reg-hive-relative": item("RegistryItem/KeyPath", "is", "Microsoft\\Office\\Addins\\Evil"),
    "reg-near-miss": item(
      "RegistryItem/KeyPath",
      "is",
      "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
    ),
    "evt-logon": item("EventLogItem/EID", "is", "4624"),
  };
  for (const [id, body] of Object.entries(iocs)) {
    await Deno.writeTextFile(join(dir, `${id}.ioc`), ioc10(id, body));
  }
}

interface Evidence {
  object: string;
  source?: string;
  time?: string;
  computer?: string;
}

async function scanJson(args: string[]) {
  const result = await runCli<LooseEvent>(["scan", ...args, "--json"]);
  const found = new Map<string, Evidence[]>();
  for (const event of result.events) {
    if (event.type === "detection") found.set(event.ioc.id, event.evidence);
  }
  return { code: result.code, found, stderr: result.stderr };
}

async function withImage(fn: (dir: string, image: string, iocs: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    const image = join(dir, "image");
    const iocs = join(dir, "iocs");
    await plantImage(image);
    await plantIocs(iocs);
    await fn(dir, image, iocs);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("iocscan scan --root: Windows path IOCs fire on a mounted image, near misses do not", async () => {
  await withImage(async (dir, image, iocs) => {
    const { code, found, stderr } = await scanJson([
      "--ioc",
      iocs,
      "--root",
      image,
      "--db",
      join(dir, "r.db"),
    ]);
    deepStrictEqual(code, 1, stderr);
    deepStrictEqual([...found.keys()].sort(), [
      "evt-logon",
      "file-drive",
      "file-fullpath",
      "file-fullpath-case",
      "file-roaming",
      "reg-ccs",
      "reg-hive-relative",
      "reg-user-keypath",
    ]);
    // The object is the Windows path; the source is where the analyst finds the file.
    deepStrictEqual(found.get("file-fullpath"), [{
      ...found.get("file-fullpath")![0]!,
      object: "C:\\Windows\\Temp\\x.exe",
      source: join(image, "Windows", "Temp", "x.exe"),
    }]);
    deepStrictEqual(
      found.get("file-roaming")!.map((evidence) => [evidence.object, evidence.source]),
      [[
        "C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\upd.exe",
        join(image, "Users", "alice", "AppData", "Roaming", "Microsoft", "upd.exe"),
      ]],
    );
    deepStrictEqual(
      found.get("reg-user-keypath")!.map((evidence) => [evidence.object, evidence.source]),
      [[
        "HKEY_USERS\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater",
        join(image, "Users", "alice", "NTUSER.DAT"),
      ]],
    );
    deepStrictEqual(found.get("reg-ccs")!.map((evidence) => evidence.object), [
      "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\evilsvc\\ImagePath",
    ]);
    const [event] = found.get("evt-logon")!;
    deepStrictEqual([event!.object, event!.source, event!.time, event!.computer], [
      "Security#42",
      join(image, "Windows", "System32", "winevt", "Logs", "Security.evtx"),
      "2026-11-30T08:15:00.0000000Z",
      "WS01.corp.example",
    ]);
  });
});

Deno.test("iocscan scan --root-drive shows the image's files on that drive", async () => {
  await withImage(async (dir, image, iocs) => {
    await Deno.writeTextFile(
      join(iocs, "file-on-e.ioc"),
      ioc10("file-on-e", item("FileItem/FullPath", "is", "E:\\Windows\\Temp\\x.exe")),
    );
    const { found } = await scanJson([
      "--ioc",
      iocs,
      "--root",
      image,
      "--root-drive",
      "e",
      "--types",
      "file",
      "--db",
      join(dir, "r.db"),
    ]);
    deepStrictEqual([...found.keys()].sort(), ["file-on-e", "file-roaming"]);
    // A drive that is not one letter is a usage error.
    const bad = await runCli(["scan", "--ioc", iocs, "--root", image, "--root-drive", "EF"]);
    deepStrictEqual(bad.code, 2);
  });
});

Deno.test("iocscan scan and results show where each evidence object was read", async () => {
  await withImage(async (dir, image, iocs) => {
    const db = join(dir, "r.db");
    const scan = await runCli(["scan", "--ioc", iocs, "--root", image, "--db", db]);
    deepStrictEqual(scan.code, 1, scan.stderr);
    const expected = [
      "    FileItem: C:\\Windows\\Temp\\x.exe",
      `      source: ${join(image, "Windows", "Temp", "x.exe")}`,
      "    EventLogItem: Security#42",
      `      source: ${
        join(image, "Windows", "System32", "winevt", "Logs", "Security.evtx")
      }  time: 2026-11-30T08:15:00.0000000Z  computer: WS01.corp.example`,
    ];
    const runId = /\(run (\d+)\)/.exec(scan.stdout)?.[1];
    ok(runId, scan.stdout);
    const results = await runCli(["results", "--db", db, "--run", runId]);
    for (const output of [scan.stdout, results.stdout]) {
      const lines = output.split("\n");
      for (const [index, line] of expected.entries()) {
        if (index % 2 === 1) continue;
        const at = lines.indexOf(line);
        ok(at >= 0, `${line} not in\n${output}`);
        deepStrictEqual(lines[at + 1], expected[index + 1]);
      }
    }
  });
});

Deno.test({
  name:
    "iocscan scan --hive: a KeyPath IOC matches a real NTUSER.DAT mounted under its folder name",
  ignore: registryCorpus === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(
        join(dir, "run.ioc"),
        ioc10(
          "keypath-run-skype",
          and(
            item("RegistryItem/KeyPath", "is", "Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
            item("RegistryItem/Text", "contains", "skype.exe"),
          ),
        ),
      );
      const hive = join(registryCorpus!, "plaso", "NTUSER-WIN7.DAT");
      const { code, found } = await scanJson([
        "--ioc",
        dir,
        "--hive",
        hive,
        "--db",
        join(dir, "r.db"),
      ]);
      deepStrictEqual(code, 1);
      deepStrictEqual(
        found.get("keypath-run-skype")!.map((evidence) => [evidence.object, evidence.source]),
        [[
          "HKEY_USERS\\plaso\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Skype",
          hive,
        ]],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
