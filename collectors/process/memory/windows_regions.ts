/**
 * Windows regions from `VirtualQueryEx` answers (`MEMORY_BASIC_INFORMATION`,
 * windows/layouts/memory.ts) and `GetMappedFileNameW` names: pure functions,
 * tested with bytes built by code.
 *
 * @module
 */
import {
  basePageProtectionMask,
  executablePageProtections,
  MEM_COMMIT,
  MEM_FREE,
  MEM_IMAGE,
  MEM_MAPPED,
  type MemoryBasicInformation,
  pageProtectionName,
  readablePageProtections,
} from "../../../windows/layouts/memory.ts";
import type { MemoryRegion, RegionKind } from "./memory_region.ts";

/** `PAGE_GUARD`: a guard page raises an exception when touched; never read. */
const pageGuard = 0x100;

/**
 * The region of one `VirtualQueryEx` answer, or undefined for free memory.
 * `fileName` is the mapped file's name (`GetMappedFileNameW`, already turned
 * into a drive path by {@linkcode dosPathOf}) for image and mapped views.
 */
export function windowsRegion(
  info: MemoryBasicInformation,
  fileName?: string,
): MemoryRegion | undefined {
  if (info.state === MEM_FREE) return undefined;
  const kind: RegionKind = info.type === MEM_IMAGE
    ? "image"
    : info.type === MEM_MAPPED
    ? "mapped"
    : "private";
  const base = info.protect & basePageProtectionMask;
  const committed = info.state === MEM_COMMIT;
  const named = kind !== "private" && fileName !== undefined && fileName !== "";
  return {
    start: info.baseAddress,
    size: info.regionSize,
    protection: pageProtectionName(info.protect),
    readable: committed && readablePageProtections.has(base) && (info.protect & pageGuard) === 0,
    executable: committed && executablePageProtections.has(base),
    rawFlags: `State=0x${hex(info.state)} Protect=0x${hex(info.protect)} Type=0x${hex(info.type)}`,
    kind,
    ...(named ? { name: fileName, fileKey: fileName.toLowerCase() } : {}),
    deleted: false,
    allocation: {
      base: info.allocationBase,
      protection: pageProtectionName(info.allocationProtect),
    },
  };
}

/**
 * A `\Device\HarddiskVolumeN\…` name as a drive path (`C:\…`), given the
 * devices of the drive letters (`QueryDosDeviceW`: `C:` →
 * `\Device\HarddiskVolume3`); names on no lettered volume stay as they are.
 *
 * @example
 * ```ts
 * import { dosPathOf } from "./windows_regions.ts";
 * dosPathOf("\\Device\\HarddiskVolume3\\Windows\\System32\\ntdll.dll", new Map([["C:", "\\Device\\HarddiskVolume3"]]));
 * // "C:\\Windows\\System32\\ntdll.dll"
 * ```
 */
export function dosPathOf(name: string, devices: ReadonlyMap<string, string>): string {
  for (const [drive, device] of devices) {
    const prefix = `${device}\\`;
    if (
      name.length > prefix.length &&
      name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()
    ) {
      return `${drive}\\${name.slice(prefix.length)}`;
    }
  }
  return name;
}

function hex(value: number): string {
  return value.toString(16);
}
