import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { recordedCommand } from "../live/mod.ts";
import { cimProcessSource } from "./cim_source.ts";
import type { ProcessRecord, ProcessSourceEvent } from "./process_record.ts";

/** As `ConvertTo-Json -Compress` writes it (PowerShell 5.1). */
const recorded = JSON.stringify([
  {
    ProcessId: 0,
    ParentProcessId: 0,
    Name: "System Idle Process",
    ExecutablePath: null,
    CommandLine: null,
    KernelModeTime: 0,
    UserModeTime: 0,
    CreationDate: null,
  },
  {
    ProcessId: 4242,
    ParentProcessId: 1000,
    Name: "powershell.exe",
    ExecutablePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    CommandLine: "powershell.exe -enc SQBFAFgA",
    KernelModeTime: 15_000_000,
    UserModeTime: 5_000_000,
    CreationDate: "2026-12-07T01:02:03.0000000Z",
  },
  {
    ProcessId: 700,
    ParentProcessId: 600,
    Name: "lsass.exe",
    ExecutablePath: null,
    CommandLine: null,
    KernelModeTime: 0,
    UserModeTime: 0,
    CreationDate: "2026-12-07T00:00:01.5000000Z",
  },
]);

async function readAll(output: string, code = 0) {
  const source = cimProcessSource(
    recordedCommand(output, code, code ? "Get-CimInstance : Invalid class" : ""),
    () => new Date("2026-12-07T03:00:00.000Z"),
  );
  const events: ProcessSourceEvent[] = [];
  for await (const event of source.processes({ user: true, handles: true })) events.push(event);
  return events;
}

Deno.test("cimProcessSource reads Win32_Process JSON; owners and handles are unevaluated", async () => {
  const events = await readAll(recorded);
  const byPid = new Map(
    events.filter((event): event is ProcessRecord => "pid" in event).map((r) => [r.pid, r]),
  );
  const notInCim = "Get-CimInstance Win32_Process (the fallback source) does not give it";
  deepStrictEqual(byPid.get(4242), {
    pid: 4242,
    parentPid: 1000,
    name: "powershell.exe",
    imagePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    imageOpenPath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    commandLine: "powershell.exe -enc SQBFAFgA",
    startTime: "2026-12-07T01:02:03.000Z",
    kernelSeconds: 1.5,
    userSeconds: 0.5,
    observedAt: "2026-12-07T03:00:00.000Z",
    unevaluated: { Username: notInCim, SecurityID: notInCim, HandleList: notInCim },
  });
  ok(byPid.get(700)?.unevaluated?.path?.includes("ExecutablePath"));
  ok(byPid.get(700)?.unevaluated?.arguments?.includes("CommandLine"));
  strictEqual(byPid.get(0)?.kernelThread, true);
  strictEqual(byPid.get(0)?.unevaluated?.path, undefined);
});

Deno.test("cimProcessSource: a failing or garbled call is a skip of the source", async () => {
  const failed = await readAll("", 1);
  strictEqual(failed.length, 1);
  ok("skip" in failed[0]! && failed[0].object === "process-list:Win32_Process");
  strictEqual("skip" in failed[0]! && failed[0].listing, true);
  const garbled = await readAll("{not json");
  ok("skip" in garbled[0]! && garbled[0].detail.includes("JSON"));
  strictEqual("skip" in garbled[0]! && garbled[0].listing, true);
});
