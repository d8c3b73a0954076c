/**
 * Test helper: the Windows quarantine platform over a recorded API
 * (`_recorded_windows_api.ts`) and a recorded Service Control Manager (two
 * boot drivers, a system-start one, a demand-start one), with waits that
 * return at once, and a `Deno.FileInfo` as `lstat` gives it on Windows.
 *
 * @module
 */
import type { ScmApi } from "../../collectors/service/mod.ts";
import { type RecordedHost, recordedWindowsApi } from "./_recorded_windows_api.ts";
import { type WindowsQuarantinePlatform, windowsQuarantinePlatform } from "./windows_platform.ts";

/** The environment of the recorded host. */
export const recordedEnv: ReadonlyMap<string, string> = new Map([
  ["SYSTEMROOT", "C:\\Windows"],
  ["WINDIR", "C:\\Windows"],
]);

/** Drivers of the recorded SCM: name, `Start`, `ImagePath` (undefined: the default path). */
export const recordedDrivers: readonly [string, number, string | undefined][] = [
  ["disk", 0, "System32\\drivers\\disk.sys"],
  ["EvilBoot", 0, "\\??\\C:\\ProgramData\\evilboot.sys"],
  ["Tcpip", 1, "\\SystemRoot\\System32\\drivers\\tcpip.sys"],
  ["usbprint", 3, undefined],
];

/** A recorded SCM listing {@linkcode recordedDrivers}; `error` makes the list fail. */
export function recordedScm(error?: string): ScmApi {
  return {
    services: () =>
      error !== undefined ? { error } : recordedDrivers.map(([name]) => ({
        name,
        serviceType: 0x1,
        currentState: 4,
        processId: 0,
      })),
    config(name) {
      const driver = recordedDrivers.find(([candidate]) => candidate === name);
      if (driver === undefined) return { error: "no such driver" };
      return {
        serviceType: 0x1,
        startType: driver[1],
        ...(driver[2] !== undefined ? { binaryPathName: driver[2] } : {}),
      };
    },
    serviceValue: () => undefined,
    close() {},
  };
}

/** A `Deno.FileInfo` of a regular file with the given file index (`ino`). */
export function windowsFileInfo(ino: number | null, size = 4096): Deno.FileInfo {
  return {
    isFile: true,
    isDirectory: false,
    isSymlink: false,
    size,
    mtime: null,
    atime: null,
    birthtime: null,
    ctime: null,
    dev: 0x1234_abcd,
    ino,
    mode: null,
    nlink: 1,
    uid: null,
    gid: null,
    rdev: null,
    blksize: null,
    blocks: null,
    isBlockDevice: null,
    isCharDevice: null,
    isFifo: null,
    isSocket: null,
  };
}

/** The platform over `host`, the API's record of calls, and the SCM given. */
export function recordedPlatform(
  host: RecordedHost,
  scm: (() => ScmApi) | null = () => recordedScm(),
): { platform: WindowsQuarantinePlatform; api: ReturnType<typeof recordedWindowsApi> } {
  const api = recordedWindowsApi(host);
  const platform = windowsQuarantinePlatform({
    api: () => {
      if (host.apiMissing) throw new Error("Deno.dlopen: kernel32.dll not found");
      return api;
    },
    scm,
    env: recordedEnv,
    sleep: () => Promise.resolve(),
  });
  return { platform, api };
}
