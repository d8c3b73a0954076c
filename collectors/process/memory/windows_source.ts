/**
 * The Windows source of process memory, over kernel32 through FFI:
 * `OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ)`, a
 * `VirtualQueryEx` walk of the address space (decoded by
 * windows/layouts/memory.ts and windows_regions.ts), `K32GetMappedFileNameW`
 * for image and mapped views (drive paths through `QueryDosDeviceW`), and
 * `ReadProcessMemory`.
 *
 * **Not yet run on Windows**: this file is type-checked here, and what it
 * decodes is tested from bytes built with code (windows_regions_test.ts), but
 * the calls themselves have not run on a Windows host. Protected processes
 * and other users' processes (without SeDebugPrivilege) refuse
 * `OpenProcess`: a {@linkcode MemoryAccessError} with reason `unreadable`
 * naming the process and the Windows error. No WMI/CIM class exposes a
 * process's memory: there is no `Get-CimInstance` fallback, and where
 * kernel32 cannot be loaded each process's memory is a skip.
 *
 * @module
 */
import {
  decodeMemoryBasicInformation,
  MEM_PRIVATE,
  memoryBasicInformationSize,
} from "../../../windows/layouts/memory.ts";
import type { MemoryRegion } from "./memory_region.ts";
import {
  MemoryAccessError,
  type MemoryReader,
  type ProcessMemorySource,
  type RegionListing,
} from "./source.ts";
import { dosPathOf, windowsRegion } from "./windows_regions.ts";

/** `PROCESS_QUERY_INFORMATION`: needed by `VirtualQueryEx`. */
const processQueryInformation = 0x0400;
/** `PROCESS_VM_READ`: needed by `ReadProcessMemory`. */
const processVmRead = 0x0010;
/**
 * `OpenProcess` failures by Windows error: `ERROR_ACCESS_DENIED` (5: a
 * protected process, another user's without SeDebugPrivilege) and
 * `ERROR_INVALID_PARAMETER` (87: no such process); any other is `error`.
 */
const openProcessFailures: ReadonlyMap<number, "unreadable" | "not-found"> = new Map([
  [5, "unreadable"],
  [87, "not-found"],
]);
/** The highest user-mode address walked (x64: 128 TiB). */
const userSpaceEnd = 0x7fff_ffff_0000n;
/** The most regions walked per process (a hostile process can fragment its space). */
export const maxWindowsRegions = 1_000_000;
/** UTF-16 units of a mapped file's name. */
const maxNameUnits = 32_768;

const kernel32Symbols = {
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "pointer" },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  GetLastError: { parameters: [], result: "u32" },
  VirtualQueryEx: { parameters: ["pointer", "u64", "buffer", "usize"], result: "usize" },
  // On a thread of its own: a page of a file on a hung network share can block the copy.
  ReadProcessMemory: {
    parameters: ["pointer", "u64", "buffer", "usize", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  K32GetMappedFileNameW: { parameters: ["pointer", "u64", "buffer", "u32"], result: "u32" },
  QueryDosDeviceW: { parameters: ["buffer", "buffer", "u32"], result: "u32" },
} as const;

type Kernel32 = Deno.DynamicLibrary<typeof kernel32Symbols>["symbols"];

/** The Windows {@linkcode ProcessMemorySource} (kernel32 over FFI; see the module's note). */
export function windowsMemorySource(): ProcessMemorySource {
  let library: Deno.DynamicLibrary<typeof kernel32Symbols> | undefined;
  let devices: Map<string, string> | undefined;
  const kernel32 = (): Kernel32 => {
    library ??= Deno.dlopen("kernel32.dll", kernel32Symbols);
    return library.symbols;
  };
  const open = (pid: number): Deno.PointerValue => {
    const k = kernel32();
    const handle = k.OpenProcess(processQueryInformation | processVmRead, 0, pid);
    if (handle === null) {
      const code = k.GetLastError();
      throw new MemoryAccessError(
        openProcessFailures.get(code) ?? "error",
        `OpenProcess(${pid}) failed: Windows error ${code}`,
      );
    }
    return handle;
  };
  return {
    // deno-lint-ignore require-await
    async regions(pid: number): Promise<RegionListing> {
      const k = kernel32();
      devices ??= driveDevices(k);
      const handle = open(pid);
      try {
        const regions: MemoryRegion[] = [];
        const info = new Uint8Array(memoryBasicInformationSize);
        const name = new Uint16Array(maxNameUnits);
        let address = 0n;
        while (address < userSpaceEnd) {
          if (regions.length >= maxWindowsRegions) {
            return { regions, truncated: `more than ${maxWindowsRegions} regions` };
          }
          const written = k.VirtualQueryEx(handle, address, info, BigInt(info.byteLength));
          if (Number(written) < memoryBasicInformationSize) break;
          const decoded = decodeMemoryBasicInformation(info)!;
          if (decoded.regionSize === 0n) break;
          let fileName: string | undefined;
          if (decoded.type !== 0 && decoded.type !== MEM_PRIVATE) {
            const units = k.K32GetMappedFileNameW(handle, decoded.baseAddress, name, maxNameUnits);
            if (units > 0) {
              fileName = dosPathOf(String.fromCharCode(...name.subarray(0, units)), devices);
            }
          }
          const region = windowsRegion(decoded, fileName);
          if (region !== undefined) regions.push(region);
          address = decoded.baseAddress + decoded.regionSize;
        }
        return { regions };
      } finally {
        k.CloseHandle(handle);
      }
    },
    // deno-lint-ignore require-await
    async open(pid: number): Promise<MemoryReader> {
      const k = kernel32();
      const handle = open(pid);
      return {
        async read(address: bigint, buffer: Uint8Array): Promise<number> {
          // One count per read: an abandoned read may still write its own.
          const count = new BigUint64Array(1);
          const ok = await k.ReadProcessMemory(
            handle,
            address,
            buffer,
            BigInt(buffer.byteLength),
            count,
          );
          // ERROR_PARTIAL_COPY leaves the count of what was read.
          if (ok === 0 && count[0] === 0n) {
            throw new MemoryAccessError(
              "unreadable",
              // GetLastError is of the thread the call ran on, not this one: no code here.
              `ReadProcessMemory(${pid}, 0x${address.toString(16)}) copied nothing`,
            );
          }
          return Number(count[0]);
        },
        close() {
          k.CloseHandle(handle);
        },
      };
    },
  };
}

/** `C:` → `\Device\HarddiskVolume3`, for each lettered drive. */
function driveDevices(k: Kernel32): Map<string, string> {
  const devices = new Map<string, string>();
  const target = new Uint16Array(1024);
  for (const letter of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
    const drive = new Uint16Array([letter.charCodeAt(0), 0x3a, 0]);
    const units = k.QueryDosDeviceW(drive, target, target.length);
    if (units === 0) continue;
    const end = target.indexOf(0);
    devices.set(`${letter}:`, String.fromCharCode(...target.subarray(0, end < 0 ? units : end)));
  }
  return devices;
}
