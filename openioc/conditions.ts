/**
 * Reading `IndicatorItem/@condition` and `Indicator/@operator` into the model,
 * for both schema versions.
 *
 * Decisions (pinned by conditions_test.ts):
 * - Conditions and operators are matched case-insensitively (`IS`, `and`); a
 *   spelling other than the schema's gives a warning but loads. Every real file
 *   writes them exactly as the schemas do.
 * - 1.0 `isnot`/`containsnot` become `is`/`contains` with negation. Combined with
 *   a 1.1 `negate="true"` on the same item, the two negations cancel out.
 * - A condition of the other schema version (`matches` in a 1.0 file, `isnot` in
 *   a 1.1 file) loads with a warning: the meaning is unambiguous.
 * - `begins-with`, the spelling of one ioc_writer docstring, loads as
 *   `starts-with` with a warning.
 * - Anything else is unknown and rejects the file.
 *
 * @module
 */
import type { Condition, OpenIocVersion, Operator } from "./model.ts";

/** A condition as the model stores it. */
export interface ReadCondition {
  /** The condition in the model's vocabulary. */
  condition: Condition;
  /** True for the 1.0 negated forms `isnot` and `containsnot`. */
  negated: boolean;
  /** Why the spelling is unusual, when it is. */
  note?: string;
}

const conditions10 = new Map<string, { condition: Condition; negated: boolean }>([
  ["is", { condition: "is", negated: false }],
  ["isnot", { condition: "is", negated: true }],
  ["contains", { condition: "contains", negated: false }],
  ["containsnot", { condition: "contains", negated: true }],
]);

const conditions11 = new Map<string, { condition: Condition; negated: boolean }>([
  ["is", { condition: "is", negated: false }],
  ["contains", { condition: "contains", negated: false }],
  ["matches", { condition: "matches", negated: false }],
  ["starts-with", { condition: "starts-with", negated: false }],
  ["ends-with", { condition: "ends-with", negated: false }],
  ["greater-than", { condition: "greater-than", negated: false }],
  ["less-than", { condition: "less-than", negated: false }],
]);

/**
 * Reads a condition as written in a file of the given version.
 *
 * @returns The condition, or undefined when it is unknown (the caller rejects the file).
 *
 * @example
 * ```ts
 * import { readCondition } from "./conditions.ts";
 * readCondition("containsnot", "1.0"); // { condition: "contains", negated: true }
 * ```
 */
export function readCondition(written: string, version: OpenIocVersion): ReadCondition | undefined {
  const key = written.trim().toLowerCase();
  const own = version === "1.0" ? conditions10 : conditions11;
  const other = version === "1.0" ? conditions11 : conditions10;
  const found = own.get(key) ?? other.get(key);
  if (found !== undefined) {
    const notes: string[] = [];
    if (key !== written) notes.push(`written as "${written}"`);
    if (!own.has(key)) {
      notes.push(`"${key}" is an OpenIOC ${version === "1.0" ? "1.1" : "1.0"} condition`);
    }
    return notes.length === 0 ? { ...found } : { ...found, note: notes.join("; ") };
  }
  if (key === "begins-with") {
    return { condition: "starts-with", negated: false, note: `"${written}" read as "starts-with"` };
  }
  return undefined;
}

/**
 * Reads an Indicator operator (`AND`/`OR`, any case).
 *
 * @returns The operator and whether its spelling was non-standard, or undefined when unknown.
 */
export function readOperator(
  written: string,
): { operator: Operator; nonStandard: boolean } | undefined {
  const key = written.trim().toUpperCase();
  if (key !== "AND" && key !== "OR") return undefined;
  return { operator: key, nonStandard: key !== written };
}
