/**
 * Searching a process's memory for the `StringList/string` items, region by
 * region, a chunk at a time, within a byte and a time budget.
 *
 * What the search gives is the **strings of the process that hold an IOC
 * string**, not every string of the process: for each occurrence found, the
 * string around it (the run of text characters up to a delimiter: a control
 * character or NUL, a region's edge, or `context` bytes, where the cut is
 * marked `…`). So `contains "evil"` holds on `xx-evil-xx`, and `is "evil"`
 * holds only where `evil` stands alone, as in Redline's string list. Listing
 * every string of a process (hundreds of megabytes of text for a browser)
 * would be neither storable nor useful; only the IOC's strings can match.
 *
 * Regions are searched writable and private memory first (heaps, stacks,
 * data), then read-only file mappings (libraries' code and constants), so
 * that a budget cut leaves the least likely places unread. A chunk overlaps
 * the previous one by the longest pattern plus the context, so a string
 * across a chunk boundary is found. Regions the source cannot read (a guard
 * page, a file mapping past the file's end) are skipped and counted.
 *
 * @module
 */
import {
  type CompiledPatterns,
  decode,
  foldBytes,
  type MemoryEncoding,
  sameText,
} from "./byte_patterns.ts";
import { timedOut, withDeadline } from "./deadline.ts";
import type { MemoryRegion } from "./memory_region.ts";
import {
  MemoryAccessError,
  memoryAccessError,
  type MemoryReader,
  type ProcessMemorySource,
} from "./source.ts";

/** The limits of one process's search. */
export interface MemorySearchLimits {
  /** The most bytes read from the process (default {@linkcode defaultMaxSearchBytes}). */
  readonly maxBytes?: number;
  /** The most milliseconds spent (default {@linkcode defaultMaxSearchMs}). */
  readonly maxMs?: number;
  /** Bytes read at a time (default {@linkcode defaultSearchChunkBytes}; tests use tiny ones). */
  readonly chunkBytes?: number;
  /** Bytes of string kept around a hit on each side (default {@linkcode defaultContextBytes}). */
  readonly contextBytes?: number;
  /** The most distinct strings kept per pattern (default {@linkcode defaultStringsPerPattern}). */
  readonly stringsPerPattern?: number;
  readonly signal?: AbortSignal;
  /** The clock (milliseconds), for tests. */
  readonly now?: () => number;
}

/** Default byte budget per process: 256 MiB. */
export const defaultMaxSearchBytes = 256 * 1024 * 1024;
/** Default time budget per process: 10 s. */
export const defaultMaxSearchMs = 10_000;
/** Default chunk: 1 MiB. */
export const defaultSearchChunkBytes = 1024 * 1024;
/** Default context around a hit: 256 bytes each side. */
export const defaultContextBytes = 256;
/** Default distinct strings kept per pattern. */
export const defaultStringsPerPattern = 8;

/** The mark of a string cut at the context limit. */
export const cutMark = "…";

/** What was found of one pattern. */
export interface FoundPattern {
  /** The pattern as given. */
  readonly text: string;
  readonly caseSensitive: boolean;
  /** The encodings it was found in. */
  readonly encodings: readonly MemoryEncoding[];
  /** Whether it was found as a whole string (what `is` asks). */
  readonly whole: boolean;
  /** The strings around its occurrences (at most `stringsPerPattern`). */
  readonly strings: readonly string[];
}

/** What a search read and found. */
export interface MemorySearchReport {
  readonly ok: true;
  /** The patterns found, in the order compiled. */
  readonly found: readonly FoundPattern[];
  /** Every distinct string of `found`: the process's `StringList/string` values. */
  readonly strings: readonly string[];
  readonly bytesRead: number;
  readonly regionsSearched: number;
  /** Readable regions (or parts) the source could not read. */
  readonly regionsSkipped: number;
  readonly bytesSkipped: number;
  /** Regions never read by rule (devices, `[vvar]`), with no error. */
  readonly regionsExcluded: number;
  readonly elapsedMs: number;
  /** Why the search stopped before the end, if it did: then a pattern not found is unknown. */
  readonly truncatedBy?: "size" | "time" | "aborted";
  /** Why the region list itself was incomplete (its text over its cap), if it was. */
  readonly regionsTruncated?: string;
}

/** The result of {@linkcode searchProcessMemory}. */
export type MemorySearchResult = MemorySearchReport | {
  readonly ok: false;
  readonly error: MemoryAccessError;
};

/**
 * Searches process `pid`'s readable memory for `patterns`
 * ({@linkcode compilePatterns}). A process that cannot be listed or opened
 * (access denied, exited) is `ok: false` with the reason, never an empty
 * result.
 *
 * @example
 * ```ts ignore
 * import { compilePatterns, linuxMemorySource, searchProcessMemory } from "./mod.ts";
 * const { compiled } = compilePatterns([{ text: "evil.example", caseSensitive: false, condition: "contains" }]);
 * const result = await searchProcessMemory(4242, compiled, { maxBytes: 64 << 20 }, linuxMemorySource());
 * if (result.ok && result.truncatedBy === undefined) console.log(result.strings);
 * ```
 */
export async function searchProcessMemory(
  pid: number,
  patterns: CompiledPatterns,
  limits: MemorySearchLimits,
  source: ProcessMemorySource,
): Promise<MemorySearchResult> {
  const now = limits.now ?? (() => performance.now());
  const started = now();
  let listing;
  let reader: MemoryReader;
  const search = new Search(patterns, limits, started, now);
  try {
    const listed = await withDeadline(source.regions(pid), limits.maxMs ?? defaultMaxSearchMs);
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
    // A kernel thread (or a zombie) has no user memory: an empty map, and a `mem` that
    // cannot be opened (ESRCH). Nothing to read is a complete search, not a failure.
    if (listing.regions.length === 0) return search.report(now() - started, listing.truncated);
    reader = await source.open(pid);
  } catch (error) {
    return { ok: false, error: memoryAccessError(`process ${pid}`, error) };
  }
  try {
    await search.run(reader, searchOrder(listing.regions));
  } finally {
    reader.close();
  }
  return search.report(now() - started, listing.truncated);
}

/** Writable or private regions first, then the rest; each group in address order. */
function searchOrder(regions: readonly MemoryRegion[]): MemoryRegion[] {
  // Writable protections are the ones whose Redline name says WRITE (READWRITE, WRITECOPY).
  const first = (region: MemoryRegion) =>
    region.kind === "private" || region.protection.includes("WRITE");
  return [...regions.filter(first), ...regions.filter((region) => !first(region))];
}

interface Hits {
  encodings: Set<MemoryEncoding>;
  whole: boolean;
  strings: Set<string>;
}

class Search {
  readonly #patterns: CompiledPatterns;
  readonly #maxBytes: number;
  readonly #maxMs: number;
  readonly #chunk: number;
  readonly #context: number;
  readonly #perPattern: number;
  readonly #signal: AbortSignal | undefined;
  readonly #started: number;
  readonly #now: () => number;
  readonly #hits = new Map<number, Hits>();
  #bytesRead = 0;
  #regionsSearched = 0;
  #regionsSkipped = 0;
  #bytesSkipped = 0;
  #regionsExcluded = 0;
  #truncatedBy: "size" | "time" | "aborted" | undefined;
  #scratch: Uint8Array;
  #foldScratch: Uint8Array;

  constructor(
    patterns: CompiledPatterns,
    limits: MemorySearchLimits,
    started: number,
    now: () => number,
  ) {
    this.#patterns = patterns;
    this.#maxBytes = limits.maxBytes ?? defaultMaxSearchBytes;
    this.#maxMs = limits.maxMs ?? defaultMaxSearchMs;
    this.#context = limits.contextBytes ?? defaultContextBytes;
    // A chunk must hold more than its overlap, or the search would not move.
    this.#chunk = Math.max(
      limits.chunkBytes ?? defaultSearchChunkBytes,
      patterns.longestBytes + 2 * this.#context + 1,
    );
    this.#perPattern = limits.stringsPerPattern ?? defaultStringsPerPattern;
    this.#signal = limits.signal;
    this.#started = started;
    this.#now = now;
    this.#scratch = new Uint8Array(this.#chunk + patterns.longestBytes + 2 * this.#context);
    this.#foldScratch = new Uint8Array(this.#scratch.byteLength);
  }

  async run(reader: MemoryReader, regions: readonly MemoryRegion[]): Promise<void> {
    if (this.#patterns.forms.length === 0) return;
    for (const region of regions) {
      if (!region.readable) continue;
      if (region.unsearchable !== undefined) {
        this.#regionsExcluded++;
        continue;
      }
      if (this.#stop()) return;
      this.#regionsSearched++;
      await this.#region(reader, region);
      if (this.#truncatedBy !== undefined) return;
    }
  }

  /** Whether a limit is reached (and which, recorded). */
  #stop(): boolean {
    if (this.#truncatedBy !== undefined) return true;
    if (this.#signal?.aborted) this.#truncatedBy = "aborted";
    else if (this.#bytesRead >= this.#maxBytes) this.#truncatedBy = "size";
    else if (this.#now() - this.#started >= this.#maxMs) this.#truncatedBy = "time";
    return this.#truncatedBy !== undefined;
  }

  async #region(reader: MemoryReader, region: MemoryRegion): Promise<void> {
    const regionEnd = region.start + region.size;
    const lookAround = BigInt(this.#patterns.longestBytes + this.#context);
    // Hits ending at or before `owned` have been looked at.
    let owned = region.start;
    // Bytes before `counted` have been counted in bytesRead (the look-ahead is read twice).
    let counted = region.start;
    while (owned < regionEnd) {
      if (this.#stop()) return;
      const bufferStart = owned - lookAround > region.start ? owned - lookAround : region.start;
      const wanted = Math.min(
        Number(regionEnd - bufferStart),
        Number(owned - bufferStart) + this.#chunk,
        Number(owned - bufferStart) + Math.max(1, this.#maxBytes - this.#bytesRead),
      );
      const buffer = this.#scratch.byteLength >= wanted
        ? new Uint8Array(this.#scratch.buffer, 0, wanted)
        : new Uint8Array(wanted);
      const read = await this.#read(reader, bufferStart, buffer);
      if (read === undefined) return;
      if (read <= Number(owned - bufferStart)) {
        // Nothing past what was read before: the rest of the region cannot be read.
        this.#regionsSkipped++;
        this.#bytesSkipped += Number(regionEnd - owned);
        return;
      }
      const bufferEnd = bufferStart + BigInt(read);
      if (bufferEnd > counted) {
        this.#bytesRead += Number(bufferEnd - counted);
        counted = bufferEnd;
      }
      // The end of what was read is an edge when the region or the readable part ends there.
      const atEdge = bufferEnd >= regionEnd || read < wanted;
      const ownUpTo = atEdge ? bufferEnd : bufferEnd - BigInt(this.#context);
      const data = buffer.subarray(0, read);
      this.#scan(data, bufferStart, owned, ownUpTo > owned ? ownUpTo : bufferEnd, {
        startIsEdge: bufferStart === region.start,
        endIsEdge: atEdge,
      });
      owned = ownUpTo > owned ? ownUpTo : bufferEnd;
      if (read < wanted && owned < regionEnd) {
        this.#regionsSkipped++;
        this.#bytesSkipped += Number(regionEnd - owned);
        return;
      }
    }
  }

  /**
   * One read, bounded by what is left of the time budget: a read can block
   * for ever (a page of a file on a hung network or FUSE mount). A read past
   * the deadline is abandoned (it may still write into its buffer: the
   * scratch buffers are replaced) and the search stops, cut by time. A read
   * that fails is 0 bytes.
   */
  async #read(
    reader: MemoryReader,
    address: bigint,
    buffer: Uint8Array,
  ): Promise<number | undefined> {
    const left = this.#maxMs - (this.#now() - this.#started);
    const read = await withDeadline(reader.read(address, buffer).catch(() => 0), left);
    if (read !== timedOut) return read;
    this.#truncatedBy = "time";
    this.#scratch = new Uint8Array(this.#scratch.byteLength);
    this.#foldScratch = new Uint8Array(this.#foldScratch.byteLength);
    return undefined;
  }

  #scan(
    data: Uint8Array,
    base: bigint,
    after: bigint,
    upTo: bigint,
    edges: { startIsEdge: boolean; endIsEdge: boolean },
  ): void {
    const units = foldBytes(data, this.#foldScratch);
    const { forms, patterns } = this.#patterns;
    const from = Number(after - base);
    const to = Number(upTo - base);
    this.#patterns.automaton.searchUnits(units, (formId, end) => {
      if (end <= from || end > to) return;
      const form = forms[formId]!;
      const pattern = patterns[form.pattern]!;
      const hits = this.#hits.get(form.pattern);
      if (
        hits !== undefined && hits.strings.size >= this.#perPattern &&
        (hits.whole || !pattern.whole)
      ) {
        hits.encodings.add(form.encoding);
        return;
      }
      const start = end - form.byteLength;
      if (!sameText(decode(data.subarray(start, end), form.encoding), pattern)) return;
      const around = enclosingString(data, start, end, form.encoding, this.#context, edges);
      const entry = hits ?? { encodings: new Set(), whole: false, strings: new Set() };
      this.#hits.set(form.pattern, entry);
      entry.encodings.add(form.encoding);
      const whole = around.text.length > 0 && sameText(around.text, pattern);
      // Past the cap, one whole occurrence is still kept: it is what an `is` item needs.
      if (entry.strings.size < this.#perPattern || (whole && !entry.whole)) {
        entry.strings.add(around.text);
      }
      if (whole) entry.whole = true;
    });
  }

  report(elapsedMs: number, regionsTruncated: string | undefined): MemorySearchReport {
    const found: FoundPattern[] = [];
    const strings = new Set<string>();
    for (const [index, pattern] of this.#patterns.patterns.entries()) {
      const hits = this.#hits.get(index);
      if (hits === undefined) continue;
      found.push({
        text: pattern.text,
        caseSensitive: pattern.caseSensitive,
        encodings: [...hits.encodings],
        whole: hits.whole,
        strings: [...hits.strings],
      });
      for (const text of hits.strings) strings.add(text);
    }
    return {
      ok: true,
      found,
      strings: [...strings],
      bytesRead: this.#bytesRead,
      regionsSearched: this.#regionsSearched,
      regionsSkipped: this.#regionsSkipped,
      bytesSkipped: this.#bytesSkipped,
      regionsExcluded: this.#regionsExcluded,
      elapsedMs: Math.round(elapsedMs),
      ...(this.#truncatedBy === undefined ? {} : { truncatedBy: this.#truncatedBy }),
      ...(regionsTruncated === undefined ? {} : { regionsTruncated }),
    };
  }
}

/**
 * Whether a byte (8-bit strings) is part of a string: tab, printable ASCII,
 * and the bytes of UTF-8 sequences; not NUL, other controls or DEL.
 */
function textByte(byte: number): boolean {
  return byte === 0x09 || (byte >= 0x20 && byte !== 0x7f);
}

/**
 * Whether a UTF-16 code unit is part of a string: tab, printable ASCII and
 * Unicode letters and symbols; not controls (C0, DEL, C1), surrogate halves
 * or the non-characters U+FFFE and U+FFFF.
 */
function textUnit16(unit: number): boolean {
  if (unit === 0x09) return true;
  if (unit < 0x20 || (unit >= 0x7f && unit < 0xa0)) return false;
  if (unit >= 0xd800 && unit <= 0xdfff) return false;
  return unit < 0xfffe;
}

/**
 * The string around `data[start, end)`: extended over text units up to a
 * delimiter, `context` bytes, or the data's edge (a delimiter when the edge
 * is the region's or the readable part's). A side cut at `context` is
 * marked `…`.
 */
export function enclosingString(
  data: Uint8Array,
  start: number,
  end: number,
  encoding: MemoryEncoding,
  context: number,
  edges: { startIsEdge: boolean; endIsEdge: boolean },
): { text: string; cut: boolean } {
  const width = encoding === "ascii" ? 1 : 2;
  const unitAt = (at: number) => width === 1 ? data[at]! : data[at]! | (data[at + 1]! << 8);
  const textUnit = width === 1 ? textByte : textUnit16;
  let from = start;
  let cutBefore = false;
  for (;;) {
    if (from - width < 0) {
      cutBefore = !edges.startIsEdge;
      break;
    }
    if (!textUnit(unitAt(from - width))) break;
    if (start - from + width > context) {
      cutBefore = true;
      break;
    }
    from -= width;
  }
  let to = end;
  let cutAfter = false;
  for (;;) {
    if (to + width > data.byteLength) {
      cutAfter = !edges.endIsEdge;
      break;
    }
    if (!textUnit(unitAt(to))) break;
    if (to + width - end > context) {
      cutAfter = true;
      break;
    }
    to += width;
  }
  const text = decode(data.subarray(from, to), encoding);
  return {
    text: `${cutBefore ? cutMark : ""}${text}${cutAfter ? cutMark : ""}`,
    cut: cutBefore || cutAfter,
  };
}
