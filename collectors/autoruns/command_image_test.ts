import { deepStrictEqual } from "node:assert/strict";
import { posixCommandImage, windowsCommandImage } from "./command_image.ts";

const env = new Map([
  ["SYSTEMROOT", "C:\\Windows"],
  ["LOCALAPPDATA", "C:\\Users\\alice\\AppData\\Local"],
]);

Deno.test("windowsCommandImage: quoted, unquoted with spaces, variables, NT forms", () => {
  deepStrictEqual(windowsCommandImage('"C:\\Program Files\\A B\\a.exe" -x "y z"', env), {
    imagePath: "C:\\Program Files\\A B\\a.exe",
    arguments: '-x "y z"',
  });
  deepStrictEqual(windowsCommandImage("C:\\Program Files\\A B\\a.exe /silent", env), {
    imagePath: "C:\\Program Files\\A B\\a.exe",
    arguments: "/silent",
  });
  deepStrictEqual(windowsCommandImage("%LOCALAPPDATA%\\sync\\sync.exe", env), {
    imagePath: "C:\\Users\\alice\\AppData\\Local\\sync\\sync.exe",
    arguments: "",
  });
  deepStrictEqual(windowsCommandImage("\\SystemRoot\\System32\\drivers\\x.sys", env), {
    imagePath: "C:\\Windows\\System32\\drivers\\x.sys",
    arguments: "",
  });
  deepStrictEqual(windowsCommandImage("\\??\\C:\\evil\\x.sys", env).imagePath, "C:\\evil\\x.sys");
  deepStrictEqual(windowsCommandImage("C:\\Windows\\system32\\userinit.exe,", env), {
    imagePath: "C:\\Windows\\system32\\userinit.exe",
    arguments: "",
  });
  deepStrictEqual(windowsCommandImage("   ", env), { arguments: "" });
});

Deno.test("windowsCommandImage: launchers name their payload; powershell keeps its arguments", () => {
  deepStrictEqual(windowsCommandImage("rundll32.exe C:\\x\\a.dll,Start", env), {
    imagePath: "C:\\x\\a.dll",
    arguments: "C:\\x\\a.dll,Start",
  });
  deepStrictEqual(
    windowsCommandImage('rundll32 "C:\\x y\\a.dll",Start', env).imagePath,
    "C:\\x y\\a.dll",
  );
  deepStrictEqual(
    windowsCommandImage("regsvr32 /s /i:x C:\\x\\b.dll", env).imagePath,
    "C:\\x\\b.dll",
  );
  deepStrictEqual(windowsCommandImage("cmd.exe /c C:\\x\\run.bat arg", env), {
    imagePath: "C:\\x\\run.bat",
    arguments: "/c C:\\x\\run.bat arg",
  });
  deepStrictEqual(windowsCommandImage("powershell.exe -nop -enc SQBFAFgA", env), {
    imagePath: "powershell.exe",
    arguments: "-nop -enc SQBFAFgA",
  });
  // A launcher with nothing after it is the image itself.
  deepStrictEqual(windowsCommandImage("cmd.exe", env), { imagePath: "cmd.exe", arguments: "" });
});

Deno.test("posixCommandImage: systemd prefixes and quotes", () => {
  deepStrictEqual(posixCommandImage("-/usr/bin/agent --serve"), {
    imagePath: "/usr/bin/agent",
    arguments: "--serve",
  });
  deepStrictEqual(posixCommandImage('"/opt/my app/run" x'), {
    imagePath: "/opt/my app/run",
    arguments: "x",
  });
});
