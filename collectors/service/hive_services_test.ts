import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { RegistryHive } from "../../formats/regf/mod.ts";
import { corpusDir } from "../../tests/corpus.ts";
import { buildSystemHive } from "./_service_fixtures.ts";
import { readHiveServices } from "./hive_services.ts";

const env = new Map([["SYSTEMROOT", "C:\\Windows"]]);

Deno.test("readHiveServices: the current control set's services and drivers, with their image paths", () => {
  const hive = RegistryHive.open(buildSystemHive());
  const read = readHiveServices(hive, "/evidence/SYSTEM", env);
  strictEqual(read.controlSet, "ControlSet002");
  strictEqual(read.ignored, 2);
  const byName = new Map(read.entries.map((entry) => [entry.name, entry]));
  deepStrictEqual([...byName.keys()].sort(), ["Disk", "EvilSvc", "Netsvc", "Ntfs", "rootkit"]);
  const evil = byName.get("EvilSvc")!;
  deepStrictEqual(
    {
      kind: evil.kind,
      path: evil.path,
      arguments: evil.arguments,
      mode: evil.mode,
      type: evil.type,
      startedAs: evil.startedAs,
      failureCommand: evil.failureCommand,
      descriptiveName: evil.descriptiveName,
      sourceKey: evil.sourceKey,
    },
    {
      kind: "service",
      path: "C:\\ProgramData\\Evil Co\\evil.exe",
      arguments: "-k run",
      mode: "SERVICE_AUTO_START",
      type: "SERVICE_WIN32_OWN_PROCESS",
      startedAs: "LocalSystem",
      failureCommand: "C:\\ProgramData\\again.exe",
      descriptiveName: "Windows Update Helper",
      sourceKey: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\EvilSvc",
    },
  );
  strictEqual(byName.get("Netsvc")!.serviceDll, "C:\\Windows\\System32\\netsvc.dll");
  strictEqual(byName.get("Netsvc")!.path, "C:\\Windows\\system32\\svchost.exe");
  strictEqual(byName.get("rootkit")!.kind, "driver");
  strictEqual(byName.get("rootkit")!.path, "C:\\Windows\\System32\\drivers\\rootkit.sys");
  strictEqual(byName.get("Disk")!.path, "C:\\Windows\\System32\\drivers\\Disk.sys");
  strictEqual(byName.get("Ntfs")!.type, "SERVICE_FILE_SYSTEM_DRIVER");
  ok(evil.time?.startsWith("2020-01-01"));
});

Deno.test("readHiveServices: a cap cuts the list and says so", () => {
  const read = readHiveServices(RegistryHive.open(buildSystemHive()), "SYSTEM", env, 2);
  strictEqual(read.entries.length, 2);
  strictEqual(read.capped, true);
});

/** reglookup's `Type` values of every `Services` subkey of a control set, as numbers. */
function reglookupTypes(file: string, controlSet: string): number[] {
  const out = new Deno.Command("reglookup", {
    args: ["-p", `/${controlSet}/Services`, "-t", "DWORD", file],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const types: number[] = [];
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const match = /^\/[^,]*\/Services\/[^/,]+\/Type,DWORD,(0x[0-9a-f]+),/i.exec(line);
    if (match) types.push(Number(match[1]));
  }
  return types;
}

Deno.test("readHiveServices: service and driver counts of a real SYSTEM hive agree with reglookup", async () => {
  const dir = corpusDir("registry");
  if (dir === undefined) return;
  const packed = join(dir, "regipy", "SYSTEM.xz");
  try {
    new Deno.Command("reglookup", { args: ["-h"], stdout: "null", stderr: "null" }).outputSync();
    new Deno.Command("xz", { args: ["--version"], stdout: "null" }).outputSync();
  } catch {
    console.error(
      "\n*** SKIPPING the SYSTEM hive count test: reglookup or xz is not installed ***\n",
    );
    return;
  }
  const temp = await Deno.makeTempDir();
  try {
    const file = join(temp, "SYSTEM");
    const unpacked = new Deno.Command("xz", { args: ["-dc", packed], stdout: "piped" })
      .outputSync();
    await Deno.writeFile(file, unpacked.stdout);
    const read = readHiveServices(RegistryHive.open(unpacked.stdout), file, env);
    ok(read.controlSet !== undefined);
    const types = reglookupTypes(file, read.controlSet!);
    const services = types.filter((type) => (type & 0x30) !== 0).length;
    const drivers = types.filter((type) => (type & 0x30) === 0 && (type & 0x0b) !== 0).length;
    ok(services > 100 && drivers > 100, `reglookup found ${services} services, ${drivers} drivers`);
    strictEqual(read.entries.filter((entry) => entry.kind === "service").length, services);
    strictEqual(read.entries.filter((entry) => entry.kind === "driver").length, drivers);
    const svchost = read.entries.filter((entry) => /\\svchost\.exe$/i.test(entry.path ?? ""));
    ok(svchost.length > 10, "shared services run svchost.exe");
    ok(
      svchost.every((entry) => entry.arguments?.startsWith("-k")),
      "svchost's arguments are split off",
    );
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});
