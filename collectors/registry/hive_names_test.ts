import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { normalizeRegistryPath, splitRegistryPath } from "./hive_names.ts";

Deno.test("splitRegistryPath reads every root spelling", () => {
  assertEquals(splitRegistryPath("HKLM\\SOFTWARE\\X"), {
    root: "HKEY_LOCAL_MACHINE",
    segments: ["SOFTWARE", "X"],
  });
  assertEquals(splitRegistryPath("hkey_local_machine/Software/X/"), {
    root: "HKEY_LOCAL_MACHINE",
    segments: ["Software", "X"],
  });
  assertEquals(splitRegistryPath("\\REGISTRY\\MACHINE\\SYSTEM"), {
    root: "HKEY_LOCAL_MACHINE",
    segments: ["SYSTEM"],
  });
  assertEquals(splitRegistryPath("\\Registry\\User\\S-1-5-18\\Software"), {
    root: "HKEY_USERS",
    segments: ["S-1-5-18", "Software"],
  });
  assertEquals(splitRegistryPath("HKCU"), { root: "HKEY_CURRENT_USER", segments: [] });
  assertEquals(splitRegistryPath("Software\\Microsoft"), {
    root: undefined,
    segments: ["Software", "Microsoft"],
  });
});

Deno.test("normalizeRegistryPath makes short and long root names equal", () => {
  assertEquals(normalizeRegistryPath("HKLM\\SOFTWARE\\Run"), "HKEY_LOCAL_MACHINE\\SOFTWARE\\Run");
  assertEquals(
    normalizeRegistryPath("HKEY_LOCAL_MACHINE\\SOFTWARE\\Run"),
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Run",
  );
  assertEquals(normalizeRegistryPath("hklm"), "HKEY_LOCAL_MACHINE");
  assertEquals(normalizeRegistryPath("HKCR\\.exe"), "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\.exe");
});

Deno.test("normalizeRegistryPath folds user hives onto HKEY_CURRENT_USER", () => {
  const folded = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
  assertEquals(
    normalizeRegistryPath("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
    folded,
  );
  assertEquals(
    normalizeRegistryPath(
      "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    ),
    folded,
  );
  assertEquals(
    normalizeRegistryPath("HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
    folded,
  );
  assertEquals(
    normalizeRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001_Classes\\CLSID\\{x}"),
    "HKEY_CURRENT_USER\\Software\\Classes\\CLSID\\{x}",
  );
  assertEquals(
    normalizeRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software", { foldUsers: false }),
    "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software",
  );
});

Deno.test("normalizeRegistryPath resolves CurrentControlSet to the given control set", () => {
  assertEquals(
    normalizeRegistryPath("HKLM\\SYSTEM\\CurrentControlSet\\Services\\MRxCls\\ImagePath"),
    "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxCls\\ImagePath",
  );
  assertEquals(
    normalizeRegistryPath("HKLM\\SYSTEM\\CurrentControlSet\\Services", { currentControlSet: 2 }),
    "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services",
  );
});
