import { deepStrictEqual } from "node:assert/strict";
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
  deepStrictEqual(decodeValue(ValueType.REG_SZ, new Uint8Array([...utf16z("ab"), 0x43, 0])), "ab");
  deepStrictEqual(decodeValue(ValueType.REG_SZ, new Uint8Array([0x61, 0, 0x62])), "a");
  deepStrictEqual(decodeValue(ValueType.REG_EXPAND_SZ, utf16z("%windir%")), "%windir%");
  deepStrictEqual(decodeValue(ValueType.REG_SZ, new Uint8Array(0)), "");
});

Deno.test("decodeValue keeps integers of the wrong size as bytes", () => {
  deepStrictEqual(decodeValue(ValueType.REG_DWORD, new Uint8Array([1, 0])), new Uint8Array([1, 0]));
  deepStrictEqual(
    decodeValue(ValueType.REG_QWORD, new Uint8Array([1, 0, 0, 0])),
    new Uint8Array([1, 0, 0, 0]),
  );
  deepStrictEqual(
    decodeValue(ValueType.REG_DWORD, new Uint8Array([0xff, 0xff, 0xff, 0xff])),
    4294967295,
  );
  deepStrictEqual(
    decodeValue(ValueType.REG_QWORD, new Uint8Array(8).fill(0xff)),
    18446744073709551615n,
  );
});

Deno.test("decodeMultiString splits on NUL and stops at the empty string", () => {
  deepStrictEqual(decodeMultiString(new Uint8Array([...utf16z("a"), ...utf16z("b"), 0, 0])), [
    "a",
    "b",
  ]);
  deepStrictEqual(decodeMultiString(new Uint8Array([...utf16z("a"), 0x62, 0])), ["a", "b"]);
  deepStrictEqual(decodeMultiString(new Uint8Array([0, 0, ...utf16z("junk")])), []);
});

Deno.test("valueTypeName names known and unknown types both ways", () => {
  deepStrictEqual(valueTypeName(5), "REG_DWORD_BIG_ENDIAN");
  deepStrictEqual(valueTypeName(0x20001), "REG_UNKNOWN_0x20001");
  deepStrictEqual(valueTypeNumber("reg_multi_sz"), 7);
  deepStrictEqual(valueTypeNumber("REG_UNKNOWN_0x20001"), 0x20001);
  deepStrictEqual(valueTypeNumber("nope"), undefined);
});

Deno.test("toHex writes lower-case hex for short and long data", () => {
  deepStrictEqual(toHex(new Uint8Array([0, 0xab, 0x0f])), "00ab0f");
  const long = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  deepStrictEqual(toHex(long), Array.from(long, (b) => b.toString(16).padStart(2, "0")).join(""));
});
