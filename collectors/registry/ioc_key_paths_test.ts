import { deepStrictEqual } from "node:assert/strict";
import { registryKeyPathsOf } from "./ioc_key_paths.ts";
import type { KeyPathItem } from "./ioc_key_paths.ts";

const item = (
  search: string,
  value: string,
  condition: KeyPathItem["condition"] = "is",
  negate = false,
) => ({
  condition,
  negate,
  context: { document: "RegistryItem", search, type: "mir" },
  content: { type: "string", value },
});

Deno.test("registryKeyPathsOf keeps whole paths and prefixes from KeyPath and Path items", () => {
  deepStrictEqual(
    registryKeyPathsOf([
      item(
        "RegistryItem/Path",
        "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxCls\\ImagePath",
      ),
      item("RegistryItem/KeyPath", " Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon "),
      item("RegistryItem/keypath", "SOFTWARE\\MICROSOFT\\WINDOWS NT\\CURRENTVERSION\\WINLOGON"),
      item("RegistryItem/KeyPath", "HKLM\\SOFTWARE\\STS", "starts-with"),
      item("RegistryItem/KeyPath", "CurrentVersion\\Run", "contains"),
      item("RegistryItem/Path", "HKLM\\SOFTWARE\\Evil", "is", true),
      item("RegistryItem/Text", "c:\\evil.exe"),
      item("FileItem/FullPath", "c:\\x"),
    ]),
    [
      "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxCls\\ImagePath",
      "Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
      "HKLM\\SOFTWARE\\STS",
    ],
  );
});
