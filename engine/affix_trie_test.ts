import { deepStrictEqual } from "node:assert/strict";
import { AffixTrie } from "./affix_trie.ts";

Deno.test("AffixTrie.matchedPatterns() finds every prefix", () => {
  const trie = new AffixTrie(["c:\\windows\\", "c:\\", "d:\\"], "prefix");
  deepStrictEqual(trie.matchedPatterns("c:\\windows\\evil.exe"), [1, 0]);
  deepStrictEqual(trie.matchedPatterns("c:\\users"), [1]);
  deepStrictEqual(trie.matchedPatterns("e:\\"), []);
});

Deno.test("AffixTrie.matchedPatterns() finds every suffix", () => {
  const trie = new AffixTrie([".exe", "evil.exe", "dll"], "suffix");
  deepStrictEqual(trie.matchedPatterns("c:\\evil.exe"), [0, 1]);
  deepStrictEqual(trie.matchedPatterns("x.dll"), [2]);
  deepStrictEqual(trie.matchedPatterns("exe"), []);
});

Deno.test("AffixTrie shares equal patterns and matches the empty pattern everywhere", () => {
  const trie = new AffixTrie(["ab", "ab", ""], "prefix");
  deepStrictEqual(trie.matchedPatterns("abc"), [2, 0, 1]);
});
