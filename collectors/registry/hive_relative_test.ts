/**
 * Key paths that IOCs give relative to a hive's root (`Microsoft\…` for
 * SOFTWARE, `CurrentControlSet\…` for SYSTEM) are read like full ones: an IOC
 * must never miss a key only because the collector did not read it.
 */
import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildKey } from "../../formats/regf/mod.ts";
import { createRegistryCollector } from "./collector.ts";

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

Deno.test("createRegistryCollector reads IOC key paths given relative to a hive's root", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    await Deno.writeFile(
      join(config, "SOFTWARE"),
      buildHive({
        name: "ROOT",
        subkeys: [
          chain(["Microsoft", "Office", "Addins", "Evil"], { values: [sz("Path", "x.dll")] }),
          { name: "Classes", subkeys: [] },
        ],
      }).bytes,
    );
    await Deno.writeFile(
      join(config, "SYSTEM"),
      buildHive({
        name: "ROOT",
        subkeys: [
          { name: "Select", values: [dword("Current", 2)] },
          chain(["ControlSet001", "Control", "Odd"], { values: [sz("Old", "1")] }),
          chain(["ControlSet002", "Control", "Odd"], { values: [sz("Now", "2")] }),
        ],
      }).bytes,
    );
    const collector = createRegistryCollector({
      roots: [dir],
      defaultKeySet: false,
      iocKeyPaths: ["Microsoft\\Office\\Addins\\Evil", "CurrentControlSet\\Control\\Odd"],
    });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const paths: string[] = [];
    for await (
      const item of collector.collect({ needs: new Map([["RegistryItem", new Set()]]), reporter })
    ) paths.push(item.key);
    deepStrictEqual(paths.sort(), [
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office\\Addins\\Evil\\Path",
      "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Control\\Odd\\Now",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
