/**
 * The byte layout of `MEMORY_BASIC_INFORMATION` (what `VirtualQueryEx` fills
 * for one region of a process's address space, 64-bit Windows) and the
 * constants of its `State`, `Type` and `Protect` fields, with the pure
 * decoder from bytes to a record and the Redline spelling of a protection.
 *
 * One definition of each offset: the FFI source
 * (`collectors/process/memory/windows_source.ts`) and the recorded-bytes tests
 * both read them from here. Layout per winnt.h (`_MEMORY_BASIC_INFORMATION64`,
 * which is the native struct of a 64-bit process):
 *
 * | offset | size | field             |
 * | ------ | ---- | ----------------- |
 * | 0      | 8    | BaseAddress       |
 * | 8      | 8    | AllocationBase    |
 * | 16     | 4    | AllocationProtect |
 * | 20     | 2    | PartitionId       |
 * | 24     | 8    | RegionSize        |
 * | 32     | 4    | State             |
 * | 36     | 4    | Protect           |
 * | 40     | 4    | Type              |
 * | 44     | 4    | (alignment)       |
 *
 * @example
 * ```ts
 * import { decodeMemoryBasicInformation, memoryBasicInformationSize } from "./memory.ts";
 * const bytes = new Uint8Array(memoryBasicInformationSize);
 * const region = decodeMemoryBasicInformation(bytes);
 * console.log(region?.state); // 0
 * ```
 *
 * @module
 */

/** Offsets of the fields of `MEMORY_BASIC_INFORMATION` (64-bit). */
export const memoryBasicInformationOffsets = {
  baseAddress: 0,
  allocationBase: 8,
  allocationProtect: 16,
  partitionId: 20,
  regionSize: 24,
  state: 32,
  protect: 36,
  type: 40,
} as const;

/** `sizeof(MEMORY_BASIC_INFORMATION)` on 64-bit Windows. */
export const memoryBasicInformationSize = 48;

/** `State`: the region's pages are committed (backed by memory or the page file). */
export const MEM_COMMIT = 0x1000;
/** `State`: reserved, not committed. */
export const MEM_RESERVE = 0x2000;
/** `State`: free (not part of any allocation). */
export const MEM_FREE = 0x10000;

/** `Type`: private memory (`VirtualAlloc`, heaps, stacks): not backed by a file. */
export const MEM_PRIVATE = 0x20000;
/** `Type`: a view of a section that is not an image (a mapped data file, shared memory). */
export const MEM_MAPPED = 0x40000;
/** `Type`: a view of an image section (an EXE or DLL loaded by the loader). */
export const MEM_IMAGE = 0x1000000;

/** The base page protections (the low byte of `Protect`), by value, as winnt.h names them. */
export const pageProtectionNames: ReadonlyMap<number, string> = new Map([
  [0x01, "PAGE_NOACCESS"],
  [0x02, "PAGE_READONLY"],
  [0x04, "PAGE_READWRITE"],
  [0x08, "PAGE_WRITECOPY"],
  [0x10, "PAGE_EXECUTE"],
  [0x20, "PAGE_EXECUTE_READ"],
  [0x40, "PAGE_EXECUTE_READWRITE"],
  [0x80, "PAGE_EXECUTE_WRITECOPY"],
]);

/** The protection modifiers (above the low byte of `Protect`), as winnt.h names them. */
export const pageProtectionModifiers: ReadonlyMap<number, string> = new Map([
  [0x100, "PAGE_GUARD"],
  [0x200, "PAGE_NOCACHE"],
  [0x400, "PAGE_WRITECOMBINE"],
]);

/** The base protections that allow execution. */
export const executablePageProtections: ReadonlySet<number> = new Set([0x10, 0x20, 0x40, 0x80]);
/** The base protections that allow reading. */
export const readablePageProtections: ReadonlySet<number> = new Set([
  0x02,
  0x04,
  0x08,
  0x20,
  0x40,
  0x80,
]);

/** The mask of the base protection in a `Protect` value. */
export const basePageProtectionMask = 0xff;

/** One region as `VirtualQueryEx` describes it. Addresses and sizes are bigints (64-bit). */
export interface MemoryBasicInformation {
  readonly baseAddress: bigint;
  readonly allocationBase: bigint;
  readonly allocationProtect: number;
  readonly regionSize: bigint;
  readonly state: number;
  readonly protect: number;
  readonly type: number;
}

/**
 * Decodes one `MEMORY_BASIC_INFORMATION` (little-endian, 64-bit layout) at
 * `offset`; undefined when fewer than {@linkcode memoryBasicInformationSize}
 * bytes are there.
 */
export function decodeMemoryBasicInformation(
  bytes: Uint8Array,
  offset = 0,
): MemoryBasicInformation | undefined {
  if (offset < 0 || bytes.byteLength - offset < memoryBasicInformationSize) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, memoryBasicInformationSize);
  const at = memoryBasicInformationOffsets;
  return {
    baseAddress: view.getBigUint64(at.baseAddress, true),
    allocationBase: view.getBigUint64(at.allocationBase, true),
    allocationProtect: view.getUint32(at.allocationProtect, true),
    regionSize: view.getBigUint64(at.regionSize, true),
    state: view.getUint32(at.state, true),
    protect: view.getUint32(at.protect, true),
    type: view.getUint32(at.type, true),
  };
}

/**
 * A `Protect` value as Redline writes it: the base protection's name, then
 * its modifiers joined by `|` (`PAGE_EXECUTE_READWRITE`,
 * `PAGE_READWRITE|PAGE_GUARD`); `0` (no access to the caller, as for
 * reserved pages) is the empty string; an unknown base is its hex value.
 *
 * @example
 * ```ts
 * import { pageProtectionName } from "./memory.ts";
 * pageProtectionName(0x104); // "PAGE_READWRITE|PAGE_GUARD"
 * ```
 */
export function pageProtectionName(protect: number): string {
  if (protect === 0) return "";
  const base = protect & basePageProtectionMask;
  const parts = [pageProtectionNames.get(base) ?? `0x${base.toString(16)}`];
  for (const [bit, name] of pageProtectionModifiers) if ((protect & bit) !== 0) parts.push(name);
  return parts.join("|");
}
