import { deepStrictEqual, ok } from "node:assert/strict";
import { AhoCorasick } from "./aho_corasick.ts";

Deno.test("AhoCorasick.matchedPatterns() finds overlapping and nested patterns", () => {
  const automaton = new AhoCorasick(["he", "she", "his", "hers"]);
  deepStrictEqual([...automaton.matchedPatterns("ushers")].sort(), [0, 1, 3]);
  deepStrictEqual([...automaton.matchedPatterns("ahishers")].sort(), [0, 1, 2, 3]);
  deepStrictEqual([...automaton.matchedPatterns("xyz")], []);
});

Deno.test("AhoCorasick.search() reports every occurrence with its end", () => {
  const automaton = new AhoCorasick(["aa", "a"]);
  const found: [number, number][] = [];
  automaton.search("aaa", (id, end) => found.push([id, end]));
  deepStrictEqual(found, [[1, 1], [0, 2], [1, 2], [0, 3], [1, 3]]);
});

Deno.test("AhoCorasick ignores empty patterns and works on UTF-16 code units", () => {
  const automaton = new AhoCorasick(["", "ü", "😀x"]);
  deepStrictEqual([...automaton.matchedPatterns("grüß 😀x")].sort(), [1, 2]);
  deepStrictEqual([...automaton.matchedPatterns("")], []);
});

Deno.test("AhoCorasick agrees with String.includes on random inputs", () => {
  let seed = 7;
  // xorshift32: exact in 32-bit integer arithmetic, unlike a float LCG.
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const word = (max: number) =>
    Array.from({ length: 1 + Math.floor(random() * max) }, () => "abc"[Math.floor(random() * 3)])
      .join("");
  for (let round = 0; round < 200; round++) {
    const patterns = Array.from({ length: 1 + Math.floor(random() * 8) }, () => word(4));
    const text = word(30);
    const expected = patterns.flatMap((p, id) => text.includes(p) ? [id] : []);
    deepStrictEqual(
      [...new AhoCorasick(patterns).matchedPatterns(text)].sort((a, b) => a - b),
      expected,
    );
  }
});

Deno.test("AhoCorasick.search reports the same occurrences on long texts (root table) as on short ones", () => {
  let seed = 11;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const word = (length: number) =>
    Array.from({ length }, () => "abcé"[Math.floor(random() * 4)]).join("");
  for (let round = 0; round < 20; round++) {
    const patterns = Array.from(
      { length: 1 + Math.floor(random() * 8) },
      () => word(1 + Math.floor(random() * 5)),
    );
    const automaton = new AhoCorasick(patterns);
    // Long enough for the root table; every occurrence compared with the short-text path,
    // which sees the same text cut in pieces that overlap by the longest pattern.
    const text = word(5000);
    const long: string[] = [];
    automaton.search(text, (id, end) => long.push(`${id}@${end}`));
    const short = new Set<string>();
    for (let start = 0; start < text.length; start += 1000) {
      const from = Math.max(0, start - 5);
      automaton.search(
        text.slice(from, start + 1000),
        (id, end) => short.add(`${id}@${from + end}`),
      );
    }
    deepStrictEqual(new Set(long), short);
    ok(long.length > 0);
  }
});

Deno.test("AhoCorasick.searchUnits over bytes finds what search finds in the same code units", () => {
  const automaton = new AhoCorasick(["ab\u0000c", "\u00ff\u0001", "bc"]);
  const bytes = new Uint8Array([0x61, 0x62, 0x00, 0x63, 0xff, 0x01, 0x62, 0x63]);
  const fromUnits: string[] = [];
  automaton.searchUnits(bytes, (id, end) => fromUnits.push(`${id}@${end}`));
  const fromText: string[] = [];
  automaton.search(String.fromCharCode(...bytes), (id, end) => fromText.push(`${id}@${end}`));
  deepStrictEqual(fromUnits, ["0@4", "1@6", "2@8"]);
  deepStrictEqual(fromUnits, fromText);
});
