import { strictEqual } from "node:assert/strict";
import { pathIsInside } from "./path_inside.ts";

Deno.test("pathIsInside: a place and what is under it, by the rules of each system's names", () => {
  const cases: [string, string, "linux" | "windows", boolean][] = [
    ["/var/lib/iocscan/quarantine", "/var/lib/iocscan/quarantine", "linux", true],
    ["/var/lib/iocscan/quarantine/key", "/var/lib/iocscan/quarantine", "linux", true],
    ["/var/lib/iocscan/quarantine/key", "/var/lib/iocscan/quarantine/", "linux", true],
    ["/var/lib/iocscan/quarantine2/key", "/var/lib/iocscan/quarantine", "linux", false],
    ["/var/lib/iocscan/Quarantine/key", "/var/lib/iocscan/quarantine", "linux", false],
    // Windows names are case-insensitive: another spelling is the same place.
    [
      "C:\\ProgramData\\IOCSCAN\\Quarantine\\key",
      "C:\\ProgramData\\iocscan\\quarantine",
      "windows",
      true,
    ],
    ["c:\\data\\RESULTS.DB", "C:\\Data\\results.db", "windows", true],
    [
      "C:\\ProgramData\\iocscan\\quarantine2\\key",
      "C:\\ProgramData\\iocscan\\quarantine",
      "windows",
      false,
    ],
    [
      "C:/ProgramData/iocscan/quarantine/key",
      "C:\\ProgramData\\iocscan\\quarantine",
      "windows",
      true,
    ],
  ];
  for (const [path, place, os, inside] of cases) {
    strictEqual(pathIsInside(path, place, os), inside, `${path} in ${place} (${os})`);
  }
});
