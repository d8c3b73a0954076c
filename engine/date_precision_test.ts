/**
 * `is` on dates holds over the precision the IOC writes: a day, a minute, a
 * second or a fraction; the top of a `TO` range covers its whole unit.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import type { IndicatorItem } from "../openioc/model.ts";
import { compileItem } from "./item_condition.ts";
import { dateTextSpan } from "./value_types.ts";

function holds(value: string, observed: string): boolean {
  const item: IndicatorItem = {
    kind: "item",
    id: "d",
    condition: "is",
    negate: false,
    preserveCase: false,
    context: { document: "FileItem", search: "FileItem/Created", type: "mir" },
    content: { type: "date", value },
    parameters: [],
  };
  const { test } = compileItem(item, "1.1");
  ok(test.kind === "direct", `expected a direct test, got ${test.kind}`);
  return test.test(observed) === true;
}

Deno.test("dateTextSpan() gives the span of the written precision", () => {
  deepStrictEqual(dateTextSpan("2020-01-01"), 86_400_000);
  deepStrictEqual(dateTextSpan("2020-01-01T10:00"), 60_000);
  deepStrictEqual(dateTextSpan("2020-01-01T10:00:00Z"), 1000);
  deepStrictEqual(dateTextSpan("2020-01-01T10:00:00.5Z"), 100);
  deepStrictEqual(dateTextSpan("2020-01-01T10:00:00.123456Z"), 1);
});

Deno.test("is on a date holds over the written precision", () => {
  deepStrictEqual(holds("2020-01-01T10:00:00Z", "2020-01-01T10:00:00.999Z"), true);
  deepStrictEqual(holds("2020-01-01T10:00:00Z", "2020-01-01T10:00:01.000Z"), false);
  deepStrictEqual(holds("2020-01-01T10:00:00Z", "2020-01-01T09:59:59.999Z"), false);
  deepStrictEqual(holds("2020-01-01", "2020-01-01T23:59:59.999Z"), true);
  deepStrictEqual(holds("2020-01-01", "2020-01-02T00:00:00Z"), false);
  deepStrictEqual(holds("2020-01-01T12:00:00+02:00", "2020-01-01T10:00:00.400Z"), true);
  deepStrictEqual(holds("2020-01-01T10:00:00.123Z", "2020-01-01T10:00:00.124Z"), false);
});

Deno.test("a TO range of dates includes the whole unit of its top bound", () => {
  deepStrictEqual(holds("2020-01-01 TO 2020-01-31", "2020-01-31T18:00:00Z"), true);
  deepStrictEqual(holds("[2020-01-01 TO 2020-01-31]", "2020-02-01T00:00:00Z"), false);
  deepStrictEqual(holds("2020-01-31 TO 2020-01-01", "2020-01-31T18:00:00Z"), true);
  deepStrictEqual(
    holds("2020-01-01T00:00:00Z TO 2020-01-01T10:00:00Z", "2020-01-01T10:00:00.5Z"),
    true,
  );
});
