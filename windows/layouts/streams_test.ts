import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  alternateStreamName,
  decodeFindStreamData,
  streamNameProblem,
  win32FindStreamData,
} from "./streams.ts";
import { encodeFindStreamData } from "./_file_encode.ts";

Deno.test("decodeFindStreamData reads StreamSize and cStreamName up to its NUL", () => {
  strictEqual(win32FindStreamData.size, 600);
  deepStrictEqual(decodeFindStreamData(encodeFindStreamData(":Zone.Identifier:$DATA", 26n)), {
    rawName: ":Zone.Identifier:$DATA",
    size: 26n,
  });
  deepStrictEqual(decodeFindStreamData(encodeFindStreamData("::$DATA", 20n << 20n)), {
    rawName: "::$DATA",
    size: 20n << 20n,
  });
  // A name filling the array without a NUL ends at the array's end, never past it.
  const full = encodeFindStreamData("", 1n);
  new DataView(full.buffer).setUint16(8, 0x41, true);
  for (let at = 8; at < full.length; at += 2) new DataView(full.buffer).setUint16(at, 0x41, true);
  strictEqual(decodeFindStreamData(full).rawName.length, 296);
  throws(() => decodeFindStreamData(new Uint8Array(599)), RangeError);
});

Deno.test("alternateStreamName takes the name out of :name:$DATA and skips the main stream", () => {
  strictEqual(alternateStreamName(":Zone.Identifier:$DATA"), "Zone.Identifier");
  strictEqual(alternateStreamName(":ünïcode name:$data"), "ünïcode name");
  strictEqual(alternateStreamName("::$DATA"), undefined);
  strictEqual(alternateStreamName("Zone.Identifier"), undefined);
  strictEqual(alternateStreamName(":x:$INDEX_ALLOCATION"), undefined);
});

Deno.test("streamNameProblem refuses names that would reach another stream or file", () => {
  strictEqual(streamNameProblem("Zone.Identifier"), undefined);
  for (const bad of ["", "a:b", "..\\x", "a/b", "a\0b", "x".repeat(256)]) {
    strictEqual(typeof streamNameProblem(bad), "string", JSON.stringify(bad));
  }
});
