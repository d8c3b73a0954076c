import { deepStrictEqual } from "node:assert/strict";
import { normalizeRegistryPath, splitRegistryPath } from "./hive_names.ts";

Deno.test("splitRegistryPath reads every root spelling", () => {
  deepStrictEqual(splitRegistryPath("HKLM\\SOFTWARE\\X"), {
    root: "HKEY_LOCAL_MACHINE",
    segments: ["SOFTWARE", "X"],
  });
  deepStrictEqual(splitRegistryPath("hkey_local_machine/Software/X/"), {
    root: "HKEY_LOCAL_MACHINE",
    segments: ["Software", "X"],
  });
  deepStrictEqual(splitRegistryPath("\\REGISTRY\\MACHINE\\SYSTEM"), {
    root: "HKEY_LOCAL_MACHINE",
    segments: ["SYSTEM"],
  });
  deepStrictEqual(splitRegistryPath("\\Registry\\User\\S-1-5-18\\Software"), {
    root: "HKEY_USERS",
    segments: ["S-1-5-18", "Software"],
  });
  deepStrictEqual(splitRegistryPath("HKCU"), { root: "HKEY_CURRENT_USER", segments: [] });
  deepStrictEqual(splitRegistryPath("Software\\Microsoft"), {
    root: undefined,
    segments: ["Software", "Microsoft"],
  });
});

Deno.test("normalizeRegistryPath makes short and long root names equal", () => {
  deepStrictEqual(
    normalizeRegistryPath("HKLM\\SOFTWARE\\Run"),
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Run",
  );
  deepStrictEqual(
    normalizeRegistryPath("HKEY_LOCAL_MACHINE\\SOFTWARE\\Run"),
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Run",
  );
  deepStrictEqual(normalizeRegistryPath("hklm"), "HKEY_LOCAL_MACHINE");
  deepStrictEqual(
    normalizeRegistryPath("HKCR\\.exe"),
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\.exe",
  );
});

Deno.test("normalizeRegistryPath folds user hives onto HKEY_CURRENT_USER", () => {
  const folded = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
  deepStrictEqual(
    normalizeRegistryPath("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
    folded,
  );
  deepStrictEqual(
    normalizeRegistryPath(
      "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    ),
    folded,
  );
  deepStrictEqual(
    normalizeRegistryPath("HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
    folded,
  );
  deepStrictEqual(
    normalizeRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001_Classes\\CLSID\\{x}"),
    "HKEY_CURRENT_USER\\Software\\Classes\\CLSID\\{x}",
  );
  deepStrictEqual(
    normalizeRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software", { foldUsers: false }),
    "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software",
  );
});

Deno.test("normalizeRegistryPath resolves CurrentControlSet to the given control set", () => {
  deepStrictEqual(
    normalizeRegistryPath("HKLM\\SYSTEM\\CurrentControlSet\\Services\\MRxCls\\ImagePath"),
    "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxCls\\ImagePath",
  );
  deepStrictEqual(
    normalizeRegistryPath("HKLM\\SYSTEM\\CurrentControlSet\\Services", { currentControlSet: 2 }),
    "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services",
  );
});
