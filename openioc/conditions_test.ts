import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { readCondition, readOperator } from "./conditions.ts";

Deno.test("readCondition folds 1.0 negated conditions into negation", () => {
  deepStrictEqual(readCondition("isnot", "1.0"), { condition: "is", negated: true });
  deepStrictEqual(readCondition("containsnot", "1.0"), { condition: "contains", negated: true });
  deepStrictEqual(readCondition("is", "1.0"), { condition: "is", negated: false });
});

Deno.test("readCondition knows every 1.1 condition", () => {
  for (
    const condition of [
      "is",
      "contains",
      "matches",
      "starts-with",
      "ends-with",
      "greater-than",
      "less-than",
    ]
  ) {
    deepStrictEqual(readCondition(condition, "1.1"), { condition, negated: false });
  }
});

Deno.test("readCondition is case-insensitive and notes odd spellings", () => {
  const upper = readCondition("IS", "1.0");
  strictEqual(upper?.condition, "is");
  strictEqual(typeof upper?.note, "string");
  strictEqual(readCondition("isnot", "1.1")?.negated, true);
  strictEqual(typeof readCondition("isnot", "1.1")?.note, "string");
  strictEqual(readCondition("matches", "1.0")?.condition, "matches");
  strictEqual(readCondition("begins-with", "1.1")?.condition, "starts-with");
});

Deno.test("readCondition returns undefined for unknown conditions", () => {
  strictEqual(readCondition("near", "1.1"), undefined);
  strictEqual(readCondition("", "1.0"), undefined);
  strictEqual(readCondition("is not", "1.0"), undefined);
});

Deno.test("readOperator accepts AND/OR in any case and flags odd spellings", () => {
  deepStrictEqual(readOperator("AND"), { operator: "AND", nonStandard: false });
  deepStrictEqual(readOperator("or"), { operator: "OR", nonStandard: true });
  strictEqual(readOperator("XOR"), undefined);
  strictEqual(readOperator(""), undefined);
});
