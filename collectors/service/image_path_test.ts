import { deepStrictEqual } from "node:assert/strict";
import { earlierImages, splitImagePath } from "./image_path.ts";

const env = new Map([["SYSTEMROOT", "C:\\Windows"], ["PROGRAMFILES", "C:\\Program Files"]]);

Deno.test("splitImagePath: quoted, unquoted, expanded and kernel forms", () => {
  const cases: [string, string, string][] = [
    ['"C:\\Program Files\\A B\\svc.exe" -run now', "C:\\Program Files\\A B\\svc.exe", "-run now"],
    ['"C:\\x y\\svc.exe"', "C:\\x y\\svc.exe", ""],
    ['"C:\\unterminated\\svc.exe -a', "C:\\unterminated\\svc.exe -a", ""],
    [
      "%SystemRoot%\\system32\\svchost.exe -k netsvcs -p",
      "C:\\Windows\\system32\\svchost.exe",
      "-k netsvcs -p",
    ],
    [
      "%ProgramFiles%\\Foo Bar\\foo.exe /service",
      "C:\\Program Files\\Foo Bar\\foo.exe",
      "/service",
    ],
    ["C:\\Program Files\\Foo Bar\\foo.exe", "C:\\Program Files\\Foo Bar\\foo.exe", ""],
    ["C:\\tools\\run.exe.bak.exe -x", "C:\\tools\\run.exe.bak.exe", "-x"],
    ["\\SystemRoot\\System32\\drivers\\acpi.sys", "C:\\Windows\\System32\\drivers\\acpi.sys", ""],
    ["System32\\drivers\\disk.sys", "C:\\Windows\\System32\\drivers\\disk.sys", ""],
    ["\\??\\C:\\ProgramData\\x.sys", "C:\\ProgramData\\x.sys", ""],
    ["C:\\noext\\tool --flag", "C:\\noext\\tool", "--flag"],
    ["%Unknown%\\a.exe", "%Unknown%\\a.exe", ""],
    ["   ", "", ""],
  ];
  for (const [raw, path, args] of cases) {
    deepStrictEqual(splitImagePath(raw, env), { path, arguments: args }, raw);
  }
});

Deno.test("splitImagePath: without SystemRoot in the environment, the Windows folder is C:\\Windows", () => {
  deepStrictEqual(splitImagePath("\\SystemRoot\\x.sys", new Map()), {
    path: "C:\\Windows\\x.sys",
    arguments: "",
  });
});

Deno.test("earlierImages: an unquoted path with spaces, the images Windows tries first (CreateProcess order)", () => {
  // learn.microsoft.com CreateProcessW, lpApplicationName NULL: "c:\program files\sub dir\program
  // name" is tried as c:\program.exe, c:\program files\sub.exe, c:\program files\sub dir\program.exe…
  deepStrictEqual(earlierImages("C:\\Program Files\\A B\\svc.exe -k run", env), [
    { path: "C:\\Program.exe", arguments: "Files\\A B\\svc.exe -k run" },
    { path: "C:\\Program Files\\A.exe", arguments: "B\\svc.exe -k run" },
  ]);
  deepStrictEqual(earlierImages("%ProgramFiles%\\v1.2 tools\\x.exe", env), [
    { path: "C:\\Program.exe", arguments: "Files\\v1.2 tools\\x.exe" },
    { path: "C:\\Program Files\\v1.2", arguments: "tools\\x.exe" },
  ]);
  deepStrictEqual(earlierImages('"C:\\Program Files\\A B\\svc.exe" -k', env), []);
  deepStrictEqual(earlierImages("C:\\Windows\\svc.exe -k a b", env), []);
  deepStrictEqual(earlierImages("", env), []);
});
