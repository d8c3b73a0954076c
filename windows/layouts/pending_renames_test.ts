import { deepStrictEqual } from "node:assert/strict";
import { decodePendingRenames } from "./pending_renames.ts";
import { encodePendingRenames } from "./_file_encode.ts";
import { decodeMultiSz } from "./volume.ts";

Deno.test("decodePendingRenames keeps the empty targets of deletes and every pair after them", () => {
  const pairs = [
    { source: "\\??\\C:\\Users\\alice\\AppData\\Local\\Temp\\evil.exe", target: "" },
    {
      source: "\\??\\C:\\Program Files\\App\\new.dll.tmp",
      target: "!\\??\\C:\\Program Files\\App\\new.dll",
    },
    { source: "\\??\\C:\\Windows\\Temp\\x.sys", target: "" },
  ];
  const bytes = encodePendingRenames(pairs);
  deepStrictEqual(decodePendingRenames(bytes), pairs);
  // The plain REG_MULTI_SZ reading stops at the first empty target: the pitfall this decoder avoids.
  deepStrictEqual(decodeMultiSz(bytes, bytes.length >> 1), [pairs[0]!.source]);
});

Deno.test("decodePendingRenames reads an empty value, a missing final NUL and a cut-off last pair", () => {
  deepStrictEqual(decodePendingRenames(new Uint8Array(0)), []);
  deepStrictEqual(decodePendingRenames(new Uint8Array(2)), []);
  const one = encodePendingRenames([{ source: "\\??\\C:\\a", target: "" }]);
  deepStrictEqual(decodePendingRenames(one.subarray(0, one.length - 2)), [
    { source: "\\??\\C:\\a", target: "" },
  ]);
  const cut = encodePendingRenames([{ source: "\\??\\C:\\a", target: "\\??\\C:\\b" }]);
  deepStrictEqual(decodePendingRenames(cut.subarray(0, 2 * "\\??\\C:\\a".length + 2)), [
    { source: "\\??\\C:\\a", target: "" },
  ]);
  // An odd byte at the end (a damaged length) is dropped.
  deepStrictEqual(decodePendingRenames(new Uint8Array([...one, 0x41])), [
    { source: "\\??\\C:\\a", target: "" },
  ]);
});
