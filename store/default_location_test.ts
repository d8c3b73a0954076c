import { ok, strictEqual } from "node:assert/strict";
import { existsSync } from "node:fs";
import { defaultStoreLocation } from "./default_location.ts";

const noEnv = () => undefined;

Deno.test("defaultStoreLocation() uses %ProgramData%\\IocScan on Windows", () => {
  strictEqual(
    defaultStoreLocation({
      os: "windows",
      env: (name) => name === "ProgramData" ? "D:\\PD" : undefined,
      create: false,
    }),
    "D:\\PD\\IocScan\\iocscan.db",
  );
  strictEqual(
    defaultStoreLocation({ os: "windows", env: noEnv, create: false }),
    "C:\\ProgramData\\IocScan\\iocscan.db",
  );
});

Deno.test("defaultStoreLocation() uses /var/lib/iocscan as root on Linux", () => {
  strictEqual(
    defaultStoreLocation({ os: "linux", isRoot: true, env: noEnv, create: false }),
    "/var/lib/iocscan/iocscan.db",
  );
});

Deno.test("defaultStoreLocation() uses ~/.local/share (or an absolute XDG_DATA_HOME) for other users", () => {
  strictEqual(
    defaultStoreLocation({
      os: "linux",
      isRoot: false,
      home: "/home/bob",
      env: noEnv,
      create: false,
    }),
    "/home/bob/.local/share/iocscan/iocscan.db",
  );
  strictEqual(
    defaultStoreLocation({
      os: "linux",
      isRoot: false,
      home: "/home/bob",
      env: (name) => name === "XDG_DATA_HOME" ? "/data/bob" : undefined,
      create: false,
    }),
    "/data/bob/iocscan/iocscan.db",
  );
  strictEqual(
    defaultStoreLocation({
      os: "linux",
      isRoot: false,
      home: "/home/bob",
      env: (name) => name === "XDG_DATA_HOME" ? "relative/dir" : undefined,
      create: false,
    }),
    "/home/bob/.local/share/iocscan/iocscan.db",
  );
});

Deno.test("defaultStoreLocation() creates the folder", async () => {
  const home = await Deno.makeTempDir();
  try {
    const path = defaultStoreLocation({ os: "linux", isRoot: false, home, env: noEnv });
    ok(existsSync(`${home}/.local/share/iocscan`));
    strictEqual(existsSync(path), false);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
