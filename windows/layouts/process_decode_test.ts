import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  decodeSystemHandles,
  decodeSystemProcesses,
  fileTimeToIso,
  readUnicodeString,
} from "./process_decode.ts";
import {
  encodeSystemHandles,
  encodeSystemProcesses,
  encodeUnicodeStringBlock,
  fileTimeOf,
} from "./_process_encode.ts";
import { systemProcessInformation } from "./process.ts";

const base = 0x0000_01a2_3450_0000n;

Deno.test("decodeSystemProcesses reads each record of the chain field by field", () => {
  const bytes = encodeSystemProcesses([
    { pid: 0, parentPid: 0, imageName: "" },
    { pid: 4, parentPid: 0, imageName: "System", handleCount: 3000 },
    {
      pid: 4242,
      parentPid: 1000,
      imageName: "powershell.exe",
      createTime: "2026-12-07T03:04:05.678Z",
      userTicks: 12_500_000n,
      kernelTicks: 5_000_000n,
      handleCount: 612,
      sessionId: 1,
    },
  ], base);
  const { records, damaged } = decodeSystemProcesses(bytes, base);
  strictEqual(damaged, undefined);
  deepStrictEqual(records.map((record) => record.pid), [0, 4, 4242]);
  deepStrictEqual(records[0]!.imageName, "");
  strictEqual(records[0]!.createTime, undefined);
  deepStrictEqual(records[2], {
    pid: 4242,
    parentPid: 1000,
    imageName: "powershell.exe",
    createTime: "2026-12-07T03:04:05.678Z",
    userSeconds: 1.25,
    kernelSeconds: 0.5,
    handleCount: 612,
    sessionId: 1,
  });
});

Deno.test("decodeSystemProcesses stops at a record past the buffer, saying so", () => {
  const bytes = encodeSystemProcesses([
    { pid: 8, parentPid: 4, imageName: "a.exe" },
    { pid: 9, parentPid: 4, imageName: "b.exe" },
  ], base);
  const cut = bytes.subarray(0, bytes.byteLength - 40);
  const { records, damaged } = decodeSystemProcesses(cut, base);
  deepStrictEqual(records.map((record) => record.pid), [8]);
  ok(damaged?.includes("runs past"), damaged);
  // A pointer outside the buffer is no string, not a read elsewhere.
  const moved = decodeSystemProcesses(bytes, base + 0x10_0000n).records;
  deepStrictEqual(moved.map((record) => record.imageName), ["", ""]);
  ok(systemProcessInformation.size === 0x100);
});

Deno.test("decodeSystemHandles reads entries and says when the count exceeds the buffer", () => {
  const handles = [
    { pid: 4242, handleValue: 0x1a4n, grantedAccess: 0x1f0001, objectTypeIndex: 17 },
    { pid: 4242, handleValue: 0x1a8n, grantedAccess: 0x12019f, objectTypeIndex: 37 },
  ];
  deepStrictEqual(decodeSystemHandles(encodeSystemHandles(handles)), { entries: handles });
  const claimed = decodeSystemHandles(encodeSystemHandles(handles, 5));
  deepStrictEqual(claimed.entries, handles);
  strictEqual(claimed.damaged, "the buffer holds 2 of 5 handles");
});

Deno.test("readUnicodeString reads OBJECT_NAME_INFORMATION's name (a mutant's full name)", () => {
  const name = "\\Sessions\\1\\BaseNamedObjects\\evil_mtx";
  strictEqual(readUnicodeString(encodeUnicodeStringBlock(name, base), 0, base), name);
  strictEqual(readUnicodeString(encodeUnicodeStringBlock("", base), 0, base), "");
});

Deno.test("fileTimeToIso turns a FILETIME into ISO 8601 UTC, and 0 into nothing", () => {
  strictEqual(fileTimeToIso(fileTimeOf("2020-01-02T03:04:05.006Z")), "2020-01-02T03:04:05.006Z");
  strictEqual(fileTimeToIso(116_444_736_000_000_000n), "1970-01-01T00:00:00.000Z");
  strictEqual(fileTimeToIso(0n), undefined);
});
