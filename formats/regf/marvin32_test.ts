import { deepStrictEqual } from "node:assert/strict";
import { marvin32 } from "./marvin32.ts";

// Published Marvin32 test vectors (seed 0x004FB61A001BDBCC), as used by .NET and SymCrypt.
const seedLo = 0x001bdbcc;
const seedHi = 0x004fb61a;
const vectors: [number[], bigint][] = [
  [[0xaf], 0x48E73FC77D75DDC1n],
  [[0xe7, 0x0f], 0xB5F6E1FC485DBFF8n],
  [[0x37, 0xf4, 0x95], 0xF0B07C789B8CF7E8n],
  [[0x86, 0x42, 0xdc, 0x59], 0x7008F2E87E9CF556n],
  [[0x15, 0x3f, 0xb7, 0x98, 0x26], 0xE6C08C6DA2AFA997n],
  [[0x09, 0x32, 0xe6, 0x24, 0x6c, 0x47], 0x6F04BF1A5EA24060n],
  [[0xab, 0x42, 0x7e, 0xa8, 0xd1, 0x0f, 0xc7], 0xE11847E4F0678C41n],
];

Deno.test("marvin32 matches the published test vectors", () => {
  for (const [input, expected] of vectors) {
    const bytes = Uint8Array.from(input);
    const [lo, hi] = marvin32(bytes, 0, bytes.length, seedLo, seedHi);
    deepStrictEqual((BigInt(hi) << 32n) | BigInt(lo), expected, `input ${input.join(",")}`);
  }
});
