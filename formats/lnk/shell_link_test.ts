import { deepStrictEqual } from "node:assert/strict";
import { parseShellLink } from "./shell_link.ts";
import { buildShellLink } from "./_lnk_builder.ts";

Deno.test("parseShellLink: the local base path past an ID list, with arguments and working folder", () => {
  const bytes = buildShellLink({
    idList: 20,
    basePath: "C:\\Program Files\\Evil\\evil.exe",
    workingDir: "C:\\Program Files\\Evil",
    arguments: "-hide -enc QQ==",
  });
  deepStrictEqual(parseShellLink(bytes), {
    targetPath: "C:\\Program Files\\Evil\\evil.exe",
    arguments: "-hide -enc QQ==",
    workingDirectory: "C:\\Program Files\\Evil",
  });
});

Deno.test("parseShellLink: a relative path when there is no LinkInfo", () => {
  deepStrictEqual(parseShellLink(buildShellLink({ relativePath: "..\\..\\x.exe" })), {
    targetPath: "..\\..\\x.exe",
    arguments: "",
  });
});

Deno.test("parseShellLink: not a link, or cut anywhere, is undefined and never throws", () => {
  deepStrictEqual(parseShellLink(new TextEncoder().encode("@echo off")), undefined);
  const whole = buildShellLink({ idList: 8, basePath: "C:\\x.exe", arguments: "a" });
  for (let length = 0; length < whole.length; length++) {
    const cut = parseShellLink(whole.subarray(0, length));
    if (cut !== undefined) deepStrictEqual(typeof cut.arguments, "string");
  }
  // Offsets and sizes pointing anywhere.
  for (let index = 0x4c; index < whole.length; index++) {
    const bent = whole.slice();
    bent[index] = 0xff;
    parseShellLink(bent);
  }
});
