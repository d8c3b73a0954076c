/**
 * The partition-table parser and its structure check: the MBR with its four
 * primary entries and the EBR chain of an extended partition, or the
 * protective MBR, the GPT header at LBA 1, its entry array and its backup.
 * It reads only through the {@linkcode ByteSource} it is handed, a bounded
 * number of sectors (caps in `layout.ts`), and never throws for bad input:
 * whatever is wrong becomes a {@linkcode StructureProblem}.
 *
 * @module
 */
import type { ByteSource } from "../byte_source.ts";
import { crc32 } from "./crc32.ts";
import { decodeGuid, isZeroGuid } from "../../windows/guid.ts";
import {
  bootSignatureBytes,
  defaultSectorSize,
  gptEntryLayout,
  gptHeaderLayout,
  gptSignature,
  mbrEntryLayout,
  mbrLayout,
  mbrStatus,
  mbrTypes,
  partitionTableLimits,
  probedSectorSizes,
} from "./layout.ts";
import { gptTypeNames, mbrTypeId, mbrTypeNames } from "./partition_types.ts";
import type {
  BootRecord,
  BootRecordKind,
  GptHeader,
  Partition,
  PartitionTable,
  ProblemCode,
  StructureProblem,
} from "./types.ts";

/** Options of {@linkcode parsePartitionTable}. */
export interface PartitionTableOptions {
  /** The logical sector size; by default 512, or 4096 when only that finds a GPT header. */
  readonly sectorSize?: number;
}

/** A boot record being read, its problems still growing. */
interface OpenRecord {
  kind: BootRecordKind;
  lba: number;
  offset: number;
  bytes: Uint8Array;
  partitionNumber?: number;
  problems: ProblemCode[];
}

/** A decoded MBR entry (before its role is known). */
interface MbrEntry {
  readonly index: number;
  readonly status: number;
  readonly type: number;
  readonly lbaStart: number;
  readonly sectorCount: number;
}

/** The parse in progress: what was read and found so far. */
class TableReader {
  readonly records: OpenRecord[] = [];
  readonly problems: StructureProblem[] = [];
  constructor(readonly source: ByteSource, readonly sectorSize: number) {}

  get sectors(): number {
    return Math.floor(this.source.size / this.sectorSize);
  }

  /** Reads `count` sectors at `lba`; short (or empty) where the source ends. */
  async read(lba: number, count: number): Promise<Uint8Array> {
    const offset = lba * this.sectorSize;
    if (!Number.isSafeInteger(offset) || offset >= this.source.size || count <= 0) {
      return new Uint8Array(0);
    }
    const length = Math.min(count * this.sectorSize, this.source.size - offset);
    const bytes = await this.source.read(offset, length);
    // A source may not hand more than asked; a parser never uses more than it asked for.
    return bytes.subarray(0, length);
  }

  async record(kind: BootRecordKind, lba: number, partitionNumber?: number): Promise<OpenRecord> {
    const bytes = await this.read(lba, 1);
    const record: OpenRecord = { kind, lba, offset: lba * this.sectorSize, bytes, problems: [] };
    if (partitionNumber !== undefined) record.partitionNumber = partitionNumber;
    this.records.push(record);
    if (bytes.length < Math.min(this.sectorSize, mbrLayout.size)) {
      this.problem(record, "truncated", `the disk ends inside the ${kind} at LBA ${lba}`);
    }
    return record;
  }

  problem(record: OpenRecord, code: ProblemCode, message: string): void {
    if (!record.problems.includes(code)) record.problems.push(code);
    this.problems.push({ code, message, record: record.kind, lba: record.lba });
  }
}

/** Whether a sector ends with the 0x55AA boot signature. */
export function hasBootSignature(sector: Uint8Array): boolean {
  return sector[mbrLayout.bootSignature] === bootSignatureBytes[0] &&
    sector[mbrLayout.bootSignature + 1] === bootSignatureBytes[1];
}

function u32(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length) return 0;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

/** A u64 as a number; beyond 2^53 it is `Infinity` (no disk is that large). */
function u64(bytes: Uint8Array, offset: number): number {
  if (offset + 8 > bytes.length) return 0;
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .getBigUint64(offset, true);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
}

function mbrEntries(sector: Uint8Array): MbrEntry[] {
  const entries: MbrEntry[] = [];
  for (let index = 0; index < mbrLayout.entryCount; index++) {
    const at = mbrLayout.partitionTable + index * mbrLayout.entrySize;
    if (at + mbrLayout.entrySize > sector.length) break;
    entries.push({
      index,
      status: sector[at + mbrEntryLayout.status]!,
      type: sector[at + mbrEntryLayout.type]!,
      lbaStart: u32(sector, at + mbrEntryLayout.lbaStart),
      sectorCount: u32(sector, at + mbrEntryLayout.sectorCount),
    });
  }
  return entries;
}

function isUsed(entry: MbrEntry): boolean {
  return entry.type !== mbrTypes.empty && entry.sectorCount > 0;
}

function mbrPartition(
  reader: TableReader,
  entry: MbrEntry,
  number: number,
  role: Partition["role"],
  startLba: number,
): Partition {
  const typeName = mbrTypeNames.get(entry.type);
  return {
    number,
    role,
    startLba,
    sectors: entry.sectorCount,
    offset: startLba * reader.sectorSize,
    length: entry.sectorCount * reader.sectorSize,
    typeId: mbrTypeId(entry.type),
    ...(typeName === undefined ? {} : { typeName }),
    bootable: entry.status === mbrStatus.active,
  };
}

/** Follows the EBR chain of the extended partition at `extendedLba`; bounded and loop-safe. */
async function readLogicals(
  reader: TableReader,
  extended: Partition,
  partitions: Partition[],
): Promise<void> {
  const seen = new Set<number>();
  let ebrLba = extended.startLba;
  let number = mbrLayout.entryCount + 1;
  for (;;) {
    if (seen.has(ebrLba)) {
      const last = reader.records[reader.records.length - 1]!;
      reader.problem(last, "ebr-loop", `the EBR chain comes back to LBA ${ebrLba}`);
      return;
    }
    if (number > mbrLayout.entryCount + partitionTableLimits.maxLogicalPartitions) {
      const last = reader.records[reader.records.length - 1]!;
      reader.problem(
        last,
        "ebr-chain-too-long",
        `more than ${partitionTableLimits.maxLogicalPartitions} logical partitions: the rest is not read`,
      );
      return;
    }
    seen.add(ebrLba);
    const record = await reader.record("ebr", ebrLba, number);
    if (record.bytes.length < mbrLayout.size) return;
    if (!hasBootSignature(record.bytes)) {
      reader.problem(record, "no-boot-signature", `the EBR at LBA ${ebrLba} has no 0x55AA`);
      return;
    }
    const [logical, next] = mbrEntries(record.bytes);
    if (logical !== undefined && isUsed(logical)) {
      const partition = mbrPartition(reader, logical, number, "logical", ebrLba + logical.lbaStart);
      partitions.push(partition);
      const end = partition.startLba + partition.sectors;
      if (partition.startLba < extended.startLba || end > extended.startLba + extended.sectors) {
        reader.problem(
          record,
          "logical-outside-extended",
          `logical partition ${number} (LBA ${partition.startLba}+${partition.sectors}) is outside the extended partition`,
        );
      }
      number++;
    }
    if (next === undefined || next.type === mbrTypes.empty || next.lbaStart === 0) return;
    ebrLba = extended.startLba + next.lbaStart;
  }
}

function decodeGptHeader(bytes: Uint8Array, sectorSize: number): GptHeader {
  const headerSize = u32(bytes, gptHeaderLayout.headerSize);
  const headerCrc = u32(bytes, gptHeaderLayout.headerCrc);
  let headerCrcValid = false;
  if (
    headerSize >= gptHeaderLayout.minimumSize && headerSize <= Math.min(sectorSize, bytes.length)
  ) {
    const copy = bytes.slice(0, headerSize);
    copy.fill(0, gptHeaderLayout.headerCrc, gptHeaderLayout.headerCrc + 4);
    headerCrcValid = crc32(copy) === headerCrc;
  }
  return {
    revision: u32(bytes, gptHeaderLayout.revision),
    headerSize,
    headerCrc,
    headerCrcValid,
    myLba: u64(bytes, gptHeaderLayout.myLba),
    alternateLba: u64(bytes, gptHeaderLayout.alternateLba),
    firstUsableLba: u64(bytes, gptHeaderLayout.firstUsableLba),
    lastUsableLba: u64(bytes, gptHeaderLayout.lastUsableLba),
    diskGuid: decodeGuid(bytes, gptHeaderLayout.diskGuid),
    entriesLba: u64(bytes, gptHeaderLayout.entriesLba),
    entryCount: u32(bytes, gptHeaderLayout.entryCount),
    entrySize: u32(bytes, gptHeaderLayout.entrySize),
    entriesCrc: u32(bytes, gptHeaderLayout.entriesCrc),
  };
}

function hasGptSignature(bytes: Uint8Array): boolean {
  if (bytes.length < gptSignature.length) return false;
  for (let i = 0; i < gptSignature.length; i++) {
    if (bytes[gptHeaderLayout.signature + i] !== gptSignature.charCodeAt(i)) return false;
  }
  return true;
}

/** Checks a header's own fields; reports on `record`. Returns whether its entries can be read. */
function checkGptHeader(reader: TableReader, record: OpenRecord, header: GptHeader): boolean {
  const what = record.kind === "gpt-header" ? "GPT header" : "backup GPT header";
  if (header.headerSize < gptHeaderLayout.minimumSize || header.headerSize > reader.sectorSize) {
    reader.problem(record, "gpt-header-size", `${what}: header size ${header.headerSize}`);
  } else if (!header.headerCrcValid) {
    reader.problem(
      record,
      record.kind === "gpt-header" ? "gpt-header-crc" : "gpt-backup-crc",
      `${what}: stored CRC32 0x${header.headerCrc.toString(16)} does not match its bytes`,
    );
  }
  const lastLba = reader.sectors - 1;
  if (
    header.myLba !== record.lba || header.firstUsableLba > header.lastUsableLba ||
    header.lastUsableLba > lastLba
  ) {
    reader.problem(
      record,
      "gpt-header-lba",
      `${what}: my LBA ${header.myLba} (read at ${record.lba}), usable ${header.firstUsableLba}-${header.lastUsableLba} of ${lastLba}`,
    );
  }
  const { entrySize, entryCount } = header;
  const sizeOk = entrySize >= gptEntryLayout.minimumSize &&
    entrySize <= partitionTableLimits.maxGptEntrySize &&
    (entrySize & (entrySize - 1)) === 0;
  const arrayBytes = entrySize * entryCount;
  if (
    !sizeOk || entryCount > partitionTableLimits.maxGptEntries ||
    arrayBytes > partitionTableLimits.maxGptEntryArrayBytes ||
    !Number.isSafeInteger(header.entriesLba)
  ) {
    reader.problem(
      record,
      "gpt-entries-bounds",
      `${what}: ${entryCount} entries of ${entrySize} bytes at LBA ${header.entriesLba} (not read)`,
    );
    return false;
  }
  return true;
}

/** Reads and checks the entry array of `header`; returns the partitions of its used entries. */
async function readGptEntries(
  reader: TableReader,
  record: OpenRecord,
  header: GptHeader,
): Promise<Partition[]> {
  const arrayBytes = header.entrySize * header.entryCount;
  const sectors = Math.ceil(arrayBytes / reader.sectorSize);
  const array = (await reader.read(header.entriesLba, sectors)).subarray(0, arrayBytes);
  if (array.length < arrayBytes) {
    reader.problem(record, "truncated", `the disk ends inside the GPT entry array`);
  } else if (crc32(array) !== header.entriesCrc) {
    reader.problem(
      record,
      "gpt-entries-crc",
      `stored entry-array CRC32 0x${header.entriesCrc.toString(16)} does not match its bytes`,
    );
  }
  const partitions: Partition[] = [];
  const count = Math.floor(array.length / header.entrySize);
  for (let index = 0; index < count; index++) {
    const at = index * header.entrySize;
    if (isZeroGuid(array, at + gptEntryLayout.typeGuid)) continue;
    const firstLba = u64(array, at + gptEntryLayout.firstLba);
    const lastLba = u64(array, at + gptEntryLayout.lastLba);
    const typeId = decodeGuid(array, at + gptEntryLayout.typeGuid);
    const typeName = gptTypeNames.get(typeId);
    const sectorCount = lastLba >= firstLba ? lastLba - firstLba + 1 : 0;
    if (
      lastLba < firstLba || firstLba < header.firstUsableLba || lastLba > header.lastUsableLba
    ) {
      reader.problem(
        record,
        "gpt-entry-range",
        `entry ${
          index + 1
        }: LBA ${firstLba}-${lastLba} outside ${header.firstUsableLba}-${header.lastUsableLba}`,
      );
    }
    const attributes = new DataView(
      array.buffer,
      array.byteOffset + at + gptEntryLayout.attributes,
      8,
    )
      .getBigUint64(0, true);
    partitions.push({
      number: index + 1,
      role: "gpt",
      startLba: firstLba,
      sectors: sectorCount,
      offset: firstLba * reader.sectorSize,
      length: sectorCount * reader.sectorSize,
      typeId,
      ...(typeName === undefined ? {} : { typeName }),
      guid: decodeGuid(array, at + gptEntryLayout.uniqueGuid),
      name: decodeName(
        array.subarray(
          at + gptEntryLayout.name,
          at + gptEntryLayout.name + gptEntryLayout.nameBytes,
        ),
      ),
      attributes: `0x${attributes.toString(16).padStart(16, "0")}`,
    });
  }
  return partitions;
}

function decodeName(bytes: Uint8Array): string {
  let end = 0;
  while (end + 1 < bytes.length && (bytes[end]! | bytes[end + 1]!) !== 0) end += 2;
  return new TextDecoder("utf-16le").decode(bytes.subarray(0, end));
}

/** Compares the backup header with the primary (the fields that must agree). */
function compareBackup(
  reader: TableReader,
  record: OpenRecord,
  primary: GptHeader,
  backup: GptHeader,
) {
  const differences: string[] = [];
  if (backup.myLba !== primary.alternateLba) differences.push("my LBA");
  if (backup.alternateLba !== primary.myLba) differences.push("alternate LBA");
  if (backup.diskGuid !== primary.diskGuid) differences.push("disk GUID");
  if (backup.firstUsableLba !== primary.firstUsableLba) differences.push("first usable LBA");
  if (backup.lastUsableLba !== primary.lastUsableLba) differences.push("last usable LBA");
  if (backup.entryCount !== primary.entryCount) differences.push("entry count");
  if (backup.entrySize !== primary.entrySize) differences.push("entry size");
  if (backup.entriesCrc !== primary.entriesCrc) differences.push("entry-array CRC32");
  if (differences.length > 0) {
    reader.problem(
      record,
      "gpt-backup-mismatch",
      `the backup GPT header differs from the primary: ${differences.join(", ")}`,
    );
  }
}

/** The MBR-side checks: overlaps and partitions past the end of the disk. */
function checkExtent(reader: TableReader, record: OpenRecord, partitions: readonly Partition[]) {
  const data = partitions.filter((partition) => partition.role !== "extended");
  for (const partition of partitions) {
    if (partition.startLba + partition.sectors > reader.sectors) {
      reader.problem(
        record,
        "partition-beyond-disk",
        `partition ${partition.number} ends at LBA ${
          partition.startLba + partition.sectors
        }, past the disk's ${reader.sectors} sectors`,
      );
    }
  }
  const sorted = [...data].sort((a, b) => a.startLba - b.startLba);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!, after = sorted[i]!;
    if (after.startLba < before.startLba + before.sectors) {
      reader.problem(
        record,
        "overlapping-partitions",
        `partitions ${before.number} and ${after.number} overlap at LBA ${after.startLba}`,
      );
    }
  }
}

/** The sector size to parse with: the one given, else the first that finds a GPT header. */
async function chooseSectorSize(
  source: ByteSource,
  options: PartitionTableOptions,
): Promise<number> {
  if (options.sectorSize !== undefined) return options.sectorSize;
  for (const size of probedSectorSizes) {
    if (size * 2 > source.size) break;
    const head = await source.read(size, gptSignature.length);
    if (hasGptSignature(head.subarray(0, gptSignature.length))) return size;
  }
  return defaultSectorSize;
}

/**
 * Parses the partition table of a disk or disk image and checks its
 * structure. Never throws for bad input (a source that throws is the caller's
 * failure, passed on).
 *
 * @example
 * ```ts
 * import { byteSourceFromBytes } from "../byte_source.ts";
 * import { parsePartitionTable } from "./parse.ts";
 * const table = await parsePartitionTable(byteSourceFromBytes(new Uint8Array(4096)));
 * console.log(table.scheme, table.problems[0]?.code); // "none" "no-boot-signature"
 * ```
 */
export async function parsePartitionTable(
  source: ByteSource,
  options: PartitionTableOptions = {},
): Promise<PartitionTable> {
  const sectorSize = await chooseSectorSize(source, options);
  const reader = new TableReader(source, sectorSize);
  const mbr = await reader.record("mbr", 0);
  const result = (
    scheme: PartitionTable["scheme"],
    partitions: Partition[],
    extra: Partial<PartitionTable> = {},
  ): PartitionTable => ({
    diskSize: source.size,
    sectorSize,
    scheme,
    ...extra,
    partitions,
    records: reader.records.map(freeze),
    problems: reader.problems,
  });
  if (mbr.bytes.length < mbrLayout.size) return result("none", []);
  const signed = hasBootSignature(mbr.bytes);
  if (!signed) reader.problem(mbr, "no-boot-signature", "the MBR has no 0x55AA boot signature");
  const entries = mbrEntries(mbr.bytes).filter(isUsed);
  const protective = entries.filter((entry) => entry.type === mbrTypes.gptProtective);
  const headerRecordNeeded = protective.length > 0 ||
    hasGptSignature((await reader.read(1, 1)).subarray(0, gptSignature.length));
  if (headerRecordNeeded) {
    const header = await reader.record("gpt-header", 1);
    if (!hasGptSignature(header.bytes)) {
      reader.problem(
        mbr,
        "gpt-header-missing",
        "a protective MBR, but no EFI PART header at LBA 1",
      );
      reader.records.pop();
      return result("none", [], signed ? { diskSignature: diskSignature(mbr.bytes) } : {});
    }
    if (protective.length === 0) {
      reader.problem(mbr, "protective-mbr-missing", "a GPT disk whose MBR has no 0xEE entry");
    } else if (entries.length > protective.length) {
      reader.problem(mbr, "hybrid-mbr", "the protective MBR lists other partitions beside 0xEE");
    }
    const gpt = decodeGptHeader(header.bytes, sectorSize);
    const readable = checkGptHeader(reader, header, gpt);
    const partitions = readable ? await readGptEntries(reader, header, gpt) : [];
    checkExtent(reader, header, partitions);
    let gptBackup: GptHeader | undefined;
    const backupLba = Number.isSafeInteger(gpt.alternateLba) && gpt.alternateLba > 1
      ? gpt.alternateLba
      : reader.sectors - 1;
    const backupBytes = await reader.read(backupLba, 1);
    if (!hasGptSignature(backupBytes)) {
      reader.problem(header, "gpt-backup-missing", `no backup GPT header at LBA ${backupLba}`);
    } else {
      const backup = await reader.record("gpt-backup-header", backupLba);
      gptBackup = decodeGptHeader(backup.bytes, sectorSize);
      checkGptHeader(reader, backup, gptBackup);
      compareBackup(reader, backup, gpt, gptBackup);
    }
    return result("gpt", partitions, {
      diskGuid: gpt.diskGuid,
      gpt,
      ...(gptBackup === undefined ? {} : { gptBackup }),
    });
  }
  if (!signed) return result("none", []);
  const partitions: Partition[] = [];
  let extended: Partition | undefined;
  for (const entry of entries) {
    if (entry.status !== mbrStatus.active && entry.status !== mbrStatus.inactive) {
      reader.problem(
        mbr,
        "mbr-bad-status",
        `entry ${entry.index + 1}: status 0x${entry.status.toString(16)}`,
      );
    }
    const isExtended = mbrTypes.extended.includes(entry.type);
    const partition = mbrPartition(
      reader,
      entry,
      entry.index + 1,
      isExtended ? "extended" : "primary",
      entry.lbaStart,
    );
    partitions.push(partition);
    if (!isExtended) continue;
    if (extended !== undefined) {
      reader.problem(
        mbr,
        "multiple-extended",
        `entry ${entry.index + 1} is a second extended partition`,
      );
      continue;
    }
    extended = partition;
  }
  if (extended !== undefined) await readLogicals(reader, extended, partitions);
  checkExtent(reader, mbr, partitions);
  return result("mbr", partitions, { diskSignature: diskSignature(mbr.bytes) });
}

function diskSignature(sector: Uint8Array): string {
  return `0x${u32(sector, mbrLayout.diskSignature).toString(16).padStart(8, "0")}`;
}

function freeze(record: OpenRecord): BootRecord {
  return { ...record, problems: [...record.problems] };
}
