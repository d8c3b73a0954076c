/**
 * The one entry the process collector calls: per process, the `SectionList`
 * and `StringList` fields it asks for, with their `unevaluated` entries, the
 * skip records of what could not be read, and warnings. Built once per run
 * from the loaded IOCs (the strings to search) and the platform (the source).
 *
 * @module
 */
import * as fs from "node:fs";
import type { ObservedFields, Unevaluated } from "../../../contracts/observed_item.ts";
import type { IocDocument } from "../../../openioc/model.ts";
import type { CollectorWarning, SkippedObject } from "../../collector.ts";
import { type FileOpener, nodeFileOpener, type NodeFsSubset } from "../../hashing/mod.ts";
import { type CompiledPatterns, compilePatterns } from "./byte_patterns.ts";
import { linuxMemorySource } from "./linux_source.ts";
import { readMemorySections, sectionListField } from "./memory_sections.ts";
import { type MemorySearchLimits, searchProcessMemory } from "./memory_search.ts";
import { PeInfoCache } from "./pe_info_cache.ts";
import type { ProcessMemorySource } from "./source.ts";
import { stringListField } from "./string_list_field.ts";
import { stringListPatterns } from "./string_list_patterns.ts";
import { usesSectionPeInfo } from "./memory_terms.ts";
import { windowsMemorySource } from "./windows_source.ts";

/** The top-level `ProcessItem` fields this library fills. */
export const processMemoryFieldNames: readonly string[] = ["SectionList", "StringList"];

/** How a run's {@linkcode ProcessMemory} is made. */
export interface ProcessMemoryOptions {
  /** The collector's name, for skips and warnings. */
  readonly collector: string;
  /** The loaded IOCs: their `StringList/string` items are the strings searched. */
  readonly documents: readonly IocDocument[];
  /** `Deno.build.os` (default: this machine's). */
  readonly platform?: string;
  /** The memory source (default: the platform's). */
  readonly source?: ProcessMemorySource;
  /** How mapped files are opened for their PEInfo (default: the hashing wing's opener). */
  readonly opener?: FileOpener;
  readonly limits?: MemorySearchLimits;
}

/** What one process's memory gave. */
export interface ProcessMemoryLoad {
  readonly fields: ObservedFields;
  readonly unevaluated?: Unevaluated;
  readonly skipped: readonly SkippedObject[];
  readonly warnings: readonly CollectorWarning[];
}

/** The run's figures, for the collector's `stats`. */
export interface ProcessMemoryStats {
  processesSearched: number;
  bytesRead: number;
  /** Searches stopped by a limit. */
  searchesCut: number;
  processesUnreadable: number;
  /** Distinct mapped files parsed for PEInfo. */
  peFiles: number;
}

/** A run's access to process memory (see the module's note). */
export class ProcessMemory {
  readonly #collector: string;
  readonly #source: ProcessMemorySource | undefined;
  /** Parses mapped PE files; undefined when no IOC reads a section's PEInfo. */
  readonly #peInfo: PeInfoCache | undefined;
  readonly #patterns: CompiledPatterns;
  /** Items on StringList a search cannot answer (other conditions, refused patterns). */
  readonly #unanswerable: number;
  readonly #limits: MemorySearchLimits;
  readonly #platform: string;
  readonly stats: ProcessMemoryStats = {
    processesSearched: 0,
    bytesRead: 0,
    searchesCut: 0,
    processesUnreadable: 0,
    peFiles: 0,
  };

  constructor(options: ProcessMemoryOptions) {
    this.#collector = options.collector;
    this.#platform = options.platform ?? Deno.build.os;
    this.#source = options.source ?? platformSource(this.#platform);
    this.#peInfo = usesSectionPeInfo(options.documents)
      ? new PeInfoCache(
        options.opener ??
          nodeFileOpener(fs as unknown as NodeFsSubset, this.#platform === "windows"),
      )
      : undefined;
    const { patterns, unanswerable } = stringListPatterns(options.documents);
    const { compiled, refused } = compilePatterns(patterns);
    this.#patterns = compiled;
    this.#unanswerable = unanswerable.length + refused.length;
    this.#limits = options.limits ?? {};
  }

  /** The strings searched (distinct patterns), for a start-up message. */
  get patternCount(): number {
    return this.#patterns.patterns.length;
  }

  /** Whether this library fills the top-level field `name` (`SectionList`, `StringList`). */
  provides(name: string): boolean {
    return processMemoryFieldNames.some((field) => field.toLowerCase() === name.toLowerCase());
  }

  /**
   * The fields among `names` (`SectionList`, `StringList`) of process `pid`,
   * which skips and warnings call `object` (`pid 4242 powershell.exe`).
   */
  async load(pid: number, object: string, names: readonly string[]): Promise<ProcessMemoryLoad> {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    const fields: ObservedFields = {};
    const unevaluated: { [path: string]: string } = {};
    const skipped: SkippedObject[] = [];
    const warnings: CollectorWarning[] = [];
    const warn = (code: string, message: string) =>
      warnings.push({ collector: this.#collector, code, message: `${object}: ${message}` });
    const source = this.#source;
    if (source === undefined) {
      const why = `process memory is not read on ${this.#platform}`;
      for (const name of processMemoryFieldNames) {
        if (wanted.has(name.toLowerCase())) unevaluated[name] = why;
      }
      return { fields, unevaluated, skipped, warnings };
    }
    if (wanted.has("sectionlist")) {
      const result = await readMemorySections(pid, {
        source,
        ...(this.#peInfo === undefined ? {} : { peInfo: this.#peInfo }),
      });
      this.stats.peFiles = this.#peInfo?.files ?? 0;
      if (result.ok) {
        fields["SectionList"] = sectionListField(result.sections);
        Object.assign(unevaluated, result.unevaluated);
        for (const warning of result.warnings) warn("memory-sections", warning);
      } else {
        // The memory cannot be listed: it cannot be searched either. One skip says so.
        const why = `memory not read: ${result.error.message}`;
        unevaluated["SectionList"] = why;
        if (wanted.has("stringlist")) unevaluated["StringList"] = why;
        skipped.push({
          collector: this.#collector,
          object: `${object} (memory)`,
          reason: result.error.reason,
          detail: result.error.message,
        });
        return { fields, unevaluated, skipped, warnings };
      }
    }
    if (wanted.has("stringlist")) {
      const result = await searchProcessMemory(pid, this.#patterns, this.#limits, source);
      const outcome = stringListField(result, {
        collector: this.#collector,
        object,
        unanswerable: this.#unanswerable,
      });
      Object.assign(fields, outcome.fields);
      Object.assign(unevaluated, outcome.unevaluated);
      if (outcome.skipped !== undefined) skipped.push(outcome.skipped);
      if (result.ok) {
        this.stats.processesSearched++;
        this.stats.bytesRead += result.bytesRead;
        if (result.truncatedBy !== undefined) {
          this.stats.searchesCut++;
          warn(
            "memory-search-cut",
            `the memory search stopped at its ${result.truncatedBy} limit after ${result.bytesRead} bytes and ${result.elapsedMs} ms`,
          );
        }
      } else {
        this.stats.processesUnreadable++;
      }
    }
    return Object.keys(unevaluated).length === 0
      ? { fields, skipped, warnings }
      : { fields, unevaluated, skipped, warnings };
  }
}

/** The platform's source, or undefined where none exists (macOS). */
function platformSource(platform: string): ProcessMemorySource | undefined {
  if (platform === "linux") return linuxMemorySource();
  if (platform === "windows") return windowsMemorySource();
  return undefined;
}
