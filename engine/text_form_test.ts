import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { applyTextForm, foldRegistryPath, regexTextForm } from "./text_form.ts";

Deno.test("foldRegistryPath() folds root aliases to long names", () => {
  deepStrictEqual(foldRegistryPath("HKLM\\Software\\X"), "HKEY_LOCAL_MACHINE\\Software\\X");
  deepStrictEqual(foldRegistryPath("hklm"), "HKEY_LOCAL_MACHINE");
  deepStrictEqual(foldRegistryPath("\\REGISTRY\\MACHINE\\SYSTEM"), "HKEY_LOCAL_MACHINE\\SYSTEM");
  deepStrictEqual(foldRegistryPath("HKCU\\Software\\X"), "HKEY_CURRENT_USER\\Software\\X");
  deepStrictEqual(
    foldRegistryPath("HKCR\\CLSID\\{1}"),
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{1}",
  );
  // Not a root: a key named like one deeper down, or a bare substring, is left alone.
  deepStrictEqual(foldRegistryPath("\\SOFTWARE\\AnyDesk"), "\\SOFTWARE\\AnyDesk");
  deepStrictEqual(foldRegistryPath("HKLMX\\A"), "HKLMX\\A");
});

Deno.test("foldRegistryPath() folds every user hive onto HKEY_CURRENT_USER", () => {
  deepStrictEqual(
    foldRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Run"),
    "HKEY_CURRENT_USER\\Software\\Run",
  );
  deepStrictEqual(
    foldRegistryPath("HKU\\S-1-5-21-1-2-3-1001_Classes\\CLSID\\{1}"),
    "HKEY_CURRENT_USER\\Software\\Classes\\CLSID\\{1}",
  );
  deepStrictEqual(foldRegistryPath("S-1-5-21-1-2-3-1001\\Software\\Run"), "Software\\Run");
  deepStrictEqual(
    foldRegistryPath("S-1-5-21-1-2-3-1001_Classes\\CLSID"),
    "Software\\Classes\\CLSID",
  );
  deepStrictEqual(
    foldRegistryPath("HKEY_USERS\\.DEFAULT\\Software"),
    "HKEY_USERS\\.DEFAULT\\Software",
  );
});

Deno.test("foldRegistryPath() folds numbered control sets onto CurrentControlSet", () => {
  deepStrictEqual(
    foldRegistryPath("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\x"),
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\x",
  );
  deepStrictEqual(foldRegistryPath("SYSTEM\\controlset002"), "SYSTEM\\CurrentControlSet");
  deepStrictEqual(foldRegistryPath("SYSTEM\\ControlSet0011\\x"), "SYSTEM\\ControlSet0011\\x");
});

Deno.test("applyTextForm() and regexTextForm() apply each form", () => {
  deepStrictEqual(applyTextForm(".exe", "file-extension"), "exe");
  deepStrictEqual(applyTextForm("exe", "file-extension"), "exe");
  deepStrictEqual(applyTextForm(".exe", "plain"), ".exe");
  deepStrictEqual(regexTextForm(".exe", "file-extension"), ".exe");
  deepStrictEqual(regexTextForm("HKLM\\X", "registry-path"), "HKEY_LOCAL_MACHINE\\X");
});

Deno.test("applyTextForm: mac-address folds Windows' and Linux' spellings to one", () => {
  strictEqual(applyTextForm("00-50-56-C0-00-08", "mac-address"), "00:50:56:c0:00:08");
  strictEqual(applyTextForm("00:50:56:c0:00:08", "mac-address"), "00:50:56:c0:00:08");
  strictEqual(regexTextForm("00-50-56-C0-00-08", "mac-address"), "00:50:56:c0:00:08");
});

Deno.test("applyTextForm: mac-address folds the other spellings of a whole address (bare hex, Cisco dots, no leading zeros)", () => {
  for (
    const spelling of [
      "005056C00008",
      "0050.56c0.0008",
      "0:50:56:c0:0:8",
      "0-50-56-C0-0-8",
      " 00:50:56:C0:00:08 ",
    ]
  ) strictEqual(applyTextForm(spelling, "mac-address"), "00:50:56:c0:00:08", spelling);
  // A part of an address (an OUI for `starts-with`) keeps its own spelling, folded as before.
  strictEqual(applyTextForm("00-50-56", "mac-address"), "00:50:56");
  // Not an address: left as it is but for case and dashes.
  strictEqual(applyTextForm("not-a-mac", "mac-address"), "not:a:mac");
});
