import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  byHandleFileInformation,
  decodeByHandleFileInformation,
  decodeFileBasicInfo,
  encodeFileTime,
  fileAttribute,
  fileAttributesText,
  fileBasicInfo,
  parseFileTimeText,
  readFileTime,
} from "./file_info.ts";
import { encodeByHandleFileInformation, encodeFileBasicInfo } from "./_file_encode.ts";

const times = {
  created: 133_771_234_567_890_123n,
  accessed: 133_771_999_999_999_999n,
  written: 0x01db_4a5f_ffff_ffffn,
};

Deno.test("decodeByHandleFileInformation reads attributes, the three FILETIMEs and the file's identity", () => {
  const info = {
    ...times,
    attributes: fileAttribute.READONLY | fileAttribute.ARCHIVE,
    volumeSerialNumber: 0xdead_beef,
    size: 0x1_0000_0010n,
    links: 2,
    fileIndex: 0x0005_0000_0001_2345n,
  };
  const bytes = encodeByHandleFileInformation(info);
  strictEqual(bytes.byteLength, byHandleFileInformation.size);
  deepStrictEqual(decodeByHandleFileInformation(bytes), info);
  // At an odd offset in a larger buffer, as a view of an FFI buffer may be.
  const shifted = new Uint8Array(bytes.byteLength + 3);
  shifted.set(bytes, 3);
  deepStrictEqual(decodeByHandleFileInformation(shifted.subarray(3)), info);
  throws(() => decodeByHandleFileInformation(bytes.subarray(0, 51)), RangeError);
});

Deno.test("decodeFileBasicInfo reads the four LARGE_INTEGER times and the attributes", () => {
  const info = { ...times, changed: 133_771_234_567_890_124n, attributes: fileAttribute.HIDDEN };
  const bytes = encodeFileBasicInfo(info);
  strictEqual(bytes.byteLength, fileBasicInfo.size);
  deepStrictEqual(decodeFileBasicInfo(bytes), info);
  throws(() => decodeFileBasicInfo(bytes.subarray(0, 36)), RangeError);
});

Deno.test("encodeFileTime writes dwLowDateTime then dwHighDateTime, exactly", () => {
  const bytes = encodeFileTime(0x01db_4a5f_1234_5678n);
  deepStrictEqual([...bytes], [0x78, 0x56, 0x34, 0x12, 0x5f, 0x4a, 0xdb, 0x01]);
  strictEqual(readFileTime(new DataView(bytes.buffer), 0), 0x01db_4a5f_1234_5678n);
  throws(() => encodeFileTime(-1n), RangeError);
  throws(() => encodeFileTime(1n << 63n), RangeError);
});

Deno.test("parseFileTimeText reads a decimal FILETIME exactly and refuses anything else", () => {
  // Beyond 2^53: a Number would round it.
  strictEqual(parseFileTimeText("133771234567890123"), 133_771_234_567_890_123n);
  strictEqual(parseFileTimeText("0"), 0n);
  strictEqual(parseFileTimeText("9223372036854775807"), 0x7fff_ffff_ffff_ffffn);
  for (const bad of ["", "-1", "1e5", "0x10", " 1", "9223372036854775808", "1".repeat(21)]) {
    strictEqual(parseFileTimeText(bad), undefined, bad);
  }
});

Deno.test("fileAttributesText names the bits, unknown ones in hex", () => {
  strictEqual(fileAttributesText(0x21), "READONLY|ARCHIVE");
  strictEqual(fileAttributesText(0x1000_0001), "READONLY|0x10000000");
  strictEqual(fileAttributesText(0), "0");
});
