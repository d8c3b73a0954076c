/**
 * A process's `SectionList/MemorySection` records: its regions grouped as
 * Redline lists them, with the flags and, for mapped PE files, their PEInfo.
 *
 * How regions become sections:
 *
 * - **Windows**: one section per allocation (consecutive `VirtualQueryEx`
 *   regions that share an `AllocationBase`), which is what Redline's
 *   section list shows (one entry per VAD: a DLL is one section, not one
 *   per page protection). `Protection` is the allocation's protection
 *   (`AllocationProtect`); free memory is no section.
 * - **Linux**: consecutive mappings of one file (the same device and inode,
 *   address ranges that touch) are one section, as the loader maps one
 *   library in several pieces (`r--p`, `r-xp`, `r--p`, `rw-p`) and an
 *   analyst thinks of it as one module; `Protection` is the union of the
 *   pieces' permissions (a library's is `PAGE_EXECUTE_WRITECOPY`, as Windows
 *   shows an image's allocation) and `RawFlags` lists each piece's
 *   (`r--p,r-xp,rw-p`).
 *   Anonymous mappings stay one section each: each is its own allocation.
 *
 * `Injected` is true for a private (not file-backed) region that is
 * executable (code written into memory: shellcode, reflective DLLs, and
 * also JIT compilers' code), and for a mapping of a deleted file (code run
 * from a file that is gone: `memfd` payloads, a replaced library). The
 * kernel's own code pages (`[vdso]`, `[vsyscall]`) are never injected.
 *
 * @module
 */
import type { FieldValue, ObservedFields, Unevaluated } from "../../../contracts/observed_item.ts";
import { kernelCodeNames, linuxProtection } from "./linux_maps.ts";
import type { MemoryRegion } from "./memory_region.ts";
import type { PeInfoCache } from "./pe_info_cache.ts";
import { timedOut, withDeadline } from "./deadline.ts";
import { MemoryAccessError, memoryAccessError, type ProcessMemorySource } from "./source.ts";

/** `Name` of an anonymous region (no file, no kernel pseudo-name). */
export const anonymousSectionName = "[anon]";

/** The most sections kept per process; more are cut, and the cut is reported. */
export const defaultMaxSections = 65_536;

/** One `SectionList/MemorySection`, fields spelt as the MIR terms. */
export interface MemorySection {
  /** The mapped file's path, or `[heap]`, `[stack]`, `[anon]`… */
  readonly Name: string;
  /** Redline's spelling: `PAGE_EXECUTE_READWRITE`… */
  readonly Protection: string;
  readonly RegionStart: number | bigint;
  readonly RegionSize: number | bigint;
  /** `"true"` when backed by a file (an image or a mapped file), else `"false"` (typed string by MIR). */
  readonly Mapped: "true" | "false";
  readonly Injected: boolean;
  /** The platform's flags of each piece (`r-xp`; `State=… Protect=… Type=…`), comma-separated. */
  readonly RawFlags: string;
  /** The mapped PE file's PEInfo (absent for files that are not PE files, and private memory). */
  readonly PEInfo?: FieldValue;
}

/** Options of {@linkcode readMemorySections}. */
export interface MemorySectionOptions {
  readonly source: ProcessMemorySource;
  /** Parses mapped PE files (one parse per file per run); without it, no PEInfo is read. */
  readonly peInfo?: PeInfoCache;
  readonly maxSections?: number;
  /**
   * How long listing the regions may take (default {@linkcode defaultSectionsTimeoutMs}):
   * reading the maps of a process stuck in a page fault can block for ever.
   */
  readonly timeoutMs?: number;
}

/** Default time allowed to list a process's regions. */
export const defaultSectionsTimeoutMs = 5_000;

/** What {@linkcode readMemorySections} found. */
export type MemorySectionsResult =
  | {
    readonly ok: true;
    readonly sections: MemorySection[];
    /**
     * `SectionList/MemorySection/…` paths that could not be told on this
     * process, and why (a cut listing, a PE file that could not be read):
     * to merge into the process object's `unevaluated`.
     */
    readonly unevaluated: Unevaluated;
    /** Problems worth a warning (bad maps lines, damaged PE files). */
    readonly warnings: readonly string[];
  }
  | { readonly ok: false; readonly error: MemoryAccessError };

/**
 * Reads process `pid`'s memory sections. A process whose regions cannot be
 * listed (access denied, exited) is `ok: false` with the reason, never an
 * empty list.
 *
 * @example
 * ```ts ignore
 * import { linuxMemorySource, readMemorySections } from "./mod.ts";
 * const result = await readMemorySections(Deno.pid, { source: linuxMemorySource() });
 * if (result.ok) for (const section of result.sections) console.log(section.Name, section.Protection);
 * ```
 */
export async function readMemorySections(
  pid: number,
  options: MemorySectionOptions,
): Promise<MemorySectionsResult> {
  let listing;
  try {
    const listed = await withDeadline(
      options.source.regions(pid),
      options.timeoutMs ?? defaultSectionsTimeoutMs,
    );
    if (listed === timedOut) {
      return {
        ok: false,
        error: new MemoryAccessError(
          "error",
          `process ${pid}: listing its memory did not end in time`,
        ),
      };
    }
    listing = listed;
  } catch (error) {
    return { ok: false, error: memoryAccessError(`process ${pid}`, error) };
  }
  const unevaluated: { [path: string]: string } = {};
  const warnings = [...listing.problems ?? []];
  const max = options.maxSections ?? defaultMaxSections;
  let groups = groupRegions(listing.regions);
  if (groups.length > max) {
    groups = groups.slice(0, max);
    unevaluated["SectionList"] = `more than ${max} memory sections: the rest were not listed`;
    warnings.push(`process ${pid}: more than ${max} memory sections; the rest were not listed`);
  }
  if (listing.truncated !== undefined) {
    unevaluated["SectionList"] = `the region list was cut: ${listing.truncated}`;
    warnings.push(`process ${pid}: ${listing.truncated}`);
  }
  const sections: MemorySection[] = [];
  for (const group of groups) {
    const section = toSection(group);
    const first = group[0]!;
    if (options.peInfo !== undefined && first.fileKey !== undefined && first.kind !== "private") {
      const paths = first.openPaths ?? (first.name === undefined ? [] : [first.name]);
      const pe = await options.peInfo.peInfo(first.fileKey, paths);
      for (const warning of pe.warnings) {
        warnings.push(`${first.name ?? first.fileKey}: ${warning}`);
      }
      for (const [path, why] of Object.entries(pe.unevaluated ?? {})) {
        // The list holds many sections: one of them unknown leaves the term unknown on the
        // process unless another section matches (contracts/observed_item.ts).
        unevaluated[`SectionList/MemorySection/${path}`] ??= `${
          first.name ?? first.fileKey
        }: ${why}`;
      }
      sections.push(pe.info === undefined ? section : { ...section, PEInfo: pe.info });
    } else {
      sections.push(section);
    }
  }
  return { ok: true, sections, unevaluated, warnings };
}

/** The sections as `fields.SectionList` of a process object. */
export function sectionListField(sections: readonly MemorySection[]): ObservedFields[string] {
  return { MemorySection: sections as unknown as FieldValue[] };
}

/** Groups regions into sections (see the module's note). */
export function groupRegions(regions: readonly MemoryRegion[]): MemoryRegion[][] {
  const groups: MemoryRegion[][] = [];
  for (const region of regions) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (last !== undefined && previous !== undefined && sameSection(previous, region)) {
      last.push(region);
    } else {
      groups.push([region]);
    }
  }
  return groups;
}

function sameSection(previous: MemoryRegion, region: MemoryRegion): boolean {
  if (previous.allocation !== undefined || region.allocation !== undefined) {
    return previous.allocation?.base === region.allocation?.base;
  }
  return region.fileKey !== undefined && previous.fileKey === region.fileKey &&
    previous.start + previous.size === region.start;
}

function toSection(group: readonly MemoryRegion[]): MemorySection {
  const first = group[0]!;
  const last = group.at(-1)!;
  const size = last.start + last.size - first.start;
  const executable = group.some((region) => region.executable);
  const fileBacked = first.kind !== "private";
  const kernelCode = first.name !== undefined && kernelCodeNames.has(first.name);
  const injected = (!fileBacked && executable && !kernelCode) ||
    (fileBacked && group.some((region) => region.deleted));
  return {
    Name: first.name ?? anonymousSectionName,
    Protection: first.allocation?.protection ?? unionProtection(group),
    RegionStart: integerValue(first.start),
    RegionSize: integerValue(size),
    Mapped: fileBacked ? "true" : "false",
    Injected: injected,
    RawFlags: group.map((region) => region.rawFlags).join(","),
  };
}

/** The protection of the union of the pieces' `rwx` (Linux: see linux_maps.ts). */
function unionProtection(group: readonly MemoryRegion[]): string {
  if (group.length === 1) return group[0]!.protection;
  const letters = ["r", "w", "x"].map((letter, index) =>
    group.some((region) => region.rawFlags[index] === letter) ? letter : "-"
  ).join("");
  const shared = group.every((region) => region.rawFlags[3] === "s");
  return linuxProtection(letters, shared ? "s" : "p", group[0]!.kind !== "private");
}

function integerValue(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
