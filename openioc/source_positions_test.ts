import { deepStrictEqual } from "node:assert/strict";
import { bytePositionOf, LineIndex } from "./source_positions.ts";

Deno.test("LineIndex.positionOf handles LF, CRLF and lone CR", () => {
  const index = new LineIndex("ab\ncd\r\nef\rgh");
  deepStrictEqual(index.positionOf(0), { line: 1, column: 1 });
  deepStrictEqual(index.positionOf(3), { line: 2, column: 1 });
  deepStrictEqual(index.positionOf(7), { line: 3, column: 1 });
  deepStrictEqual(index.positionOf(11), { line: 4, column: 2 });
});

Deno.test("bytePositionOf counts lines and byte columns", () => {
  deepStrictEqual(bytePositionOf(new Uint8Array([0x61, 0x0a, 0x62, 0x63]), 3), {
    line: 2,
    column: 2,
  });
});
