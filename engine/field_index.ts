/**
 * The index of one document field (e.g. `FileItem/Md5sum`): every indexed item
 * on that field, organised so that testing an observed value costs the same
 * whatever the number of items. `is` goes through hash maps keyed by the
 * normalised value, `contains` through one Aho–Corasick pass, `starts-with`
 * and `ends-with` (and the IP prefix form of `contains`) through affix tries.
 *
 * @module
 */
import type { TextForm, ValueType } from "../openioc/term_catalogue.ts";
import { AffixTrie } from "./affix_trie.ts";
import { AhoCorasick } from "./aho_corasick.ts";
import { DigestPrefixFilter } from "./digest_prefix_filter.ts";
import { conditionText, type ExactSpace, type IndexProbe, typedKey } from "./item_condition.ts";
import { observedAlternative } from "./text_form.ts";
import { type ScalarValue, textOf } from "./value_types.ts";

interface AffixEntry {
  item: number;
  exact?: string;
}

/** Collects patterns of one kind and numbers them, sharing equal patterns. */
class PatternTable {
  readonly patterns: string[] = [];
  readonly entries: AffixEntry[][] = [];
  readonly #ids = new Map<string, number>();

  add(pattern: string, entry: AffixEntry): void {
    let id = this.#ids.get(pattern);
    if (id === undefined) {
      id = this.patterns.length;
      this.#ids.set(pattern, id);
      this.patterns.push(pattern);
      this.entries.push([]);
    }
    this.entries[id]!.push(entry);
  }
}

/** Receives each (item, observed value) pair whose condition held. */
export type HitSink = (item: number, value: ScalarValue) => void;

/** All indexed items of one field. Add items, then call {@linkcode FieldIndex.build}. */
export class FieldIndex {
  readonly #exact = new Map<ExactSpace, Map<string, number[]>>();
  readonly #contains = new PatternTable();
  readonly #prefix = new PatternTable();
  readonly #suffix = new PatternTable();
  #automaton: AhoCorasick | undefined;
  #prefixTrie: AffixTrie | undefined;
  #suffixTrie: AffixTrie | undefined;
  // Set by build(): the exact maps as a list, and what a probe must compute. A field of hash
  // items (the big IOC lists) has only the typed map, and its probe is one key and one lookup.
  #exactSpaces: [ExactSpace, Map<string, number[]>][] = [];
  #needsText = true;
  #needsLower = true;
  // The typed map of a field of digests and nothing else: its keys are lower-case hex.
  #digestKeys: Map<string, number[]> | undefined;
  // In front of a large #digestKeys: most digests are ruled out without a map probe.
  #digestPrefixes: DigestPrefixFilter | undefined;

  /**
   * @param valueType The term's value type (every item on a field shares the term).
   * @param form The term's text form (engine/text_form.ts), applied to observed strings.
   */
  constructor(readonly valueType: ValueType, readonly form: TextForm) {}

  /** Adds item number `item` with its probe. */
  add(item: number, probe: IndexProbe): void {
    if (probe.kind === "exact") {
      let map = this.#exact.get(probe.space);
      if (map === undefined) this.#exact.set(probe.space, map = new Map());
      const list = map.get(probe.key);
      if (list === undefined) map.set(probe.key, [item]);
      else list.push(item);
      return;
    }
    const entry: AffixEntry = probe.exact === undefined ? { item } : { item, exact: probe.exact };
    const table = probe.kind === "contains"
      ? this.#contains
      : probe.kind === "prefix"
      ? this.#prefix
      : this.#suffix;
    table.add(probe.pattern, entry);
  }

  /** Builds the automaton and tries; call once after the last {@linkcode FieldIndex.add}. */
  build(): void {
    this.#exactSpaces = [...this.#exact];
    const affixes = this.#contains.patterns.length > 0 || this.#prefix.patterns.length > 0 ||
      this.#suffix.patterns.length > 0;
    this.#needsLower = affixes || this.#exact.has("text-ci");
    this.#needsText = this.#needsLower || this.#exact.has("text-cs");
    const digestType = this.valueType === "md5" || this.valueType === "sha1" ||
      this.valueType === "sha256";
    this.#digestKeys = digestType && !affixes && this.#exact.size === 1
      ? this.#exact.get("typed")
      : undefined;
    this.#digestPrefixes = this.#digestKeys && DigestPrefixFilter.of(this.#digestKeys.keys());
    if (this.#contains.patterns.length > 0) {
      this.#automaton = new AhoCorasick(this.#contains.patterns);
    }
    if (this.#prefix.patterns.length > 0) {
      this.#prefixTrie = new AffixTrie(this.#prefix.patterns, "prefix");
    }
    if (this.#suffix.patterns.length > 0) {
      this.#suffixTrie = new AffixTrie(this.#suffix.patterns, "suffix");
    }
  }

  /** Reports every item whose condition holds on one of `values`. */
  probe(values: readonly ScalarValue[], sink: HitSink): void {
    for (let index = 0; index < values.length; index++) this.probeValue(values[index]!, sink);
  }

  /** Reports every item whose condition holds on `value`. */
  probeValue(value: ScalarValue, sink: HitSink): void {
    // A digest as collectors give it (lower-case hex) is its own key: one lookup, no pattern test.
    if (this.#digestKeys !== undefined && typeof value === "string") {
      if (this.#digestPrefixes?.mayHold(value) === false) return;
      const items = this.#digestKeys.get(value);
      if (items !== undefined) {
        for (const item of items) sink(item, value);
        return;
      }
      // Missed as it is; only a spelling that normalises to another text (spaces, capitals) may hit.
      if (value.trim() === value && value.toLowerCase() === value) return;
    }
    const text = this.#needsText ? conditionText(value, this.valueType, this.form) : "";
    if (this.form === "registry-key-path" && this.#needsText) {
      // A key path is also tested relative to its hive's root; an item is reported once.
      const alternative = observedAlternative(textOf(value), this.form, text);
      if (alternative !== undefined) {
        const reported = new Set<number>();
        const once: HitSink = (item, hit) => {
          if (reported.has(item)) return;
          reported.add(item);
          sink(item, hit);
        };
        this.#probeText(value, text, once);
        this.#probeText(value, alternative, once);
        return;
      }
    }
    this.#probeText(value, text, sink);
  }

  /** Reports every item whose condition holds on `text`, the condition text of `value`. */
  #probeText(value: ScalarValue, text: string, sink: HitSink): void {
    const lower = this.#needsLower ? text.toLowerCase() : text;
    // Index loops: this runs for every field of every object, often before it is optimised.
    for (let index = 0; index < this.#exactSpaces.length; index++) {
      const space = this.#exactSpaces[index]![0];
      const key = space === "text-ci"
        ? lower
        : space === "text-cs"
        ? text
        : typedKey(value, this.valueType);
      if (key === undefined) continue;
      const items = this.#exactSpaces[index]![1].get(key);
      if (items !== undefined) { for (const item of items) sink(item, value); }
    }
    if (this.#automaton) {
      const entries = this.#contains.entries;
      for (const id of this.#automaton.matchedPatterns(lower)) {
        for (const entry of entries[id]!) {
          if (entry.exact === undefined || text.includes(entry.exact)) sink(entry.item, value);
        }
      }
    }
    if (this.#prefixTrie) {
      const entries = this.#prefix.entries;
      for (const id of this.#prefixTrie.matchedPatterns(lower)) {
        for (const entry of entries[id]!) {
          if (entry.exact === undefined || text.startsWith(entry.exact)) sink(entry.item, value);
        }
      }
    }
    if (this.#suffixTrie) {
      const entries = this.#suffix.entries;
      for (const id of this.#suffixTrie.matchedPatterns(lower)) {
        for (const entry of entries[id]!) {
          if (entry.exact === undefined || text.endsWith(entry.exact)) sink(entry.item, value);
        }
      }
    }
  }
}
