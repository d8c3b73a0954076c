/**
 * Hostile sizes in a hive built with code: a big-data value whose size field
 * claims 2 GB gives what its segments hold, with a warning, and never
 * allocates more than the hive's own size.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { BASE_BLOCK_SIZE } from "./base_block.ts";
import { RegistryHive } from "./hive.ts";
import { buildHive, fixChecksum } from "./hive_builder.ts";

Deno.test("RegistryHive.valueData: a big-data size blasted to 2 GB allocates at most the hive's size", () => {
  const built = buildHive({
    name: "ROOT",
    values: [{ name: "Blob", type: 3, data: new Uint8Array(40_000).fill(7) }],
  });
  const vk = built.valueOffsets.get(":Blob")!;
  new DataView(built.bytes.buffer).setUint32(BASE_BLOCK_SIZE + vk + 4 + 4, 0x7ffff000, true);
  const hive = RegistryHive.open(built.bytes);
  const value = hive.values(hive.rootKey()!)[0]!;
  deepStrictEqual(value.dataSize, 0x7ffff000);
  const data = hive.valueData(value);
  ok(data.buffer.byteLength <= hive.bytes.length, `${data.buffer.byteLength} bytes allocated`);
  ok(data.length >= 40_000 && data.every((byte, i) => i >= 40_000 || byte === 7));
  ok(
    hive.warnings.some((w) =>
      w.code === "bad-value-data" && w.message.includes(`of ${0x7ffff000} bytes`)
    ),
  );
});

Deno.test("RegistryHive.open: a hive cut a few bytes into its last bin's header is read, not thrown on", () => {
  const built = buildHive({ name: "ROOT", subkeys: [{ name: "A" }] }).bytes;
  const view = new DataView(built.buffer);
  const bins = view.getUint32(40, true);
  // The base block declares one more bin; the file holds only its first 6 bytes ("hbin" and 2).
  view.setUint32(40, bins + 4096, true);
  fixChecksum(built);
  const cut = new Uint8Array(built.length + 6);
  cut.set(built);
  cut.set([0x68, 0x62, 0x69, 0x6e, 0, 0], built.length);
  const hive = RegistryHive.open(cut);
  deepStrictEqual(
    hive.warnings.map((w) => w.code),
    ["truncated", "bad-bin"],
  );
  deepStrictEqual(hive.countTree(), { keys: 2, values: 0 });
});
