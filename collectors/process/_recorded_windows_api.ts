/**
 * A recorded Windows process API for tests: the answers of the calls of
 * windows_api.ts for a small host (the idle process, System, a PowerShell
 * holding a mutant, a file, an event, a key and a thread handle, a protected
 * lsass), the list and handle table as bytes built by code.
 *
 * @module
 */
import {
  encodeSystemHandles,
  encodeSystemProcesses,
} from "../../windows/layouts/_process_encode.ts";
import type { ApiResult, HandleQuery, WindowsProcessApi } from "./windows_api.ts";

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

/** The recorded API; `asked` lists the handles whose names were asked. */
export function recordedApi(): WindowsProcessApi & { asked: string[] } {
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
    privileges: (pid) =>
      pid === 4242
        ? ["SeChangeNotifyPrivilege"]
        : pid === 4
        ? ["SeDebugPrivilege", "SeTcbPrivilege"]
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
