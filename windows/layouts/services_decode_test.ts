import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { enumServiceStatusProcess, queryServiceConfig } from "./services.ts";
import { decodeServiceConfig, decodeServiceStatusRows } from "./services_decode.ts";

/** A buffer of fixed-size records followed by their strings, the pointers set against `base`. */
function buffer(
  recordSize: number,
  records: { numbers: [number, number][]; strings: [number, string | null][] }[],
  base: bigint,
): Uint8Array {
  const strings: { record: number; at: number; text: string }[] = [];
  records.forEach((record, index) => {
    for (const [at, text] of record.strings) {
      if (text !== null) strings.push({ record: index, at, text });
    }
  });
  const stringBytes = strings.reduce((sum, s) => sum + (s.text.length + 1) * 2, 0);
  const bytes = new Uint8Array(records.length * recordSize + stringBytes);
  const view = new DataView(bytes.buffer);
  let cursor = records.length * recordSize;
  records.forEach((record, index) => {
    for (const [at, value] of record.numbers) view.setUint32(index * recordSize + at, value, true);
  });
  for (const s of strings) {
    view.setBigUint64(s.record * recordSize + s.at, base + BigInt(cursor), true);
    for (const char of s.text) {
      view.setUint16(cursor, char.charCodeAt(0), true);
      cursor += 2;
    }
    cursor += 2;
  }
  return bytes;
}

Deno.test("decodeServiceStatusRows: names, type, state and pid of each row", () => {
  const base = 0x7ff0_0000_0000n;
  const e = enumServiceStatusProcess;
  const bytes = buffer(e.size, [
    {
      numbers: [[e.serviceType, 0x20], [e.currentState, 4], [e.processId, 1234]],
      strings: [[e.serviceName, "Dnscache"], [e.displayName, "DNS Client"]],
    },
    {
      numbers: [[e.serviceType, 0x1], [e.currentState, 1]],
      strings: [[e.serviceName, "disk"], [e.displayName, null]],
    },
  ], base);
  deepStrictEqual(decodeServiceStatusRows(bytes, base, 2), [
    {
      name: "Dnscache",
      displayName: "DNS Client",
      serviceType: 0x20,
      currentState: 4,
      processId: 1234,
    },
    { name: "disk", serviceType: 1, currentState: 1, processId: 0 },
  ]);
  // A count past the buffer, and pointers outside it, read nothing more.
  strictEqual(decodeServiceStatusRows(bytes, base, 50).length, 2);
  deepStrictEqual(decodeServiceStatusRows(bytes, base + 0x1_0000n, 1)[0]?.name, undefined);
});

Deno.test("decodeServiceConfig: start type, command line, account and display name", () => {
  const base = 0x1000n;
  const q = queryServiceConfig;
  const bytes = buffer(q.size, [{
    numbers: [[q.serviceType, 0x10], [q.startType, 2]],
    strings: [[q.binaryPathName, '"C:\\a b\\s.exe" -x'], [q.serviceStartName, "LocalSystem"], [
      q.displayName,
      "S",
    ]],
  }], base);
  deepStrictEqual(decodeServiceConfig(bytes, base), {
    serviceType: 0x10,
    startType: 2,
    binaryPathName: '"C:\\a b\\s.exe" -x',
    serviceStartName: "LocalSystem",
    displayName: "S",
  });
  strictEqual(decodeServiceConfig(bytes.subarray(0, 10), base), undefined);
});

/** x64 natural alignment: each member at a multiple of its size; the size a multiple of the largest. */
function x64Offsets(members: readonly (readonly [string, "DWORD" | "LPWSTR"])[]) {
  const offsets: { [name: string]: number } = {};
  let at = 0;
  for (const [name, type] of members) {
    const size = type === "DWORD" ? 4 : 8;
    at = Math.ceil(at / size) * size;
    offsets[name] = at;
    at += size;
  }
  return { offsets, size: Math.ceil(at / 8) * 8 };
}

Deno.test("the layouts are the x64 layouts of the structures as learn.microsoft.com declares them", () => {
  // winsvc.h, ns-winsvc-query_service_configw.
  const config = x64Offsets([
    ["dwServiceType", "DWORD"],
    ["dwStartType", "DWORD"],
    ["dwErrorControl", "DWORD"],
    ["lpBinaryPathName", "LPWSTR"],
    ["lpLoadOrderGroup", "LPWSTR"],
    ["dwTagId", "DWORD"],
    ["lpDependencies", "LPWSTR"],
    ["lpServiceStartName", "LPWSTR"],
    ["lpDisplayName", "LPWSTR"],
  ]);
  deepStrictEqual(queryServiceConfig, {
    size: config.size,
    serviceType: config.offsets.dwServiceType,
    startType: config.offsets.dwStartType,
    errorControl: config.offsets.dwErrorControl,
    binaryPathName: config.offsets.lpBinaryPathName,
    loadOrderGroup: config.offsets.lpLoadOrderGroup,
    tagId: config.offsets.dwTagId,
    dependencies: config.offsets.lpDependencies,
    serviceStartName: config.offsets.lpServiceStartName,
    displayName: config.offsets.lpDisplayName,
  });
  // ns-winsvc-enum_service_status_processw: two LPWSTR, then SERVICE_STATUS_PROCESS
  // (ns-winsvc-service_status_process: nine DWORDs) inline.
  const status = x64Offsets([
    ["lpServiceName", "LPWSTR"],
    ["lpDisplayName", "LPWSTR"],
    ["dwServiceType", "DWORD"],
    ["dwCurrentState", "DWORD"],
    ["dwControlsAccepted", "DWORD"],
    ["dwWin32ExitCode", "DWORD"],
    ["dwServiceSpecificExitCode", "DWORD"],
    ["dwCheckPoint", "DWORD"],
    ["dwWaitHint", "DWORD"],
    ["dwProcessId", "DWORD"],
    ["dwServiceFlags", "DWORD"],
  ]);
  deepStrictEqual(enumServiceStatusProcess, {
    size: status.size,
    serviceName: status.offsets.lpServiceName,
    displayName: status.offsets.lpDisplayName,
    serviceType: status.offsets.dwServiceType,
    currentState: status.offsets.dwCurrentState,
    processId: status.offsets.dwProcessId,
    serviceFlags: status.offsets.dwServiceFlags,
  });
});
