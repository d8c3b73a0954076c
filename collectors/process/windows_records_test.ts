import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  encodeSystemHandles,
  encodeSystemProcesses,
} from "../../windows/layouts/_process_encode.ts";
import type { ApiResult, HandleQuery, WindowsProcessApi } from "./windows_api.ts";
import { windowsRecords } from "./windows_records.ts";
import type { ProcessRecord, ProcessSourceEvent } from "./process_record.ts";

const base = 0x7ff0_0000_0000n;
const denied = { error: "OpenProcess(700) failed with Win32 error 5", denied: true };

/** Object types by handle value, and names (or "timeout") by handle value. */
const types: Record<string, string> = {
  "0x10": "Mutant",
  "0x14": "File",
  "0x18": "Event",
  "0x1c": "File",
  "0x20": "Key",
  "0x24": "Thread",
};
const names: Record<string, string | "timeout"> = {
  "0x10": "\\Sessions\\1\\BaseNamedObjects\\evil_mtx",
  "0x14": "\\Device\\HarddiskVolume3\\Users\\alice\\evil.dat",
  "0x18": "timeout",
  "0x20": "\\REGISTRY\\MACHINE\\SOFTWARE\\Evil",
  "0x24": "never asked: a thread has no name worth listing",
};

function recordedApi(): WindowsProcessApi & { asked: string[] } {
  const asked: string[] = [];
  const hex = (value: bigint) => `0x${value.toString(16)}`;
  return {
    asked,
    systemProcesses: () => ({
      bytes: encodeSystemProcesses([
        { pid: 0, parentPid: 0, imageName: "" },
        { pid: 4, parentPid: 0, imageName: "System" },
        {
          pid: 4242,
          parentPid: 1000,
          imageName: "powershell.exe",
          createTime: "2026-12-07T01:02:03.000Z",
          userTicks: 30_000_000n,
          kernelTicks: 10_000_000n,
        },
        {
          pid: 700,
          parentPid: 600,
          imageName: "lsass.exe",
          createTime: "2026-12-07T00:00:01.000Z",
        },
      ], base),
      base,
    }),
    imagePath: (pid) =>
      pid === 4242 ? "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" : denied,
    commandLine: (pid) => pid === 4242 ? "powershell.exe -nop -enc SQBFAFgA" : denied,
    user: (pid) =>
      pid === 4242
        ? { username: "CORP\\alice", sid: "S-1-5-21-1-2-3-1001" }
        : pid === 4
        ? { username: "NT AUTHORITY\\SYSTEM", sid: "S-1-5-18" }
        : denied,
    systemHandles: () =>
      encodeSystemHandles([
        { pid: 4242, handleValue: 0x10n, grantedAccess: 0x1f0001, objectTypeIndex: 17 },
        { pid: 4242, handleValue: 0x14n, grantedAccess: 0x120089, objectTypeIndex: 37 },
        { pid: 4242, handleValue: 0x18n, grantedAccess: 0x1f0003, objectTypeIndex: 16 },
        { pid: 4242, handleValue: 0x1cn, grantedAccess: 0x12019f, objectTypeIndex: 37 },
        { pid: 4242, handleValue: 0x20n, grantedAccess: 0x20019, objectTypeIndex: 44 },
        { pid: 4242, handleValue: 0x24n, grantedAccess: 0x1fffff, objectTypeIndex: 8 },
        { pid: 700, handleValue: 0x10n, grantedAccess: 0x1f0001, objectTypeIndex: 17 },
      ]),
    openHandles(pid): ApiResult<HandleQuery> {
      if (pid !== 4242) return denied;
      return {
        typeName: (value) => types[hex(value)] ?? "Unknown",
        objectName(value) {
          asked.push(hex(value));
          const name = names[hex(value)];
          return Promise.resolve(name ?? { error: "no name", denied: false });
        },
        close() {},
      };
    },
    close() {},
  };
}

async function readAll(api = recordedApi(), handles = true) {
  const records = new Map<number, ProcessRecord>();
  const others: ProcessSourceEvent[] = [];
  for await (
    const event of windowsRecords(
      api,
      { user: true, handles },
      { maxProcesses: 100, maxHandles: 100, nameTimeoutMs: 1000 },
      () => new Date("2026-12-07T03:00:00.000Z"),
    )
  ) {
    if ("skip" in event || "warning" in event) others.push(event);
    else records.set(event.pid, event);
  }
  return { records, others };
}

Deno.test("windowsRecords builds a process from the recorded API outputs, field by field", async () => {
  const { records } = await readAll();
  deepStrictEqual(records.get(4242), {
    pid: 4242,
    parentPid: 1000,
    name: "powershell.exe",
    imagePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    imageOpenPath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    commandLine: "powershell.exe -nop -enc SQBFAFgA",
    username: "CORP\\alice",
    securityId: "S-1-5-21-1-2-3-1001",
    startTime: "2026-12-07T01:02:03.000Z",
    kernelSeconds: 1,
    userSeconds: 3,
    handles: [
      { Name: "\\Sessions\\1\\BaseNamedObjects\\evil_mtx", Type: "Mutant" },
      { Name: "\\Device\\HarddiskVolume3\\Users\\alice\\evil.dat", Type: "File" },
      { Name: "\\REGISTRY\\MACHINE\\SOFTWARE\\Evil", Type: "Key" },
    ],
    observedAt: "2026-12-07T03:00:00.000Z",
    unevaluated: {
      "HandleList/Handle/Name": "1 handle name(s) not told within 1000 ms; " +
        "1 file handle(s) whose name query may block were not asked",
    },
  });
});

Deno.test("windowsRecords never asks the name of a file handle whose query may block", async () => {
  const api = recordedApi();
  await readAll(api);
  deepStrictEqual(api.asked, ["0x10", "0x14", "0x18", "0x20"]);
});

Deno.test("windowsRecords: a protected process is a skip naming it, its fields unevaluated", async () => {
  const { records, others } = await readAll();
  const lsass = records.get(700);
  strictEqual(lsass?.name, "lsass.exe");
  strictEqual(lsass?.startTime, "2026-12-07T00:00:01.000Z");
  ok(lsass?.unevaluated?.path?.includes("Win32 error 5"));
  ok(lsass?.unevaluated?.arguments);
  ok(lsass?.unevaluated?.Username);
  ok(lsass?.unevaluated?.HandleList);
  const skip = others.find((event) => "skip" in event && event.object === "pid 700 lsass.exe");
  ok(skip && "skip" in skip && skip.reason === "unreadable", JSON.stringify(others));
});

Deno.test("windowsRecords: the idle process and System have no image, and are not skipped", async () => {
  const { records, others } = await readAll(recordedApi(), false);
  strictEqual(records.get(0)?.name, "System Idle Process");
  strictEqual(records.get(4)?.name, "System");
  strictEqual(records.get(4)?.kernelThread, true);
  strictEqual(records.get(4)?.unevaluated, undefined);
  strictEqual(records.get(4)?.startTime, undefined);
  ok(!others.some((event) => "skip" in event && /pid [04] /.test(event.object)));
});

Deno.test("windowsRecords: a failed process list is a skip of the source", async () => {
  const api = recordedApi();
  api.systemProcesses = () => ({ error: "NTSTATUS 0xc0000022", denied: true });
  const { records, others } = await readAll(api);
  strictEqual(records.size, 0);
  const [skip] = others;
  ok(skip && "skip" in skip && skip.object === "process-list:NtQuerySystemInformation");
});
