import { deepStrictEqual } from "node:assert/strict";
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
