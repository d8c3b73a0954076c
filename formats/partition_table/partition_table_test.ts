import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { byteSourceFromBytes } from "../byte_source.ts";
import {
  buildGptImage,
  buildMbrImage,
  gptTypes,
  sampleGptImage,
  sampleMbrImage,
  writeMbrRecord,
} from "./_image_builder.ts";
import { crc32 } from "./crc32.ts";
import { decodeGuid, encodeGuid } from "../../windows/guid.ts";
import { gptHeaderLayout } from "./layout.ts";
import { parsePartitionTable } from "./parse.ts";
import { readVolumeBootRecords } from "./volume_boot_records.ts";

const parse = (bytes: Uint8Array) => parsePartitionTable(byteSourceFromBytes(bytes));
const codes = (table: { problems: readonly { code: string }[] }) =>
  table.problems.map((problem) => problem.code);

Deno.test("crc32: the IEEE check value", () => {
  strictEqual(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

Deno.test("decodeGuid: the mixed-endian GPT form, and back", () => {
  const text = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
  strictEqual(decodeGuid(encodeGuid(text), 0), text);
  deepStrictEqual([...encodeGuid(text).subarray(0, 4)], [0x28, 0x73, 0x2a, 0xc1]);
});

Deno.test("parsePartitionTable: 4 primaries with an extended one holding 3 logicals", async () => {
  const table = await parse(sampleMbrImage());
  strictEqual(table.scheme, "mbr");
  strictEqual(table.diskSignature, "0x1234abcd");
  deepStrictEqual(
    table.partitions.map((p) => [p.number, p.role, p.startLba, p.sectors, p.typeId]),
    [
      [1, "primary", 2048, 1024, "0x07"],
      [2, "primary", 3072, 1024, "0x83"],
      [3, "primary", 4096, 1024, "0x82"],
      [4, "extended", 5120, 3072, "0x05"],
      [5, "logical", 5122, 510, "0x83"],
      [6, "logical", 5634, 1022, "0x07"],
      [7, "logical", 6658, 1024, "0x83"],
    ],
  );
  strictEqual(table.partitions[0]!.bootable, true);
  strictEqual(table.partitions[0]!.offset, 2048 * 512);
  strictEqual(table.partitions[0]!.typeName, "HPFS/NTFS/exFAT");
  deepStrictEqual(table.records.map((r) => [r.kind, r.lba]), [
    ["mbr", 0],
    ["ebr", 5120],
    ["ebr", 5632],
    ["ebr", 6656],
  ]);
  deepStrictEqual(codes(table), []);
  const vbrs = await readVolumeBootRecords(byteSourceFromBytes(sampleMbrImage()), table);
  deepStrictEqual(vbrs.map((r) => [r.partitionNumber, r.lba, r.problems]), [
    [1, 2048, []],
    [2, 3072, []],
    [3, 4096, []],
    [5, 5122, []],
    [6, 5634, []],
    [7, 6658, []],
  ]);
});

Deno.test("parsePartitionTable: a GPT with EFI System, basic data and Linux partitions", async () => {
  const { bytes } = sampleGptImage();
  const table = await parse(bytes);
  strictEqual(table.scheme, "gpt");
  strictEqual(table.diskGuid, "11111111-2222-3333-4444-555555555555");
  deepStrictEqual(
    table.partitions.map((p) => [p.number, p.startLba, p.sectors, p.typeName, p.name]),
    [
      [1, 2048, 2048, "EFI System", "EFI system partition"],
      [2, 4096, 2048, "Microsoft basic data", "Basic data partition"],
      [3, 6144, 1857, "Linux filesystem", "root"],
    ],
  );
  strictEqual(table.partitions[1]!.attributes, "0x8000000000000000");
  strictEqual(table.partitions[2]!.guid, "aaaaaaaa-0000-0000-0000-000000000003");
  deepStrictEqual(table.records.map((r) => [r.kind, r.lba]), [
    ["mbr", 0],
    ["gpt-header", 1],
    ["gpt-backup-header", 8191],
  ]);
  strictEqual(table.gpt?.headerCrcValid, true);
  strictEqual(table.gptBackup?.myLba, 8191);
  deepStrictEqual(codes(table), []);
});

Deno.test("parsePartitionTable: a 4096-byte-sector GPT is found by probing", async () => {
  const { bytes } = buildGptImage({
    sectors: 64,
    sectorSize: 4096,
    diskGuid: "11111111-2222-3333-4444-555555555555",
    entries: [{
      type: gptTypes.linuxFilesystem,
      guid: "aaaaaaaa-0000-0000-0000-000000000001",
      firstLba: 8,
      lastLba: 55,
      name: "data",
    }],
  });
  const table = await parse(bytes);
  strictEqual(table.sectorSize, 4096);
  deepStrictEqual(table.partitions.map((p) => [p.offset, p.length]), [[8 * 4096, 48 * 4096]]);
  deepStrictEqual(codes(table), []);
});

Deno.test("parsePartitionTable: a corrupted GPT header CRC, entries CRC and backup", async () => {
  const { bytes, layout } = sampleGptImage();
  bytes[layout.header + gptHeaderLayout.headerCrc]! ^= 0xff;
  bytes[layout.entries + 56]! ^= 0x01; // a byte of the first entry's name
  const table = await parse(bytes);
  const found = codes(table);
  ok(found.includes("gpt-header-crc"), found.join());
  ok(found.includes("gpt-entries-crc"), found.join());
  deepStrictEqual(table.records.find((r) => r.kind === "gpt-header")?.problems, [
    "gpt-header-crc",
    "gpt-entries-crc",
  ]);
  // Still listed: an analyst wants to see what the damaged table says.
  strictEqual(table.partitions.length, 3);

  const other = sampleGptImage();
  other.bytes[other.layout.backupHeader + gptHeaderLayout.diskGuid]! ^= 0x01;
  // Re-sign the backup so only the mismatch remains.
  const base = other.layout.backupHeader;
  const view = new DataView(other.bytes.buffer);
  view.setUint32(base + gptHeaderLayout.headerCrc, 0, true);
  view.setUint32(
    base + gptHeaderLayout.headerCrc,
    crc32(other.bytes.subarray(base, base + gptHeaderLayout.minimumSize)),
    true,
  );
  deepStrictEqual(codes(await parse(other.bytes)), ["gpt-backup-mismatch"]);

  const noBackup = buildGptImage({
    sectors: 256,
    diskGuid: encodeless(),
    entries: [],
    noBackup: true,
  });
  deepStrictEqual(codes(await parse(noBackup.bytes)), ["gpt-backup-missing"]);

  const noProtective = buildGptImage({
    sectors: 256,
    diskGuid: encodeless(),
    entries: [],
    noProtectiveMbr: true,
  });
  deepStrictEqual(codes(await parse(noProtective.bytes)), [
    "no-boot-signature",
    "protective-mbr-missing",
  ]);
});

function encodeless(): string {
  return "01234567-89ab-cdef-0123-456789abcdef";
}

Deno.test("parsePartitionTable: overlapping entries and partitions past the disk", async () => {
  const image = buildMbrImage({
    sectors: 4096,
    primaries: [
      { type: 0x83, lbaStart: 2048, sectors: 1024 },
      { type: 0x83, lbaStart: 2560, sectors: 1024 },
      { type: 0x07, lbaStart: 3500, sectors: 1000 },
    ],
  });
  const table = await parse(image);
  deepStrictEqual(codes(table), [
    "partition-beyond-disk",
    "overlapping-partitions",
    "overlapping-partitions",
  ]);

  const gpt = buildGptImage({
    sectors: 1024,
    diskGuid: encodeless(),
    entries: [
      { type: gptTypes.basicData, guid: encodeless(), firstLba: 100, lastLba: 400, name: "a" },
      { type: gptTypes.basicData, guid: encodeless(), firstLba: 300, lastLba: 500, name: "b" },
    ],
  });
  deepStrictEqual(codes(await parse(gpt.bytes)), ["overlapping-partitions"]);
});

Deno.test("parsePartitionTable: an EBR chain that loops is cut, once", async () => {
  const image = buildMbrImage({
    sectors: 4096,
    primaries: [{ type: 0x0f, lbaStart: 2048, sectors: 2048 }],
  });
  // Two EBRs pointing at each other.
  writeMbrRecord(image, 2048, [
    { type: 0x83, lbaStart: 2, sectors: 100 },
    { type: 0x05, lbaStart: 512, sectors: 102 },
  ]);
  writeMbrRecord(image, 2560, [
    { type: 0x83, lbaStart: 2, sectors: 100 },
    { type: 0x05, lbaStart: 0 + 1, sectors: 102 },
  ]);
  writeMbrRecord(image, 2049, [
    { type: 0x83, lbaStart: 2, sectors: 10 },
    { type: 0x05, lbaStart: 512, sectors: 102 },
  ]);
  const table = await parse(image);
  ok(codes(table).includes("ebr-loop"), codes(table).join());
  strictEqual(table.partitions.filter((p) => p.role === "logical").length, 3);
  strictEqual(table.records.filter((r) => r.kind === "ebr").length, 3);
});

Deno.test("parsePartitionTable: a chain longer than the cap is cut at 128 logicals", async () => {
  const ebrs = 140;
  const image = buildMbrImage({
    sectors: 2048 + ebrs * 4 + 8,
    primaries: [{ type: 0x05, lbaStart: 2048, sectors: ebrs * 4 }],
    logicals: Array.from({ length: ebrs }, (_, i) => ({
      type: 0x83,
      ebrLba: 2048 + i * 4,
      offset: 1,
      sectors: 3,
    })),
  });
  const table = await parse(image);
  strictEqual(table.partitions.filter((p) => p.role === "logical").length, 128);
  deepStrictEqual(codes(table), ["ebr-chain-too-long"]);
});

Deno.test("parsePartitionTable: truncated images and no table at all", async () => {
  const sample = sampleMbrImage();
  deepStrictEqual(codes(await parse(sample.subarray(0, 300))), ["truncated"]);
  const cut = await parse(sample.subarray(0, 5632 * 512 + 100));
  ok(codes(cut).includes("truncated"), codes(cut).join());
  ok(codes(cut).includes("partition-beyond-disk"), codes(cut).join());
  const gptCut = await parse(sampleGptImage().bytes.subarray(0, 1024 + 1000));
  ok(codes(gptCut).includes("truncated"), codes(gptCut).join());
  const blank = await parse(new Uint8Array(8192));
  strictEqual(blank.scheme, "none");
  deepStrictEqual(codes(blank), ["no-boot-signature"]);
  const empty = await parse(new Uint8Array(0));
  deepStrictEqual(codes(empty), ["truncated"]);
});

Deno.test("parsePartitionTable: never reads more than its source gives, nor past asked ranges", async () => {
  const bytes = sampleGptImage().bytes;
  let largest = 0;
  let reads = 0;
  const table = await parsePartitionTable({
    size: bytes.length,
    read(offset, length) {
      reads++;
      largest = Math.max(largest, length);
      ok(offset >= 0 && offset + length <= bytes.length, `${offset}+${length}`);
      return Promise.resolve(bytes.slice(offset, offset + length));
    },
  });
  strictEqual(table.partitions.length, 3);
  ok(largest <= 128 * 128, String(largest));
  ok(reads < 10, String(reads));
});

Deno.test("readVolumeBootRecords: a FAT/NTFS/EFI partition without 0x55AA is a problem, ext4 is not", async () => {
  const { bytes } = sampleGptImage();
  bytes.fill(0, 2048 * 512, 2049 * 512); // the EFI System partition's boot sector wiped
  bytes.fill(0, 6144 * 512, 6145 * 512); // the Linux one's: no boot sector expected
  const source = byteSourceFromBytes(bytes);
  const vbrs = await readVolumeBootRecords(source, await parsePartitionTable(source));
  deepStrictEqual(vbrs.map((r) => [r.partitionNumber, r.problems]), [
    [1, ["no-boot-signature"]],
    [2, []],
    [3, []],
  ]);
});
