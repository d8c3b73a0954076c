import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { recordedCommand } from "../live/mod.ts";
import { buildSystemHive } from "./_service_fixtures.ts";
import { listServiceEntries } from "./list_entries.ts";

Deno.test("listServiceEntries: a hive's services and drivers, with image, arguments, mode and key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-list-" });
  try {
    const hive = join(dir, "SYSTEM");
    await Deno.writeFile(hive, buildSystemHive());
    const { entries, skips } = await listServiceEntries({ hives: [hive], roots: [] });
    deepStrictEqual(skips, []);
    const evil = entries.find((entry) => entry.name === "EvilSvc");
    deepStrictEqual(
      [evil?.kind, evil?.path, evil?.arguments, evil?.mode, evil?.sourceKey],
      [
        "service",
        "C:\\ProgramData\\Evil Co\\evil.exe",
        "-k run",
        "SERVICE_AUTO_START",
        "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\EvilSvc",
      ],
    );
    deepStrictEqual(
      entries.filter((entry) => entry.kind === "driver").map((entry) => entry.name).sort(),
      ["Disk", "Ntfs", "rootkit"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listServiceEntries: live Windows lists Win32_Service and Win32_SystemDriver (recorded)", async () => {
  const services = JSON.stringify([{ Name: "Svc", PathName: "C:\\s.exe -x", StartMode: "Auto" }]);
  const drivers = JSON.stringify([
    {
      Name: "Drv",
      PathName: "\\SystemRoot\\System32\\drivers\\d.sys",
      StartMode: "Boot",
      State: "Running",
    },
  ]);
  const { entries } = await listServiceEntries({
    hives: [],
    roots: [],
    platform: "windows",
    runners: [recordedCommand(services), recordedCommand(drivers)],
  });
  deepStrictEqual(
    entries.map((entry) => [entry.kind, entry.name, entry.mode]),
    [["service", "Svc", "SERVICE_AUTO_START"], ["driver", "Drv", "SERVICE_BOOT_START"]],
  );
  ok(entries[1]!.path?.endsWith("\\System32\\drivers\\d.sys"));
});
