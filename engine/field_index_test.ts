import { deepStrictEqual } from "node:assert/strict";
import { FieldIndex } from "./field_index.ts";
import type { ScalarValue } from "./value_types.ts";

const md5 = "0123456789abcdef0123456789abcdef";

function hits(index: FieldIndex, value: ScalarValue): number[] {
  const found: number[] = [];
  index.probeValue(value, (item) => found.push(item));
  return found;
}

Deno.test("FieldIndex finds a digest however it is spelled, and nothing for other text", () => {
  const index = new FieldIndex("md5", "plain");
  index.add(1, { kind: "exact", space: "typed", key: md5 });
  index.add(2, { kind: "exact", space: "typed", key: md5 });
  index.add(3, { kind: "exact", space: "typed", key: "f".repeat(32) });
  index.build();
  // As collectors give it (the one-lookup path), and spelled otherwise (normalised first).
  deepStrictEqual(hits(index, md5), [1, 2]);
  deepStrictEqual(hits(index, md5.toUpperCase()), [1, 2]);
  deepStrictEqual(hits(index, ` ${md5}\n`), [1, 2]);
  deepStrictEqual(hits(index, "F".repeat(32)), [3]);
  // Misses: another digest, text that is not hex, an empty value, a number.
  deepStrictEqual(hits(index, "e".repeat(32)), []);
  deepStrictEqual(hits(index, "not a digest"), []);
  deepStrictEqual(hits(index, ""), []);
  deepStrictEqual(hits(index, 12345), []);
  deepStrictEqual(hits(index, [md5, "x"].join("")), []);
});

Deno.test("FieldIndex finds digests among 5,000 keys however they are spelled (prefix filter in front)", () => {
  const index = new FieldIndex("sha256", "plain");
  const key = (number: number) => (number * 2654435761 >>> 0).toString(16).padStart(64, "0");
  for (let item = 0; item < 5000; item++) {
    index.add(item, { kind: "exact", space: "typed", key: key(item) });
  }
  index.build();
  for (const item of [0, 1, 2500, 4999]) {
    deepStrictEqual(hits(index, key(item)), [item]);
    deepStrictEqual(hits(index, key(item).toUpperCase()), [item]);
    deepStrictEqual(hits(index, `\t${key(item)} `), [item]);
  }
  deepStrictEqual(hits(index, key(5000)), []);
  deepStrictEqual(hits(index, "f".repeat(64)), []);
});
