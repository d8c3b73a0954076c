import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { fieldPath, hasTopField, readField } from "./field_lookup.ts";

Deno.test("readField() compares keys case-insensitively", () => {
  assertEquals(readField({ MD5Sum: "abc" }, fieldPath(["Md5sum"])), ["abc"]);
  assertEquals(readField({ Md5sum: "abc" }, fieldPath(["Md5sum"])), ["abc"]);
  assertEquals(readField({ pEiNfO: { PETimeStamp: 1 } }, fieldPath(["PEInfo", "PETimeStamp"])), [
    1,
  ]);
});

Deno.test("readField() crosses arrays at any level", () => {
  const fields = {
    HandleList: { Handle: [{ Name: "a" }, { Name: ["b", "c"] }, { Type: "x" }] },
    Lists: [{ Item: [{ Name: "d" }] }, { Item: { Name: "e" } }],
  };
  assertEquals(readField(fields, fieldPath(["HandleList", "Handle", "Name"])), ["a", "b", "c"]);
  assertEquals(readField(fields, fieldPath(["Lists", "Item", "Name"])), ["d", "e"]);
});

Deno.test("readField() treats null, undefined and records at the leaf as missing", () => {
  const path = fieldPath(["A", "B"]);
  assertEquals(readField({}, path), []);
  assertEquals(readField({ A: null }, path), []);
  assertEquals(readField({ A: { B: null } }, path), []);
  assertEquals(readField({ A: { B: { C: 1 } } }, path), []);
  assertEquals(readField({ A: "scalar" }, path), []);
});

Deno.test("hasTopField() finds a top-level field in any spelling", () => {
  assertEquals(hasTopField({ md5SUM: "x" }, "Md5sum"), true);
  assertEquals(hasTopField({ Md5sum: undefined }, "Md5sum"), false);
  assertEquals(hasTopField({}, "Md5sum"), false);
});
