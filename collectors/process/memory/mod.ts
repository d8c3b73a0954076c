/**
 * Process memory: a process's **memory sections** (`SectionList/MemorySection`)
 * and the **IOC strings in its memory** (`StringList/string`), as a library
 * the process collector calls per process. docs/process-memory.md is the
 * user-facing account.
 *
 * What is read:
 *
 * - Sections: Linux `/proc/<pid>/maps` (capped at {@linkcode maxMapsBytes});
 *   Windows a `VirtualQueryEx` walk (windows_source.ts, not yet run on
 *   Windows). One section per Windows allocation / per Linux file mapping run
 *   (memory_sections.ts says why), with `Name`, `Protection` (Redline's
 *   `PAGE_…` names; Linux permissions mapped as linux_maps.ts tabulates),
 *   `RegionStart`, `RegionSize`, `Mapped`, `Injected` (private executable
 *   memory, or a deleted file's mapping), `RawFlags`, and for mapped PE
 *   files their `PEInfo`, parsed once per distinct file per run
 *   ({@linkcode PeInfoCache}).
 * - Strings: the `contains`/`is` items of `ProcessItem/StringList/string`
 *   ({@linkcode stringListPatterns}), in ASCII/UTF-8 and UTF-16LE, searched
 *   through Linux `/proc/<pid>/mem` or `ReadProcessMemory`, region by region
 *   in chunks that overlap by the longest pattern, with the engine's
 *   Aho–Corasick automaton ({@linkcode searchProcessMemory}).
 *
 * Limits: per process, a byte budget (default 256 MiB) and a time budget
 * (default 10 s); both are reported (`bytesRead`, `elapsedMs`) and a search
 * cut by either says so (`truncatedBy: "size" | "time"`). Regions that could
 * not be read are counted (`regionsSkipped`, `bytesSkipped`).
 *
 * What a result means for a verdict: a process's `StringList` holds only the
 * strings around the IOC strings found (not every string of the process). A
 * pattern found is a fact. A pattern not found is a fact only when the
 * search was complete: when `truncatedBy` is set, or unreadable bytes were
 * skipped, or some item had a condition a search cannot answer, the
 * collector sets `unevaluated["StringList"]`, so an item on it is unknown
 * (the IOC undecided, the scan incomplete) unless a string found matches it.
 * A process whose memory cannot be opened or listed gives `ok: false` with
 * a {@linkcode MemoryAccessError} (`unreadable` for access denied): a skip
 * naming the process, never an empty list.
 *
 * The process collector needs one thing: a {@linkcode ProcessMemory} made
 * once per run from the loaded IOCs (`ScanEvidence.documents`), whose
 * `load(pid, object, ["SectionList", "StringList"])` gives a process's
 * fields, `unevaluated` entries, skips and warnings.
 *
 * @example
 * ```ts ignore
 * import { ProcessMemory } from "./mod.ts";
 * const memory = new ProcessMemory({ collector: "process", documents });
 * const load = await memory.load(4242, "pid 4242 implant", ["SectionList", "StringList"]);
 * ```
 *
 * @example The parts, one by one
 * ```ts ignore
 * import {
 *   compilePatterns,
 *   linuxMemorySource,
 *   readMemorySections,
 *   searchProcessMemory,
 * } from "./mod.ts";
 * const source = linuxMemorySource();
 * const sections = await readMemorySections(4242, { source });
 * const { compiled } = compilePatterns([{ text: "evil", caseSensitive: false, condition: "contains" }]);
 * const search = await searchProcessMemory(4242, compiled, {}, source);
 * ```
 *
 * @module
 */
export type { MemoryRegion, RegionKind } from "./memory_region.ts";
export {
  MemoryAccessError,
  type MemoryReader,
  type ProcessMemorySource,
  type RegionListing,
} from "./source.ts";
export { linuxMemorySource, maxMapsBytes } from "./linux_source.ts";
export { windowsMemorySource } from "./windows_source.ts";
export { linuxProtectionNames, parseLinuxMaps } from "./linux_maps.ts";
export {
  anonymousSectionName,
  type MemorySection,
  type MemorySectionOptions,
  type MemorySectionsResult,
  readMemorySections,
  sectionListField,
} from "./memory_sections.ts";
export { type MappedPeInfo, PeInfoCache } from "./pe_info_cache.ts";
export {
  type CompiledPatterns,
  compilePatterns,
  maxPatternLength,
  type MemoryEncoding,
  type MemoryPattern,
} from "./byte_patterns.ts";
export {
  defaultMaxSearchBytes,
  defaultMaxSearchMs,
  type FoundPattern,
  type MemorySearchLimits,
  type MemorySearchReport,
  type MemorySearchResult,
  searchProcessMemory,
} from "./memory_search.ts";
export {
  processStringListTerm,
  type StringListPatterns,
  stringListPatterns,
} from "./string_list_patterns.ts";
export {
  memorySectionFields,
  memorySectionTerm,
  processMemoryNotProducedTerms,
  processMemoryTerms,
  usesSectionPeInfo,
} from "./memory_terms.ts";
export { stringListField, type StringListOutcome } from "./string_list_field.ts";
export {
  ProcessMemory,
  processMemoryFieldNames,
  type ProcessMemoryLoad,
  type ProcessMemoryOptions,
  type ProcessMemoryStats,
} from "./process_memory.ts";
