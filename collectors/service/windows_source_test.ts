import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { recordedCommand } from "../live/mod.ts";
import { windowsServiceSource } from "./windows_source.ts";
import type { ScmApi } from "./scm_api.ts";

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
  const read = await windowsServiceSource(recordedCommand(recorded), env, null).read();
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
    const read = await windowsServiceSource(runner, env, null).read();
    strictEqual(read.entries.length, 0);
    deepStrictEqual(read.skips[0]?.unreadDocuments, ["ServiceItem"]);
  }
});

/** An SCM that lists a running shared service and a driver, and fails one configuration. */
function recordedScm(): ScmApi {
  return {
    services: () => [
      { name: "Netsvc", displayName: "Net", serviceType: 0x20, currentState: 4, processId: 900 },
      { name: "Broken", serviceType: 0x10, currentState: 1, processId: 0 },
      { name: "disk", serviceType: 0x1, currentState: 4, processId: 0 },
    ],
    config: (name) =>
      name === "Broken" ? { error: "access denied" } : {
        serviceType: 0x20,
        startType: 2,
        binaryPathName: "%SystemRoot%\\system32\\svchost.exe -k netsvcs",
        serviceStartName: "LocalSystem",
      },
    serviceValue: (name, subkey, value) =>
      name === "Netsvc" && subkey === "Parameters" && value === "ServiceDll"
        ? "C:\\Windows\\System32\\netsvc.dll"
        : undefined,
    close() {},
  };
}

Deno.test("windowsServiceSource: the SCM first, each service with its configuration and key values", async () => {
  const read = await windowsServiceSource(recordedCommand("[]"), env, recordedScm).read();
  deepStrictEqual(read.entries.map((entry) => entry.name), ["Netsvc", "Broken"]);
  const [net, broken] = read.entries;
  deepStrictEqual(
    [net!.path, net!.arguments, net!.mode, net!.status, net!.pid, net!.serviceDll, net!.type],
    [
      "C:\\Windows\\system32\\svchost.exe",
      "-k netsvcs",
      "SERVICE_AUTO_START",
      "SERVICE_RUNNING",
      900,
      "C:\\Windows\\System32\\netsvc.dll",
      "SERVICE_WIN32_SHARE_PROCESS",
    ],
  );
  strictEqual(broken!.notKnown?.["path"], "its configuration could not be read: access denied");
  strictEqual(read.warnings[0]?.code, "service-config");
});

Deno.test("windowsServiceSource: an SCM that cannot be opened falls back on CIM, with a warning", async () => {
  const read = await windowsServiceSource(
    recordedCommand(JSON.stringify([{ Name: "Svc" }])),
    env,
    () => {
      throw new Error("dlopen refused");
    },
  ).read();
  deepStrictEqual(read.entries.map((entry) => entry.name), ["Svc"]);
  strictEqual(read.warnings[0]?.code, "service-source-fallback");
});

Deno.test("windowsServiceSource: live, an unquoted command line with spaces runs C:\\Program.exe when that file exists", async () => {
  const planted = new Set(["C:\\Program.exe"]);
  const locate = (path: string) => planted.has(path) ? path : undefined;
  const read = await windowsServiceSource(recordedCommand(recorded), env, null, locate).read();
  const updater = read.entries.find((entry) => entry.name === "Updater")!;
  deepStrictEqual(
    [updater.path, updater.arguments, updater.pathOpen],
    ["C:\\Program.exe", "Files\\Up Date\\up.exe --svc", "C:\\Program.exe"],
  );
  strictEqual(
    read.warnings.filter((warning) => warning.code === "service-unquoted-image").length,
    1,
  );
  // A quoted or space-free line is left as configured.
  strictEqual(
    read.entries.find((entry) => entry.name === "Dnscache")!.path,
    "C:\\Windows\\system32\\svchost.exe",
  );
});

Deno.test("windowsServiceSource: a service key value the registry would not give is unknown, not absent", async () => {
  const denied = (): ScmApi => ({
    ...recordedScm(),
    serviceValue: (name, subkey, value) =>
      name === "Netsvc" && subkey === "Parameters" && value === "ServiceDll"
        ? { error: "RegGetValueW failed with Win32 error 5" }
        : undefined,
  });
  const read = await windowsServiceSource(recordedCommand("[]"), env, denied).read();
  const net = read.entries.find((entry) => entry.name === "Netsvc")!;
  strictEqual(net.serviceDll, undefined);
  strictEqual(
    net.notKnown?.["serviceDLL"],
    "Parameters\\ServiceDll could not be read: RegGetValueW failed with Win32 error 5",
  );
  // A value that is simply absent stays absent.
  strictEqual(net.notKnown?.["failureCommand"], undefined);
  // The broken service keeps its own unknowns.
  const broken = read.entries.find((entry) => entry.name === "Broken")!;
  strictEqual(broken.notKnown?.["path"], "its configuration could not be read: access denied");
});

Deno.test("windowsServiceSource: a Win32_Service row without PathName has its image unknown, not absent", async () => {
  const row = JSON.stringify([{ Name: "Hidden", StartMode: "Auto", PathName: null }]);
  const read = await windowsServiceSource(recordedCommand(row), env, null).read();
  const hidden = read.entries[0]!;
  strictEqual(hidden.path, undefined);
  strictEqual(hidden.notKnown?.["path"], "Win32_Service gave no PathName (access denied?)");
  strictEqual(hidden.notKnown?.["arguments"], "Win32_Service gave no PathName (access denied?)");
});
