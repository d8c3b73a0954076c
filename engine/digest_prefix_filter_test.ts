import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { DigestPrefixFilter } from "./digest_prefix_filter.ts";

/** `count` distinct lower-case hex digests of `length` digits, the same for the same `seed`. */
function digests(count: number, length: number, seed: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => createHash("sha256").update(`${seed}:${index}`).digest("hex").slice(0, length),
  );
}

Deno.test("DigestPrefixFilter never rules out a key, however it is spelled", () => {
  const keys = digests(20_000, 32, 1);
  const filter = DigestPrefixFilter.of(keys)!;
  for (const key of keys) {
    deepStrictEqual(filter.mayHold(key), true, key);
    deepStrictEqual(filter.mayHold(key.toUpperCase()), true, key);
    deepStrictEqual(filter.mayHold(`${key}\n`), true, key);
  }
  // Text that does not start with six hex digits is left to the map.
  deepStrictEqual(filter.mayHold(` ${keys[0]}`), true);
  deepStrictEqual(filter.mayHold("abc"), true);
  deepStrictEqual(filter.mayHold("zzzzzzzz"), true);
});

Deno.test("DigestPrefixFilter rules out most other digests", () => {
  const filter = DigestPrefixFilter.of(digests(100_000, 64, 2))!;
  const others = digests(20_000, 64, 3);
  const passed = others.filter((text) => filter.mayHold(text)).length;
  // About 32 bits a key: a few percent pass.
  deepStrictEqual(passed < others.length * 0.06, true, `${passed} of ${others.length} passed`);
});

Deno.test("DigestPrefixFilter is not built for few keys or keys shorter than six digits", () => {
  deepStrictEqual(DigestPrefixFilter.of(digests(1023, 32, 4)), undefined);
  deepStrictEqual(DigestPrefixFilter.of([...digests(2000, 32, 5), "abcde"]), undefined);
  deepStrictEqual(DigestPrefixFilter.of(digests(1024, 32, 6)) instanceof DigestPrefixFilter, true);
});
