/**
 * A trie of many prefixes (or suffixes): finds every pattern that a text starts
 * (or ends) with in one walk of at most the longest pattern's length, whatever
 * the number of patterns. Used for `starts-with`, `ends-with`, and the 1.0
 * `contains` on IP addresses, which is a prefix test.
 *
 * @example
 * ```ts
 * import { AffixTrie } from "./affix_trie.ts";
 * const trie = new AffixTrie(["c:\\windows", "c:\\"], "prefix");
 * trie.matchedPatterns("c:\\windows\\x.exe"); // [1, 0]
 * ```
 *
 * @module
 */

/** Which end of the text the patterns anchor to. */
export type AffixSide = "prefix" | "suffix";

interface TrieNode {
  next: Map<number, TrieNode>;
  patterns: number[];
}

/** A set of prefixes or suffixes, matched by walking the text from its anchored end. */
export class AffixTrie {
  readonly #root: TrieNode = { next: new Map(), patterns: [] };
  readonly #side: AffixSide;

  /** Builds the trie; pattern ids are indices into `patterns`. The empty pattern matches every text. */
  constructor(patterns: readonly string[], side: AffixSide) {
    this.#side = side;
    for (const [id, pattern] of patterns.entries()) {
      let node = this.#root;
      for (let step = 0; step < pattern.length; step++) {
        const unit = pattern.charCodeAt(side === "prefix" ? step : pattern.length - 1 - step);
        let child = node.next.get(unit);
        if (child === undefined) {
          child = { next: new Map(), patterns: [] };
          node.next.set(unit, child);
        }
        node = child;
      }
      node.patterns.push(id);
    }
  }

  /** The ids of the patterns `text` starts (or ends) with, shortest pattern first. */
  matchedPatterns(text: string): number[] {
    const found: number[] = [...this.#root.patterns];
    let node: TrieNode | undefined = this.#root;
    for (let step = 0; step < text.length; step++) {
      const unit = text.charCodeAt(this.#side === "prefix" ? step : text.length - 1 - step);
      node = node.next.get(unit);
      if (node === undefined) break;
      for (const id of node.patterns) found.push(id);
    }
    return found;
  }
}
