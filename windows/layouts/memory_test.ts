import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  decodeMemoryBasicInformation,
  MEM_COMMIT,
  MEM_IMAGE,
  MEM_PRIVATE,
  memoryBasicInformationSize,
  pageProtectionName,
} from "./memory.ts";
import { encodeMemoryBasicInformation } from "./_memory_bytes.ts";

Deno.test("decodeMemoryBasicInformation reads every field at its offset, little-endian, 64-bit", () => {
  const record = {
    baseAddress: 0x7ff8_1234_5000n,
    allocationBase: 0x7ff8_1234_0000n,
    allocationProtect: 0x80,
    regionSize: 0x1_0000_2000n,
    state: MEM_COMMIT,
    protect: 0x20,
    type: MEM_IMAGE,
  };
  // Padding and PartitionId filled with 0xAA: the decoder reads none of them.
  const bytes = encodeMemoryBasicInformation(record, 0xaa);
  strictEqual(bytes.byteLength, memoryBasicInformationSize);
  deepStrictEqual(decodeMemoryBasicInformation(bytes), record);
  // The exact bytes of BaseAddress: low byte first.
  deepStrictEqual([...bytes.subarray(0, 8)], [0x00, 0x50, 0x34, 0x12, 0xf8, 0x7f, 0x00, 0x00]);
});

Deno.test("decodeMemoryBasicInformation reads at an offset and refuses a short buffer", () => {
  const record = {
    baseAddress: 0x1000n,
    allocationBase: 0x1000n,
    allocationProtect: 0x40,
    regionSize: 0x3000n,
    state: MEM_COMMIT,
    protect: 0x40,
    type: MEM_PRIVATE,
  };
  const bytes = new Uint8Array(memoryBasicInformationSize + 16);
  bytes.set(encodeMemoryBasicInformation(record), 16);
  deepStrictEqual(decodeMemoryBasicInformation(bytes, 16), record);
  strictEqual(decodeMemoryBasicInformation(bytes, 17), undefined);
  strictEqual(decodeMemoryBasicInformation(new Uint8Array(47)), undefined);
});

Deno.test("pageProtectionName spells protections as Redline writes them", () => {
  strictEqual(pageProtectionName(0x40), "PAGE_EXECUTE_READWRITE");
  strictEqual(pageProtectionName(0x20), "PAGE_EXECUTE_READ");
  strictEqual(pageProtectionName(0x80), "PAGE_EXECUTE_WRITECOPY");
  strictEqual(pageProtectionName(0x01), "PAGE_NOACCESS");
  strictEqual(pageProtectionName(0x104), "PAGE_READWRITE|PAGE_GUARD");
  strictEqual(pageProtectionName(0x204), "PAGE_READWRITE|PAGE_NOCACHE");
  strictEqual(pageProtectionName(0), "");
  strictEqual(pageProtectionName(0x03), "0x3");
});
