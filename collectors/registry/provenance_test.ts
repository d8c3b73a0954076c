/** Registry objects read from a hive file name that file as their source, for evidence. */
import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import { createRegistryCollector } from "./collector.ts";

Deno.test("createRegistryCollector: items from a hive file carry it as their source", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "NTUSER.DAT");
    const { bytes } = buildHive({
      name: "ROOT",
      subkeys: [{
        name: "Software",
        subkeys: [{
          name: "Run",
          values: [{ name: "x", type: ValueType.REG_SZ, data: utf16z("C:\\x.exe") }],
        }],
      }],
    });
    await Deno.writeFile(file, bytes);
    const collector = createRegistryCollector({ hives: [file], registryFull: true });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const sources = new Set<string | undefined>();
    for await (
      const item of collector.collect({ needs: new Map([["RegistryItem", new Set()]]), reporter })
    ) sources.add(item.provenance?.source);
    deepStrictEqual([...sources], [file]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
