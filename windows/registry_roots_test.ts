import { deepStrictEqual } from "node:assert/strict";
import { longRootName, splitRoot, withLongRoot } from "./registry_roots.ts";

Deno.test("splitRoot() recognises every root spelling and leaves the rest as written", () => {
  deepStrictEqual(splitRoot("HKLM"), { root: "HKEY_LOCAL_MACHINE", rest: "" });
  deepStrictEqual(splitRoot("hkcu\\A/B"), { root: "HKEY_CURRENT_USER", rest: "\\A/B" });
  deepStrictEqual(splitRoot("\\REGISTRY\\MACHINE\\SYSTEM"), {
    root: "HKEY_LOCAL_MACHINE",
    rest: "\\SYSTEM",
  });
  deepStrictEqual(splitRoot("REGISTRY\\USER"), { root: "HKEY_USERS", rest: "" });
  deepStrictEqual(splitRoot("\\SOFTWARE\\AnyDesk"), {
    root: undefined,
    rest: "\\SOFTWARE\\AnyDesk",
  });
  deepStrictEqual(splitRoot("HKLMX\\A"), { root: undefined, rest: "HKLMX\\A" });
});

Deno.test("withLongRoot() and longRootName() give the long names", () => {
  deepStrictEqual(withLongRoot("HKCR\\.exe"), "HKEY_CLASSES_ROOT\\.exe");
  deepStrictEqual(withLongRoot("Software\\Run"), "Software\\Run");
  deepStrictEqual(longRootName("hkcc"), "HKEY_CURRENT_CONFIG");
  deepStrictEqual(longRootName("Software"), undefined);
});
