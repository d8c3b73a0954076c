/**
 * A transaction log crafted with valid checksums to make recovery allocate a
 * 2 GiB image from a 5 KiB log: refused, with a warning, and the hive is
 * parsed as is. Built with code (hive builder, a hand-made HvLE entry).
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { baseBlockChecksum, LOG_BASE_BLOCK_SIZE } from "./base_block.ts";
import { RegistryHive } from "./hive.ts";
import { buildHive, fixChecksum } from "./hive_builder.ts";
import { marvin32 } from "./marvin32.ts";

/** A dirty primary (sequences 5/4) and a new-format log with one entry of `hiveBinsSize`. */
function craft(hiveBinsSize: number): { primary: Uint8Array; log: Uint8Array } {
  const primary = buildHive({ name: "ROOT", subkeys: [{ name: "A" }] }).bytes;
  const pv = new DataView(primary.buffer);
  pv.setUint32(4, 5, true);
  pv.setUint32(8, 4, true);
  fixChecksum(primary);

  const entrySize = 512 * 10; // header, one page reference, one 4 KiB page
  const log = new Uint8Array(LOG_BASE_BLOCK_SIZE + entrySize);
  const lv = new DataView(log.buffer);
  log.set(primary.subarray(0, LOG_BASE_BLOCK_SIZE));
  lv.setUint32(4, 4, true);
  lv.setUint32(8, 4, true);
  lv.setUint32(28, 6, true); // new-format log
  lv.setUint32(508, baseBlockChecksum(log, 0), true);
  const at = LOG_BASE_BLOCK_SIZE;
  log.set([0x48, 0x76, 0x4c, 0x45], at);
  lv.setUint32(at + 4, entrySize, true);
  lv.setUint32(at + 8, 0, true);
  lv.setUint32(at + 12, 4, true); // sequence
  lv.setUint32(at + 16, hiveBinsSize, true);
  lv.setUint32(at + 20, 1, true); // one dirty page
  lv.setUint32(at + 40, 0, true); // at offset 0 of the hive bins
  lv.setUint32(at + 44, 4096, true);
  log.set(primary.subarray(4096, 8192), at + 48);
  const [lo1, hi1] = marvin32(log, at + 40, at + entrySize);
  lv.setUint32(at + 24, lo1, true);
  lv.setUint32(at + 28, hi1, true);
  const [lo2, hi2] = marvin32(log, at, at + 32);
  lv.setUint32(at + 32, lo2, true);
  lv.setUint32(at + 36, hi2, true);
  return { primary, log };
}

Deno.test("recoverHive refuses a log entry that asks for more hive than the primary and logs hold", () => {
  const { primary, log } = craft(0x7fff0000);
  const hive = RegistryHive.open(primary, { logs: [{ name: "X.LOG", bytes: log }] });
  deepStrictEqual(hive.recovery?.recovered, false);
  deepStrictEqual(hive.recovery?.problems.map((p) => [p.kind, p.offset]), [["stopped", 512]]);
  ok(
    hive.recovery?.problems[0]?.message.includes(
      `hive bins size ${0x7fff0000} is more than the primary and its logs hold`,
    ),
  );
  ok(hive.bytes.length <= primary.length);
  deepStrictEqual(hive.countTree(), { keys: 2, values: 0 });
});

Deno.test("recoverHive applies the same crafted entry with a hive bins size the files can hold", () => {
  const { primary, log } = craft(4096);
  const hive = RegistryHive.open(primary, { logs: [{ name: "X.LOG", bytes: log }] });
  deepStrictEqual(hive.recovery?.recovered, true);
  deepStrictEqual(hive.recovery?.replays.map((r) => [r.log, r.entries, r.lastSequence]), [[
    "X.LOG",
    1,
    4,
  ]]);
});
