import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { recordedCommand } from "../live/mod.ts";
import { windowsDriverSource } from "./windows_source.ts";

const env = new Map([["SYSTEMROOT", "C:\\Windows"]]);

Deno.test("windowsDriverSource: Win32_SystemDriver rows, running ones loaded", async () => {
  const recorded = JSON.stringify([
    { Name: "disk", PathName: "C:\\Windows\\system32\\drivers\\disk.sys", State: "Running" },
    { Name: "old", PathName: "\\SystemRoot\\System32\\drivers\\old.sys", State: "Stopped" },
    { PathName: "nameless" },
  ]);
  const read = await windowsDriverSource(recordedCommand(recorded), env, null).read();
  deepStrictEqual(
    read.records.map((record) => [record.name, record.path, record.loaded]),
    [
      ["disk", "C:\\Windows\\system32\\drivers\\disk.sys", true],
      ["old", "C:\\Windows\\System32\\drivers\\old.sys", false],
    ],
  );
});

Deno.test("windowsDriverSource: a failed CIM call leaves DriverItem and ModuleItem unread", async () => {
  const read = await windowsDriverSource(recordedCommand("", 1), env, null).read();
  strictEqual(read.records.length, 0);
  deepStrictEqual(read.skips[0]?.unreadDocuments, ["DriverItem", "ModuleItem"]);
});

Deno.test("windowsDriverSource: the SCM's kernel drivers first, running ones loaded", async () => {
  const api = () => ({
    services: () => [
      { name: "disk", serviceType: 0x1, currentState: 4, processId: 0 },
      { name: "old", serviceType: 0x2, currentState: 1, processId: 0 },
      { name: "Svc", serviceType: 0x10, currentState: 4, processId: 7 },
    ],
    config: () => ({ serviceType: 0x1, startType: 0 }),
    serviceValue: () => undefined,
    close() {},
  });
  const read = await windowsDriverSource(recordedCommand("[]"), env, api).read();
  deepStrictEqual(
    read.records.map((record) => [record.name, record.path, record.loaded]),
    [
      ["disk", "C:\\Windows\\System32\\drivers\\disk.sys", true],
      ["old", "C:\\Windows\\System32\\drivers\\old.sys", false],
    ],
  );
});
