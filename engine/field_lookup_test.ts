import { deepStrictEqual } from "node:assert/strict";
import { fieldPath, hasTopField, readField } from "./field_lookup.ts";

Deno.test("readField() compares keys case-insensitively", () => {
  deepStrictEqual(readField({ MD5Sum: "abc" }, fieldPath(["Md5sum"])), ["abc"]);
  deepStrictEqual(readField({ Md5sum: "abc" }, fieldPath(["Md5sum"])), ["abc"]);
  deepStrictEqual(readField({ pEiNfO: { PETimeStamp: 1 } }, fieldPath(["PEInfo", "PETimeStamp"])), [
    1,
  ]);
});

Deno.test("readField() crosses arrays at any level", () => {
  const fields = {
    HandleList: { Handle: [{ Name: "a" }, { Name: ["b", "c"] }, { Type: "x" }] },
    Lists: [{ Item: [{ Name: "d" }] }, { Item: { Name: "e" } }],
  };
  deepStrictEqual(readField(fields, fieldPath(["HandleList", "Handle", "Name"])), ["a", "b", "c"]);
  deepStrictEqual(readField(fields, fieldPath(["Lists", "Item", "Name"])), ["d", "e"]);
});

Deno.test("readField() treats null, undefined and records at the leaf as missing", () => {
  const path = fieldPath(["A", "B"]);
  deepStrictEqual(readField({}, path), []);
  deepStrictEqual(readField({ A: null }, path), []);
  deepStrictEqual(readField({ A: { B: null } }, path), []);
  deepStrictEqual(readField({ A: { B: { C: 1 } } }, path), []);
  deepStrictEqual(readField({ A: "scalar" }, path), []);
});

Deno.test("hasTopField() finds a top-level field in any spelling", () => {
  deepStrictEqual(hasTopField({ md5SUM: "x" }, "Md5sum"), true);
  deepStrictEqual(hasTopField({ Md5sum: undefined }, "Md5sum"), false);
  deepStrictEqual(hasTopField({}, "Md5sum"), false);
});
