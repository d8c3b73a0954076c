import { strictEqual, throws } from "node:assert/strict";
import { assertTaskValue, windowsCommandLine } from "./command_line.ts";

Deno.test("windowsCommandLine: quotes what CommandLineToArgvW would split, as ConvertTo-IocCommandLine", () => {
  strictEqual(windowsCommandLine(["isolation", "release"]), "isolation release");
  strictEqual(
    windowsCommandLine(["--db", "C:\\Program Data\\r.db", ""]),
    '--db "C:\\Program Data\\r.db" ""',
  );
  strictEqual(windowsCommandLine(['say "hi"']), '"say \\"hi\\""');
  strictEqual(windowsCommandLine(["C:\\dir with space\\"]), '"C:\\dir with space\\\\"');
  strictEqual(windowsCommandLine(["a\\\\b"]), "a\\\\b");
});

Deno.test("assertTaskValue: refuses control characters and %, names the role not the value", () => {
  assertTaskValue("C:\\Program Files\\iocscan\\iocscan.exe", "engine path");
  throws(
    () => assertTaskValue("a\nb", "store path"),
    /store path contains a control character \(U\+000A at position 1\)/,
  );
  throws(() => assertTaskValue("%TEMP%\\x", "store path"), /expand as an environment variable/);
});
