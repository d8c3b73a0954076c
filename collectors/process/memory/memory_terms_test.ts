import { deepStrictEqual } from "node:assert/strict";
import { resolveTerm } from "../../../openioc/term_catalogue.ts";
import { processMemoryNotProducedTerms, processMemoryTerms } from "./memory_terms.ts";

Deno.test("the catalogue lists every term the memory library fills as produced, with its type", () => {
  const wrong = [...processMemoryTerms].flatMap(([search, type]) => {
    const term = resolveTerm(search);
    return term?.coverage === "produced" && term.valueType === type
      ? []
      : [`${search}: ${term ? `${term.coverage} ${term.valueType}` : "not catalogued"}`];
  });
  deepStrictEqual(wrong, []);
});

Deno.test("the memory library's unfilled terms are not-produced in the catalogue, or not catalogued", () => {
  const wrong = processMemoryNotProducedTerms.filter((search) => {
    const term = resolveTerm(search);
    return term !== undefined && term.coverage !== "not-produced";
  });
  deepStrictEqual(wrong, []);
});
