/**
 * An Aho–Corasick automaton: finds every occurrence of many patterns in one
 * pass over a text, so the cost of a `contains` test does not grow with the
 * number of patterns. It works on UTF-16 code units; callers lower-case both
 * the patterns and the text for case-insensitive search.
 *
 * @example
 * ```ts
 * import { AhoCorasick } from "./aho_corasick.ts";
 * const automaton = new AhoCorasick(["he", "she", "hers"]);
 * automaton.matchedPatterns("ushers"); // Set {0, 1, 2}
 * ```
 *
 * @module
 */

/** Entries of the root table: one per UTF-16 code unit. */
const rootTableSize = 0x10000;
/** Texts from this length on are searched with the root table (it costs 256 KiB, once). */
const rootTableTextLength = 4096;

/** A multi-pattern substring matcher built once from a fixed pattern list. */
export class AhoCorasick {
  /** Per state: code unit → next state. */
  readonly #goto: Map<number, number>[] = [new Map()];
  /** Per state: the longest proper suffix that is also a state. */
  readonly #fail: number[] = [0];
  /** Per state: the patterns that end exactly here. */
  readonly #output: number[][] = [[]];
  /** Per state: the nearest state on the fail chain with an output (-1 if none). */
  readonly #outputLink: number[] = [-1];

  /**
   * Builds the automaton. Pattern ids are the indices into `patterns`; an empty
   * pattern never matches.
   */
  constructor(patterns: readonly string[]) {
    for (const [id, pattern] of patterns.entries()) {
      if (pattern.length === 0) continue;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const unit = pattern.charCodeAt(i);
        let next = this.#goto[state]!.get(unit);
        if (next === undefined) {
          next = this.#goto.length;
          this.#goto.push(new Map());
          this.#fail.push(0);
          this.#output.push([]);
          this.#outputLink.push(-1);
          this.#goto[state]!.set(unit, next);
        }
        state = next;
      }
      this.#output[state]!.push(id);
    }
    this.#linkFailures();
  }

  #linkFailures(): void {
    const queue: number[] = [];
    for (const child of this.#goto[0]!.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [unit, child] of this.#goto[state]!) {
        let fallback = this.#fail[state]!;
        while (fallback !== 0 && !this.#goto[fallback]!.has(unit)) fallback = this.#fail[fallback]!;
        const target = this.#goto[fallback]!.get(unit);
        const failure = target !== undefined && target !== child ? target : 0;
        this.#fail[child] = failure;
        this.#outputLink[child] = this.#output[failure]!.length > 0
          ? failure
          : this.#outputLink[failure]!;
        queue.push(child);
      }
    }
  }

  /**
   * The root's transitions as a table of every code unit, built for the first
   * long text: most units of a text leave the automaton at its root, and a
   * table read there is several times faster than a map lookup (a process's
   * memory is searched at about 30 MB/s with the map alone).
   */
  #rootTable: Int32Array | undefined;

  #root(): Int32Array {
    if (this.#rootTable === undefined) {
      const table = new Int32Array(rootTableSize);
      for (const [unit, next] of this.#goto[0]!) table[unit] = next;
      this.#rootTable = table;
    }
    return this.#rootTable;
  }

  /** Calls `onMatch(patternId, endIndex)` for every occurrence (end index exclusive). */
  search(text: string, onMatch: (patternId: number, end: number) => void): void {
    if (text.length >= rootTableTextLength) {
      this.#searchWithRootTable(text, onMatch);
      return;
    }
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      let next = this.#goto[state]!.get(unit);
      while (next === undefined && state !== 0) {
        state = this.#fail[state]!;
        next = this.#goto[state]!.get(unit);
      }
      state = next ?? 0;
      for (let out = state; out > 0; out = this.#outputLink[out]!) {
        for (const id of this.#output[out]!) onMatch(id, i + 1);
      }
    }
  }

  /**
   * Like {@linkcode search}, over code units in an array: bytes, for a search
   * of raw memory or file content whose patterns were built from bytes (one
   * code unit per byte), with no text decoded.
   */
  searchUnits(
    units: Uint8Array | Uint16Array,
    onMatch: (patternId: number, end: number) => void,
  ): void {
    const root = this.#root();
    let state = 0;
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!;
      if (state === 0) {
        state = root[unit]!;
        if (state === 0) continue;
      } else {
        let next = this.#goto[state]!.get(unit);
        while (next === undefined) {
          state = this.#fail[state]!;
          if (state === 0) {
            next = root[unit]!;
            break;
          }
          next = this.#goto[state]!.get(unit);
        }
        state = next;
      }
      for (let out = state; out > 0; out = this.#outputLink[out]!) {
        for (const id of this.#output[out]!) onMatch(id, i + 1);
      }
    }
  }

  #searchWithRootTable(text: string, onMatch: (patternId: number, end: number) => void): void {
    const root = this.#root();
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (state === 0) {
        state = root[unit]!;
        if (state === 0) continue;
      } else {
        let next = this.#goto[state]!.get(unit);
        while (next === undefined) {
          state = this.#fail[state]!;
          if (state === 0) {
            next = root[unit]!;
            break;
          }
          next = this.#goto[state]!.get(unit);
        }
        state = next;
      }
      for (let out = state; out > 0; out = this.#outputLink[out]!) {
        for (const id of this.#output[out]!) onMatch(id, i + 1);
      }
    }
  }

  /** The ids of the patterns that occur at least once in `text`. */
  matchedPatterns(text: string): Set<number> {
    const found = new Set<number>();
    this.search(text, (id) => found.add(id));
    return found;
  }

  /** The number of states (a size figure for diagnostics and tests). */
  get stateCount(): number {
    return this.#goto.length;
  }
}
