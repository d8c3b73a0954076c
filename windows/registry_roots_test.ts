import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { longRootName, splitRoot, withLongRoot } from "./registry_roots.ts";

Deno.test("splitRoot() recognises every root spelling and leaves the rest as written", () => {
  assertEquals(splitRoot("HKLM"), { root: "HKEY_LOCAL_MACHINE", rest: "" });
  assertEquals(splitRoot("hkcu\\A/B"), { root: "HKEY_CURRENT_USER", rest: "\\A/B" });
  assertEquals(splitRoot("\\REGISTRY\\MACHINE\\SYSTEM"), {
    root: "HKEY_LOCAL_MACHINE",
    rest: "\\SYSTEM",
  });
  assertEquals(splitRoot("REGISTRY\\USER"), { root: "HKEY_USERS", rest: "" });
  assertEquals(splitRoot("\\SOFTWARE\\AnyDesk"), { root: undefined, rest: "\\SOFTWARE\\AnyDesk" });
  assertEquals(splitRoot("HKLMX\\A"), { root: undefined, rest: "HKLMX\\A" });
});

Deno.test("withLongRoot() and longRootName() give the long names", () => {
  assertEquals(withLongRoot("HKCR\\.exe"), "HKEY_CLASSES_ROOT\\.exe");
  assertEquals(withLongRoot("Software\\Run"), "Software\\Run");
  assertEquals(longRootName("hkcc"), "HKEY_CURRENT_CONFIG");
  assertEquals(longRootName("Software"), undefined);
});
