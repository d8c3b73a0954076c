import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { utf16z } from "./hive_builder.ts";
import {
  decodeMultiString,
  decodeValue,
  toHex,
  ValueType,
  valueTypeName,
  valueTypeNumber,
} from "./value_data.ts";

Deno.test("decodeValue ends strings at the first NUL and keeps odd bytes out", () => {
  assertEquals(decodeValue(ValueType.REG_SZ, new Uint8Array([...utf16z("ab"), 0x43, 0])), "ab");
  assertEquals(decodeValue(ValueType.REG_SZ, new Uint8Array([0x61, 0, 0x62])), "a");
  assertEquals(decodeValue(ValueType.REG_EXPAND_SZ, utf16z("%windir%")), "%windir%");
  assertEquals(decodeValue(ValueType.REG_SZ, new Uint8Array(0)), "");
});

Deno.test("decodeValue keeps integers of the wrong size as bytes", () => {
  assertEquals(decodeValue(ValueType.REG_DWORD, new Uint8Array([1, 0])), new Uint8Array([1, 0]));
  assertEquals(
    decodeValue(ValueType.REG_QWORD, new Uint8Array([1, 0, 0, 0])),
    new Uint8Array([1, 0, 0, 0]),
  );
  assertEquals(
    decodeValue(ValueType.REG_DWORD, new Uint8Array([0xff, 0xff, 0xff, 0xff])),
    4294967295,
  );
  assertEquals(
    decodeValue(ValueType.REG_QWORD, new Uint8Array(8).fill(0xff)),
    18446744073709551615n,
  );
});

Deno.test("decodeMultiString splits on NUL and stops at the empty string", () => {
  assertEquals(decodeMultiString(new Uint8Array([...utf16z("a"), ...utf16z("b"), 0, 0])), [
    "a",
    "b",
  ]);
  assertEquals(decodeMultiString(new Uint8Array([...utf16z("a"), 0x62, 0])), ["a", "b"]);
  assertEquals(decodeMultiString(new Uint8Array([0, 0, ...utf16z("junk")])), []);
});

Deno.test("valueTypeName names known and unknown types both ways", () => {
  assertEquals(valueTypeName(5), "REG_DWORD_BIG_ENDIAN");
  assertEquals(valueTypeName(0x20001), "REG_UNKNOWN_0x20001");
  assertEquals(valueTypeNumber("reg_multi_sz"), 7);
  assertEquals(valueTypeNumber("REG_UNKNOWN_0x20001"), 0x20001);
  assertEquals(valueTypeNumber("nope"), undefined);
});

Deno.test("toHex writes lower-case hex for short and long data", () => {
  assertEquals(toHex(new Uint8Array([0, 0xab, 0x0f])), "00ab0f");
  const long = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  assertEquals(toHex(long), Array.from(long, (b) => b.toString(16).padStart(2, "0")).join(""));
});
