/**
 * `is` on dates holds over the precision the IOC writes: a day, a minute, a
 * second or a fraction; the top of a `TO` range covers its whole unit.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
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
  if (test.kind !== "direct") throw new Error(`expected a direct test, got ${test.kind}`);
  return test.test(observed) === true;
}

Deno.test("dateTextSpan() gives the span of the written precision", () => {
  assertEquals(dateTextSpan("2020-01-01"), 86_400_000);
  assertEquals(dateTextSpan("2020-01-01T10:00"), 60_000);
  assertEquals(dateTextSpan("2020-01-01T10:00:00Z"), 1000);
  assertEquals(dateTextSpan("2020-01-01T10:00:00.5Z"), 100);
  assertEquals(dateTextSpan("2020-01-01T10:00:00.123456Z"), 1);
});

Deno.test("is on a date holds over the written precision", () => {
  assertEquals(holds("2020-01-01T10:00:00Z", "2020-01-01T10:00:00.999Z"), true);
  assertEquals(holds("2020-01-01T10:00:00Z", "2020-01-01T10:00:01.000Z"), false);
  assertEquals(holds("2020-01-01T10:00:00Z", "2020-01-01T09:59:59.999Z"), false);
  assertEquals(holds("2020-01-01", "2020-01-01T23:59:59.999Z"), true);
  assertEquals(holds("2020-01-01", "2020-01-02T00:00:00Z"), false);
  assertEquals(holds("2020-01-01T12:00:00+02:00", "2020-01-01T10:00:00.400Z"), true);
  assertEquals(holds("2020-01-01T10:00:00.123Z", "2020-01-01T10:00:00.124Z"), false);
});

Deno.test("a TO range of dates includes the whole unit of its top bound", () => {
  assertEquals(holds("2020-01-01 TO 2020-01-31", "2020-01-31T18:00:00Z"), true);
  assertEquals(holds("[2020-01-01 TO 2020-01-31]", "2020-02-01T00:00:00Z"), false);
  assertEquals(holds("2020-01-31 TO 2020-01-01", "2020-01-31T18:00:00Z"), true);
  assertEquals(
    holds("2020-01-01T00:00:00Z TO 2020-01-01T10:00:00Z", "2020-01-01T10:00:00.5Z"),
    true,
  );
});
