import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { recordedCommand } from "../live/mod.ts";
import { windowsServiceSource } from "./windows_source.ts";

const env = new Map([["SYSTEMROOT", "C:\\Windows"]]);

/** What the CIM command prints (PowerShell 5.1: a byte order mark first), recorded by hand. */
const recorded = "\uFEFF" + JSON.stringify([
  {
    Name: "Dnscache",
    DisplayName: "DNS Client",
    Description: "Caches DNS names",
    StartMode: "Auto",
    StartName: "NT AUTHORITY\\NetworkService",
    PathName: "C:\\Windows\\system32\\svchost.exe -k NetworkService -p",
    ProcessId: 1234,
    State: "Running",
    ServiceType: "Share Process",
    ServiceDll: "C:\\Windows\\System32\\dnsrslvr.dll",
    FailureCommand: null,
  },
  {
    Name: "Updater",
    DisplayName: "Updater",
    Description: null,
    StartMode: "Manual",
    StartName: "LocalSystem",
    PathName: "C:\\Program Files\\Up Date\\up.exe --svc",
    ProcessId: 0,
    State: "Stopped",
    ServiceType: "Own Process",
    ServiceDll: null,
    FailureCommand: "cmd.exe /c C:\\evil.bat",
  },
  { DisplayName: "no name" },
]);

Deno.test("windowsServiceSource: Win32_Service rows with their key's ServiceDll and FailureCommand", async () => {
  const read = await windowsServiceSource(recordedCommand(recorded), env).read();
  strictEqual(read.entries.length, 2);
  strictEqual(read.warnings.length, 1);
  const [dns, updater] = read.entries;
  deepStrictEqual(
    [dns!.path, dns!.arguments, dns!.mode, dns!.status, dns!.type, dns!.pid, dns!.serviceDll],
    [
      "C:\\Windows\\system32\\svchost.exe",
      "-k NetworkService -p",
      "SERVICE_AUTO_START",
      "SERVICE_RUNNING",
      "SERVICE_WIN32_SHARE_PROCESS",
      1234,
      "C:\\Windows\\System32\\dnsrslvr.dll",
    ],
  );
  strictEqual(dns!.sourceKey, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache");
  deepStrictEqual(
    [updater!.path, updater!.arguments, updater!.pid, updater!.status, updater!.failureCommand],
    [
      "C:\\Program Files\\Up Date\\up.exe",
      "--svc",
      undefined,
      "SERVICE_STOPPED",
      "cmd.exe /c C:\\evil.bat",
    ],
  );
});

Deno.test("windowsServiceSource: a failed or garbled CIM call leaves ServiceItem unread", async () => {
  for (const runner of [recordedCommand("", 1, "WMI broken"), recordedCommand("not json")]) {
    const read = await windowsServiceSource(runner, env).read();
    strictEqual(read.entries.length, 0);
    deepStrictEqual(read.skips[0]?.unreadDocuments, ["ServiceItem"]);
  }
});
