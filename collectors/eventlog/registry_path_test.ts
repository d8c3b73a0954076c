import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { normalizeHiveName, splitRegistryEventPath } from "./registry_path.ts";

Deno.test("normalizeHiveName writes long root names and keeps the rest", () => {
  strictEqual(
    normalizeHiveName("HKLM\\System\\CurrentControlSet\\x"),
    "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\x",
  );
  strictEqual(normalizeHiveName("hklm\\SOFTWARE"), "HKEY_LOCAL_MACHINE\\SOFTWARE");
  strictEqual(normalizeHiveName("HKU\\S-1-5-18\\Software"), "HKEY_USERS\\S-1-5-18\\Software");
  strictEqual(normalizeHiveName("HKEY_USERS\\S-1-5-18"), "HKEY_USERS\\S-1-5-18");
  strictEqual(normalizeHiveName("HKCR\\.exe"), "HKEY_CLASSES_ROOT\\.exe");
  strictEqual(normalizeHiveName("HKCU"), "HKEY_CURRENT_USER");
  strictEqual(normalizeHiveName("\\REGISTRY\\MACHINE\\SAM"), "HKEY_LOCAL_MACHINE\\SAM");
  strictEqual(normalizeHiveName("\\REGISTRY\\USER\\S-1-5-20\\x"), "HKEY_USERS\\S-1-5-20\\x");
  strictEqual(normalizeHiveName("SOFTWARE\\x"), "SOFTWARE\\x");
});

Deno.test("splitRegistryEventPath splits value paths and leaves key paths whole", () => {
  deepStrictEqual(splitRegistryEventPath("HKEY_LOCAL_MACHINE\\A\\B\\Value", true), {
    hive: "HKEY_LOCAL_MACHINE",
    keyPath: "HKEY_LOCAL_MACHINE\\A\\B",
    valueName: "Value",
  });
  deepStrictEqual(splitRegistryEventPath("HKEY_LOCAL_MACHINE\\A\\B", false), {
    hive: "HKEY_LOCAL_MACHINE",
    keyPath: "HKEY_LOCAL_MACHINE\\A\\B",
    valueName: "",
  });
});
