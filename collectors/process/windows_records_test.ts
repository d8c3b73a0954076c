import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { recordedApi } from "./_recorded_windows_api.ts";
import { windowsRecords } from "./windows_records.ts";
import type { ProcessRecord, ProcessSourceEvent } from "./process_record.ts";

async function readAll(api = recordedApi(), handles = true, privileges = false) {
  const records = new Map<number, ProcessRecord>();
  const others: ProcessSourceEvent[] = [];
  for await (
    const event of windowsRecords(
      api,
      { user: true, handles, privileges },
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

Deno.test("windowsRecords: a handle whose type or name query fails leaves the names unknown, never a shorter list", async () => {
  const api = recordedApi();
  const open = api.openHandles.bind(api);
  api.openHandles = (pid) => {
    const query = open(pid);
    if ("error" in query) return query;
    return {
      ...query,
      // The key's type cannot be told; the mutant's name query is refused.
      typeName: (value) =>
        value === 0x20n ? { error: "NTSTATUS 0xc0000008", denied: false } : query.typeName(value),
      objectName: (value, ms) =>
        value === 0x10n
          ? Promise.resolve({ error: "NTSTATUS 0xc0000022", denied: true })
          : query.objectName(value, ms),
    };
  };
  const { records } = await readAll(api);
  const record = records.get(4242)!;
  deepStrictEqual(record.handles?.map((handle) => handle.Type), ["File"]);
  const why = record.unevaluated?.["HandleList/Handle/Name"] ?? "";
  ok(why.includes("1 handle name(s) could not be read"), why);
  ok(why.includes("1 handle type(s) could not be read"), why);
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
  strictEqual(skip && "skip" in skip && skip.listing, true);
});

Deno.test("windowsRecords: a handle table that cannot be read or was cut leaves every HandleList unknown", async () => {
  const failing = recordedApi();
  failing.systemHandles = () => ({ error: "needs more than 33554432 bytes", denied: false });
  const failed = await readAll(failing);
  ok(failed.records.get(4242)?.unevaluated?.HandleList?.includes("33554432"));
  deepStrictEqual(failed.records.get(4242)?.handles, []);
  ok(failed.others.some((event) => "skip" in event && event.object.startsWith("handle-table:")));

  const cut = recordedApi();
  const whole = cut.systemHandles() as Uint8Array;
  // The count says 7 handles; the buffer holds 3: the rest of the table is unknown.
  cut.systemHandles = () => whole.subarray(0, 0x10 + 3 * 0x28);
  const { records } = await readAll(cut);
  ok(records.get(4242)?.unevaluated?.HandleList?.includes("3 of 7"));
  // What the cut table still holds is listed: a value it carries still matches.
  deepStrictEqual(records.get(4242)?.handles?.map((handle) => handle.Type), ["Mutant", "File"]);
  ok(records.get(700)?.unevaluated?.HandleList);
});

Deno.test("windowsRecords gives a token's enabled privileges, when asked; a refused token leaves them unknown", async () => {
  const { records, others } = await readAll(recordedApi(), false, true);
  deepStrictEqual(records.get(4242)?.enabledPrivileges, ["SeChangeNotifyPrivilege"]);
  deepStrictEqual(records.get(4)?.enabledPrivileges, ["SeDebugPrivilege", "SeTcbPrivilege"]);
  // The idle process has no token.
  strictEqual(records.get(0)?.enabledPrivileges, undefined);
  strictEqual(records.get(700)?.enabledPrivileges, undefined);
  ok(records.get(700)?.unevaluated?.EnabledPrivilege?.startsWith("privileges: "));
  ok(others.some((event) => "skip" in event && event.detail.includes("privileges")));
  // Not asked: not read.
  strictEqual((await readAll()).records.get(4242)?.enabledPrivileges, undefined);
});
