import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  decodeFreeSpace,
  decodeMultiSz,
  decodeUtf16z,
  encodeUtf16z,
  fileSystemFlagsText,
} from "./volume.ts";

/** A MULTI_SZ list as the API writes it: each string NUL-ended, one more NUL at the end. */
function multiSz(strings: string[]): { bytes: Uint8Array; units: number } {
  const text = strings.map((s) => `${s}\0`).join("") + "\0";
  const bytes = new Uint8Array(text.length * 2 + 16).fill(0xcc);
  for (let i = 0; i < text.length; i++) bytes[i * 2] = text.charCodeAt(i);
  for (let i = 0; i < text.length; i++) bytes[i * 2 + 1] = text.charCodeAt(i) >> 8;
  return { bytes, units: text.length };
}

Deno.test("decodeMultiSz: GetLogicalDriveStringsW's drive roots, the garbage past the count ignored", () => {
  const { bytes, units } = multiSz(["C:\\", "D:\\", "Z:\\"]);
  deepStrictEqual(decodeMultiSz(bytes, units), ["C:\\", "D:\\", "Z:\\"]);
  deepStrictEqual(decodeMultiSz(bytes, 0), []);
});

Deno.test("decodeUtf16z: a label up to its NUL; encodeUtf16z round-trips", () => {
  const bytes = encodeUtf16z("Système");
  strictEqual(decodeUtf16z(bytes), "Système");
  strictEqual(decodeUtf16z(new Uint8Array(8)), "");
});

Deno.test("fileSystemFlagsText: NTFS's usual flags by name, unknown bits in hex", () => {
  strictEqual(
    fileSystemFlagsText(0x0000_0001 | 0x0000_0002 | 0x0008_0000 | 0x8000_0000),
    "FILE_CASE_SENSITIVE_SEARCH|FILE_CASE_PRESERVED_NAMES|FILE_READ_ONLY_VOLUME|0x80000000",
  );
});

Deno.test("decodeFreeSpace: three little-endian 64-bit counts", () => {
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, 10n * 2n ** 30n, true);
  view.setBigUint64(8, 500n * 2n ** 30n, true);
  view.setBigUint64(16, 12n * 2n ** 30n, true);
  deepStrictEqual(decodeFreeSpace(bytes), {
    availableToCaller: 10 * 2 ** 30,
    total: 500 * 2 ** 30,
    free: 12 * 2 ** 30,
  });
});
