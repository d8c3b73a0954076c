import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildValue } from "../../formats/regf/mod.ts";
import { hiveServiceSource } from "./hive_source.ts";

const dword = (name: string, n: number): BuildValue => ({
  name,
  type: ValueType.REG_DWORD,
  data: new Uint8Array(new Uint32Array([n]).buffer),
});

/** A SYSTEM hive with one service; `sequence` makes it dirty. */
function systemHive(sequence: [number, number]): Uint8Array {
  return buildHive({
    name: "ROOT",
    subkeys: [
      { name: "Select", values: [dword("Current", 1)] },
      {
        name: "ControlSet001",
        subkeys: [{
          name: "Services",
          subkeys: [{
            name: "Old",
            values: [
              dword("Type", 0x10),
              { name: "ImagePath", type: ValueType.REG_SZ, data: utf16z("C:\\old.exe") },
            ],
          }],
        }],
      },
    ],
  }, { sequence }).bytes;
}

Deno.test("hiveServiceSource: a dirty SYSTEM hive without its transaction logs leaves ServiceItem unread, its entries still listed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "SYSTEM");
    // Sequence 5/4: the last write is only in SYSTEM.LOG1/LOG2, which were not collected.
    await Deno.writeFile(file, systemHive([5, 4]));
    const read = await hiveServiceSource({ hives: [file], roots: [], documents: ["ServiceItem"] })
      .read();
    strictEqual(read.entries.map((entry) => entry.name).join(), "Old");
    const skip = read.skips.find((one) => one.object === file);
    ok(skip, "the unrecovered hive is a skip, not a silent read");
    strictEqual(skip.reason, "corrupt");
    ok(skip.unreadDocuments?.includes("ServiceItem"));
    ok(read.warnings.some((warning) => warning.code === "regf-not-recovered"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hiveServiceSource: a clean SYSTEM hive is read whole, without skips", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "SYSTEM");
    await Deno.writeFile(file, systemHive([1, 1]));
    const read = await hiveServiceSource({ hives: [file], roots: [], documents: ["ServiceItem"] })
      .read();
    strictEqual(read.entries.length, 1);
    strictEqual(read.skips.length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A root with a SYSTEM hive whose one service has an unquoted image path with spaces. */
async function rootWithUnquotedService(dir: string, plantProgramExe: boolean): Promise<void> {
  const config = join(dir, "Windows", "System32", "config");
  await Deno.mkdir(config, { recursive: true });
  await Deno.mkdir(join(dir, "Program Files", "A B"), { recursive: true });
  await Deno.writeTextFile(join(dir, "Program Files", "A B", "svc.exe"), "MZ the vendor's");
  if (plantProgramExe) await Deno.writeTextFile(join(dir, "Program.exe"), "MZ the attacker's");
  await Deno.writeFile(
    join(config, "SYSTEM"),
    buildHive({
      name: "ROOT",
      subkeys: [
        { name: "Select", values: [dword("Current", 1)] },
        {
          name: "ControlSet001",
          subkeys: [{
            name: "Services",
            subkeys: [{
              name: "Vendor",
              values: [
                dword("Type", 0x10),
                {
                  name: "ImagePath",
                  type: ValueType.REG_EXPAND_SZ,
                  data: utf16z("C:\\Program Files\\A B\\svc.exe -k run"),
                },
              ],
            }],
          }],
        },
      ],
    }).bytes,
  );
}

Deno.test("hiveServiceSource: an unquoted image path with spaces runs C:\\Program.exe when it exists, and says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rootWithUnquotedService(dir, true);
    const read = await hiveServiceSource({
      hives: [],
      roots: [{ path: dir, drive: "C:" }],
      documents: ["ServiceItem"],
    }).read();
    const entry = read.entries.find((one) => one.name === "Vendor")!;
    strictEqual(entry.path, "C:\\Program.exe");
    strictEqual(entry.arguments, "Files\\A B\\svc.exe -k run");
    strictEqual(entry.pathOpen, join(dir, "Program.exe"));
    ok(
      read.warnings.some((warning) =>
        warning.code === "service-unquoted-image" && warning.message.includes("C:\\Program.exe")
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hiveServiceSource: an unquoted image path with spaces and no earlier file is the configured image", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rootWithUnquotedService(dir, false);
    const read = await hiveServiceSource({
      hives: [],
      roots: [{ path: dir, drive: "C:" }],
      documents: ["ServiceItem"],
    }).read();
    const entry = read.entries.find((one) => one.name === "Vendor")!;
    strictEqual(entry.path, "C:\\Program Files\\A B\\svc.exe");
    strictEqual(entry.pathOpen, join(dir, "Program Files", "A B", "svc.exe"));
    strictEqual(read.warnings.length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
