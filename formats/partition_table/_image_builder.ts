/**
 * Builds disk images with code for the partition-table tests, the collector's
 * tests and the mutation suite: an MBR with primaries and an EBR chain, or a
 * protective MBR with a GPT (primary and backup) whose CRCs are computed.
 * Test helper: production code never imports it.
 *
 * @module
 */
import { crc32 } from "./crc32.ts";
import { encodeGuid } from "../../windows/guid.ts";
import {
  bootSignatureBytes,
  gptEntryLayout,
  gptHeaderLayout,
  gptSignature,
  mbrEntryLayout,
  mbrLayout,
  mbrTypes,
} from "./layout.ts";

/** One MBR entry to write (LBA relative as the record needs it). */
export interface MbrEntrySpec {
  readonly type: number;
  readonly lbaStart: number;
  readonly sectors: number;
  readonly status?: number;
}

/** Writes a boot-record sector (MBR or EBR) at `lba`. */
export function writeMbrRecord(
  image: Uint8Array,
  lba: number,
  entries: readonly MbrEntrySpec[],
  options: { signature?: boolean; diskSignature?: number; sectorSize?: number } = {},
): void {
  const base = lba * (options.sectorSize ?? 512);
  const view = new DataView(image.buffer, image.byteOffset);
  if (options.diskSignature !== undefined) {
    view.setUint32(base + mbrLayout.diskSignature, options.diskSignature, true);
  }
  entries.forEach((entry, index) => {
    const at = base + mbrLayout.partitionTable + index * mbrLayout.entrySize;
    image[at + mbrEntryLayout.status] = entry.status ?? 0;
    image[at + mbrEntryLayout.type] = entry.type;
    view.setUint32(at + mbrEntryLayout.lbaStart, entry.lbaStart, true);
    view.setUint32(at + mbrEntryLayout.sectorCount, entry.sectors, true);
  });
  if (options.signature ?? true) {
    image[base + mbrLayout.bootSignature] = bootSignatureBytes[0];
    image[base + mbrLayout.bootSignature + 1] = bootSignatureBytes[1];
  }
}

/** A logical partition of an MBR image: start relative to its EBR, and length. */
export interface LogicalSpec {
  readonly type: number;
  /** Where its EBR sits, absolute. */
  readonly ebrLba: number;
  /** Its first sector, relative to its EBR. */
  readonly offset: number;
  readonly sectors: number;
}

/** An MBR image: primaries, and an extended partition with its logicals chained by EBRs. */
export interface MbrImageSpec {
  readonly sectors: number;
  readonly primaries: readonly MbrEntrySpec[];
  readonly logicals?: readonly LogicalSpec[];
  readonly diskSignature?: number;
}

/**
 * Builds an MBR image. The extended partition is the primary with type 0x05,
 * 0x0F or 0x85; the logicals' EBRs are chained in the order given.
 */
export function buildMbrImage(spec: MbrImageSpec): Uint8Array {
  const image = new Uint8Array(spec.sectors * 512);
  writeMbrRecord(image, 0, spec.primaries, { diskSignature: spec.diskSignature ?? 0x1234abcd });
  const extended = spec.primaries.find((entry) => mbrTypes.extended.includes(entry.type));
  const logicals = spec.logicals ?? [];
  logicals.forEach((logical, index) => {
    const next = logicals[index + 1];
    const entries: MbrEntrySpec[] = [{
      type: logical.type,
      lbaStart: logical.offset,
      sectors: logical.sectors,
    }];
    if (next !== undefined && extended !== undefined) {
      entries.push({
        type: 0x05,
        lbaStart: next.ebrLba - extended.lbaStart,
        sectors: next.offset + next.sectors,
      });
    }
    writeMbrRecord(image, logical.ebrLba, entries);
  });
  // A boot sector at the start of every FAT/NTFS-like partition, so volume boot records are signed.
  for (const entry of spec.primaries) markBootSector(image, entry.lbaStart * 512, entry.type);
  for (const logical of logicals) {
    markBootSector(image, (logical.ebrLba + logical.offset) * 512, logical.type);
  }
  return image;
}

function markBootSector(image: Uint8Array, offset: number, type: number): void {
  if (mbrTypes.extended.includes(type) || offset + 512 > image.length) return;
  image[offset] = 0xeb;
  image[offset + 1] = 0x52;
  image[offset + 2] = 0x90;
  image.set(new TextEncoder().encode("NTFS    "), offset + 3);
  image[offset + mbrLayout.bootSignature] = bootSignatureBytes[0];
  image[offset + mbrLayout.bootSignature + 1] = bootSignatureBytes[1];
}

/** One GPT entry to write. */
export interface GptEntrySpec {
  readonly type: string;
  readonly guid: string;
  readonly firstLba: number;
  readonly lastLba: number;
  readonly name: string;
  readonly attributes?: bigint;
}

/** A GPT image. */
export interface GptImageSpec {
  readonly sectors: number;
  readonly sectorSize?: number;
  readonly diskGuid: string;
  readonly entries: readonly GptEntrySpec[];
  /** Entries in the array (default 128). */
  readonly entryCount?: number;
  /** Leave out the backup header. */
  readonly noBackup?: boolean;
  /** Leave out the protective MBR. */
  readonly noProtectiveMbr?: boolean;
}

/** The byte offsets of a built GPT image's parts, for tests that corrupt them. */
export interface GptImageLayout {
  readonly header: number;
  readonly entries: number;
  readonly backupHeader: number;
  readonly sectorSize: number;
}

/** Builds a GPT image: protective MBR, header at LBA 1, entries at LBA 2, backup at the end. */
export function buildGptImage(spec: GptImageSpec): { bytes: Uint8Array; layout: GptImageLayout } {
  const sectorSize = spec.sectorSize ?? 512;
  const image = new Uint8Array(spec.sectors * sectorSize);
  const entryCount = spec.entryCount ?? 128;
  const entrySize = gptEntryLayout.minimumSize;
  const arraySectors = Math.ceil(entryCount * entrySize / sectorSize);
  const lastLba = spec.sectors - 1;
  const firstUsable = 2 + arraySectors;
  const lastUsable = lastLba - arraySectors - 1;
  if (!spec.noProtectiveMbr) {
    writeMbrRecord(image, 0, [{
      type: mbrTypes.gptProtective,
      lbaStart: 1,
      sectors: Math.min(lastLba, 0xffffffff),
    }], { sectorSize });
  }
  const array = new Uint8Array(entryCount * entrySize);
  const arrayView = new DataView(array.buffer);
  spec.entries.forEach((entry, index) => {
    const at = index * entrySize;
    array.set(encodeGuid(entry.type), at + gptEntryLayout.typeGuid);
    array.set(encodeGuid(entry.guid), at + gptEntryLayout.uniqueGuid);
    arrayView.setBigUint64(at + gptEntryLayout.firstLba, BigInt(entry.firstLba), true);
    arrayView.setBigUint64(at + gptEntryLayout.lastLba, BigInt(entry.lastLba), true);
    arrayView.setBigUint64(at + gptEntryLayout.attributes, entry.attributes ?? 0n, true);
    for (let i = 0; i < entry.name.length && i < gptEntryLayout.nameBytes / 2; i++) {
      arrayView.setUint16(at + gptEntryLayout.name + i * 2, entry.name.charCodeAt(i), true);
    }
    if (entry.firstLba * sectorSize + sectorSize <= image.length) {
      markBootSector(image, entry.firstLba * sectorSize, 0x07);
    }
  });
  const entriesCrc = crc32(array);
  const writeHeader = (myLba: number, alternateLba: number, entriesLba: number) => {
    const base = myLba * sectorSize;
    const view = new DataView(image.buffer, image.byteOffset);
    image.set(new TextEncoder().encode(gptSignature), base + gptHeaderLayout.signature);
    view.setUint32(base + gptHeaderLayout.revision, 0x00010000, true);
    view.setUint32(base + gptHeaderLayout.headerSize, gptHeaderLayout.minimumSize, true);
    view.setBigUint64(base + gptHeaderLayout.myLba, BigInt(myLba), true);
    view.setBigUint64(base + gptHeaderLayout.alternateLba, BigInt(alternateLba), true);
    view.setBigUint64(base + gptHeaderLayout.firstUsableLba, BigInt(firstUsable), true);
    view.setBigUint64(base + gptHeaderLayout.lastUsableLba, BigInt(lastUsable), true);
    image.set(encodeGuid(spec.diskGuid), base + gptHeaderLayout.diskGuid);
    view.setBigUint64(base + gptHeaderLayout.entriesLba, BigInt(entriesLba), true);
    view.setUint32(base + gptHeaderLayout.entryCount, entryCount, true);
    view.setUint32(base + gptHeaderLayout.entrySize, entrySize, true);
    view.setUint32(base + gptHeaderLayout.entriesCrc, entriesCrc, true);
    view.setUint32(
      base + gptHeaderLayout.headerCrc,
      crc32(image.subarray(base, base + gptHeaderLayout.minimumSize)),
      true,
    );
    image.set(array, entriesLba * sectorSize);
  };
  writeHeader(1, lastLba, 2);
  if (!spec.noBackup) writeHeader(lastLba, 1, lastLba - arraySectors);
  return {
    bytes: image,
    layout: {
      header: sectorSize,
      entries: 2 * sectorSize,
      backupHeader: lastLba * sectorSize,
      sectorSize,
    },
  };
}

/** Well-known GPT type GUIDs for tests. */
export const gptTypes = {
  efiSystem: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
  basicData: "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7",
  linuxFilesystem: "0fc63daf-8483-4772-8e79-3d69d8477de4",
} as const;

/** A GPT image with EFI System, Microsoft basic data and Linux partitions (4 MiB). */
export function sampleGptImage(): { bytes: Uint8Array; layout: GptImageLayout } {
  return buildGptImage({
    sectors: 8192,
    diskGuid: "11111111-2222-3333-4444-555555555555",
    entries: [
      {
        type: gptTypes.efiSystem,
        guid: "aaaaaaaa-0000-0000-0000-000000000001",
        firstLba: 2048,
        lastLba: 4095,
        name: "EFI system partition",
      },
      {
        type: gptTypes.basicData,
        guid: "aaaaaaaa-0000-0000-0000-000000000002",
        firstLba: 4096,
        lastLba: 6143,
        name: "Basic data partition",
        attributes: 0x8000000000000000n,
      },
      {
        type: gptTypes.linuxFilesystem,
        guid: "aaaaaaaa-0000-0000-0000-000000000003",
        firstLba: 6144,
        lastLba: 8000,
        name: "root",
      },
    ],
  });
}

/** An MBR image with 4 primaries (the 4th extended) and 3 logical partitions (4 MiB). */
export function sampleMbrImage(): Uint8Array {
  return buildMbrImage({
    sectors: 8192,
    primaries: [
      { type: 0x07, lbaStart: 2048, sectors: 1024, status: 0x80 },
      { type: 0x83, lbaStart: 3072, sectors: 1024 },
      { type: 0x82, lbaStart: 4096, sectors: 1024 },
      { type: 0x05, lbaStart: 5120, sectors: 3072 },
    ],
    logicals: [
      { type: 0x83, ebrLba: 5120, offset: 2, sectors: 510 },
      { type: 0x07, ebrLba: 5632, offset: 2, sectors: 1022 },
      { type: 0x83, ebrLba: 6656, offset: 2, sectors: 1024 },
    ],
  });
}
