import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { applyTextForm, foldRegistryPath, regexTextForm } from "./text_form.ts";

Deno.test("foldRegistryPath() folds root aliases to long names", () => {
  assertEquals(foldRegistryPath("HKLM\\Software\\X"), "HKEY_LOCAL_MACHINE\\Software\\X");
  assertEquals(foldRegistryPath("hklm"), "HKEY_LOCAL_MACHINE");
  assertEquals(foldRegistryPath("\\REGISTRY\\MACHINE\\SYSTEM"), "HKEY_LOCAL_MACHINE\\SYSTEM");
  assertEquals(foldRegistryPath("HKCU\\Software\\X"), "HKEY_CURRENT_USER\\Software\\X");
  assertEquals(
    foldRegistryPath("HKCR\\CLSID\\{1}"),
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{1}",
  );
  // Not a root: a key named like one deeper down, or a bare substring, is left alone.
  assertEquals(foldRegistryPath("\\SOFTWARE\\AnyDesk"), "\\SOFTWARE\\AnyDesk");
  assertEquals(foldRegistryPath("HKLMX\\A"), "HKLMX\\A");
});

Deno.test("foldRegistryPath() folds every user hive onto HKEY_CURRENT_USER", () => {
  assertEquals(
    foldRegistryPath("HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Run"),
    "HKEY_CURRENT_USER\\Software\\Run",
  );
  assertEquals(
    foldRegistryPath("HKU\\S-1-5-21-1-2-3-1001_Classes\\CLSID\\{1}"),
    "HKEY_CURRENT_USER\\Software\\Classes\\CLSID\\{1}",
  );
  assertEquals(foldRegistryPath("S-1-5-21-1-2-3-1001\\Software\\Run"), "Software\\Run");
  assertEquals(foldRegistryPath("S-1-5-21-1-2-3-1001_Classes\\CLSID"), "Software\\Classes\\CLSID");
  assertEquals(
    foldRegistryPath("HKEY_USERS\\.DEFAULT\\Software"),
    "HKEY_USERS\\.DEFAULT\\Software",
  );
});

Deno.test("foldRegistryPath() folds numbered control sets onto CurrentControlSet", () => {
  assertEquals(
    foldRegistryPath("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\x"),
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\x",
  );
  assertEquals(foldRegistryPath("SYSTEM\\controlset002"), "SYSTEM\\CurrentControlSet");
  assertEquals(foldRegistryPath("SYSTEM\\ControlSet0011\\x"), "SYSTEM\\ControlSet0011\\x");
});

Deno.test("applyTextForm() and regexTextForm() apply each form", () => {
  assertEquals(applyTextForm(".exe", "file-extension"), "exe");
  assertEquals(applyTextForm("exe", "file-extension"), "exe");
  assertEquals(applyTextForm(".exe", "plain"), ".exe");
  assertEquals(regexTextForm(".exe", "file-extension"), ".exe");
  assertEquals(regexTextForm("HKLM\\X", "registry-path"), "HKEY_LOCAL_MACHINE\\X");
});
