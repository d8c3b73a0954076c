/**
 * The `StringList/string` patterns compiled for a search of raw memory: each
 * pattern in its 8-bit (ASCII/UTF-8) and UTF-16LE byte forms, found in one
 * pass by the engine's Aho–Corasick automaton, then checked exactly.
 *
 * The automaton runs over bytes (`AhoCorasick.searchUnits`): each chunk of
 * memory with its ASCII capitals folded to lower case, and each pattern's
 * byte forms folded the same way (one code unit per byte). A hit is a
 * candidate: its bytes are decoded in their encoding and compared as the
 * engine's `contains` and `is` compare (case-insensitive unless the item
 * preserves case: `toLowerCase()` of both sides). Folding only ASCII
 * capitals in the pass means that a case-insensitive pattern with other
 * letters is found in memory as written, lower-cased or upper-cased (three
 * forms searched), not in every mix of cases.
 *
 * @module
 */
import { AhoCorasick } from "../../../engine/aho_corasick.ts";

/** One `StringList/string` item to search for. */
export interface MemoryPattern {
  /** The text, already in the term's text form (as the engine compares it). */
  readonly text: string;
  /** Whether the item preserves case. */
  readonly caseSensitive: boolean;
  /** `is` needs a whole string (delimited in memory); `contains` any occurrence. */
  readonly condition: "contains" | "is";
}

/** The byte encodings searched. */
export type MemoryEncoding = "ascii" | "utf-16le";

/** One byte form of one pattern, as the automaton knows it. */
export interface PatternForm {
  /** Index into {@linkcode CompiledPatterns.patterns}. */
  readonly pattern: number;
  readonly encoding: MemoryEncoding;
  readonly byteLength: number;
}

/** A distinct pattern (same text and case rule), with whether some item wants it whole. */
export interface DistinctPattern {
  readonly text: string;
  readonly caseSensitive: boolean;
  /** Whether an `is` item asks for it. */
  readonly whole: boolean;
  /** Whether a `contains` item asks for it. */
  readonly part: boolean;
}

/** The patterns, ready for {@linkcode searchBytes}. */
export interface CompiledPatterns {
  readonly patterns: readonly DistinctPattern[];
  readonly forms: readonly PatternForm[];
  readonly automaton: AhoCorasick;
  /** The longest byte form: the overlap kept between chunks. */
  readonly longestBytes: number;
}

/** The longest pattern searched, in characters: longer ones are refused by {@linkcode compilePatterns}. */
export const maxPatternLength = 4096;

const utf8 = new TextEncoder();

/** Each byte's value with ASCII capitals lowered. */
const asciiLowerTable = Uint8Array.from(
  { length: 256 },
  (_, byte) => byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte,
);

/**
 * Compiles the patterns. Empty patterns and patterns over
 * {@linkcode maxPatternLength} characters are returned in `refused` (the
 * caller reports them) and never searched.
 */
export function compilePatterns(
  items: readonly MemoryPattern[],
): { compiled: CompiledPatterns; refused: readonly MemoryPattern[] } {
  const distinct = new Map<
    string,
    { text: string; caseSensitive: boolean; whole: boolean; part: boolean }
  >();
  const refused: MemoryPattern[] = [];
  for (const item of items) {
    if (item.text === "" || item.text.length > maxPatternLength) {
      refused.push(item);
      continue;
    }
    const key = `${item.caseSensitive ? "s" : "i"}:${
      item.caseSensitive ? item.text : item.text.toLowerCase()
    }`;
    const entry = distinct.get(key) ??
      { text: item.text, caseSensitive: item.caseSensitive, whole: false, part: false };
    if (item.condition === "is") entry.whole = true;
    else entry.part = true;
    distinct.set(key, entry);
  }
  const patterns = [...distinct.values()];
  const forms: PatternForm[] = [];
  const keys: string[] = [];
  let longestBytes = 0;
  for (const [index, pattern] of patterns.entries()) {
    const spellings = pattern.caseSensitive
      ? [pattern.text]
      : [...new Set([pattern.text, pattern.text.toLowerCase(), pattern.text.toUpperCase()])];
    const seen = new Set<string>();
    for (const spelling of spellings) {
      for (const encoding of ["ascii", "utf-16le"] as const) {
        const bytes = encode(spelling, encoding);
        const key = String.fromCharCode(...foldBytes(bytes));
        if (seen.has(`${encoding}:${key}`)) continue;
        seen.add(`${encoding}:${key}`);
        forms.push({ pattern: index, encoding, byteLength: bytes.byteLength });
        keys.push(key);
        longestBytes = Math.max(longestBytes, bytes.byteLength);
      }
    }
  }
  return { compiled: { patterns, forms, automaton: new AhoCorasick(keys), longestBytes }, refused };
}

/** The bytes of `text` in `encoding` (`ascii` is UTF-8, which is ASCII for ASCII text). */
export function encode(text: string, encoding: MemoryEncoding): Uint8Array {
  if (encoding === "ascii") return utf8.encode(text);
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >> 8;
  }
  return bytes;
}

/** Decodes bytes of `encoding` to text (bad sequences become U+FFFD). */
export function decode(bytes: Uint8Array, encoding: MemoryEncoding): string {
  return encoding === "ascii"
    ? new TextDecoder("utf-8").decode(bytes)
    : new TextDecoder("utf-16le").decode(bytes);
}

/**
 * The bytes the automaton runs over: ASCII capitals folded to lower case,
 * written into `scratch` when it is large enough.
 */
export function foldBytes(bytes: Uint8Array, scratch?: Uint8Array): Uint8Array {
  const length = bytes.length;
  const folded = scratch !== undefined && scratch.length >= length
    ? scratch.subarray(0, length)
    : new Uint8Array(length);
  const table = asciiLowerTable;
  for (let i = 0; i < length; i++) folded[i] = table[bytes[i]!]!;
  return folded;
}

/** Whether decoded text is the pattern, as the engine compares strings. */
export function sameText(found: string, pattern: DistinctPattern): boolean {
  return pattern.caseSensitive
    ? found === pattern.text
    : found.toLowerCase() === pattern.text.toLowerCase();
}
