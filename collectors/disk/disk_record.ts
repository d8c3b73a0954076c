/**
 * One disk read: its partition table and boot records, as a `DiskItem`
 * object. The boot records (MBR, EBRs, GPT headers, volume boot records) are
 * hashed here (MD5, SHA-1, SHA-256 of the sector bytes) with the structure
 * check's problems (docs/disk.md).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { FieldValue, ObservedItem, Provenance } from "../../contracts/observed_item.ts";
import type { BootRecord, Partition, PartitionTable } from "../../formats/partition_table/mod.ts";
import type { DiskEntry } from "./disk_source.ts";

/** The document the disk collector produces. */
export const diskDocument = "DiskItem";

/** What was read of one disk. */
export interface DiskReading {
  readonly entry: DiskEntry;
  /** The disk's size in bytes. */
  readonly size: number;
  readonly table: PartitionTable;
  /** The volume boot records (first sector of each partition). */
  readonly volumeBootRecords: readonly BootRecord[];
}

const digest = (algorithm: string, bytes: Uint8Array) =>
  createHash(algorithm).update(bytes).digest("hex");

function partitionFields(partition: Partition): Record<string, FieldValue> {
  return {
    PartitionNumber: partition.number,
    PartitionOffset: partition.offset,
    PartitionLength: partition.length,
    PartitionType: partition.typeName ?? partition.typeId,
    PartitionTypeId: partition.typeId,
    PartitionRole: partition.role,
    ...(partition.bootable === undefined ? {} : { Bootable: partition.bootable }),
    ...(partition.guid === undefined ? {} : { PartitionGuid: partition.guid }),
    ...(partition.name === undefined ? {} : { PartitionName: partition.name }),
  };
}

/** The fields of one boot record: where it is, its hashes, its problems. */
export function bootRecordFields(record: BootRecord): Record<string, FieldValue> {
  return {
    Kind: record.kind,
    Offset: record.offset,
    Size: record.bytes.length,
    ...(record.partitionNumber === undefined ? {} : { PartitionNumber: record.partitionNumber }),
    Md5sum: digest("md5", record.bytes),
    Sha1sum: digest("sha1", record.bytes),
    Sha256sum: digest("sha256", record.bytes),
    Problem: [...record.problems],
  };
}

/** The DiskItem of one disk read. */
export function toDiskItem(reading: DiskReading, provenance: Provenance): ObservedItem {
  const { entry, table } = reading;
  const records = [...table.records, ...reading.volumeBootRecords];
  return {
    document: diskDocument,
    key: entry.devicePath,
    fields: {
      DiskName: entry.name,
      DevicePath: entry.devicePath,
      DiskSize: reading.size,
      Type: entry.type,
      ...(entry.connection === undefined ? {} : { DiskConnection: entry.connection }),
      ...(entry.model === undefined ? {} : { Model: entry.model }),
      SectorSize: table.sectorSize,
      PartitionScheme: table.scheme,
      ...(table.diskSignature === undefined ? {} : { DiskSignature: table.diskSignature }),
      ...(table.diskGuid === undefined ? {} : { DiskGuid: table.diskGuid }),
      PartitionList: { Partition: table.partitions.map(partitionFields) },
      BootRecordList: { BootRecord: records.map(bootRecordFields) },
    },
    provenance,
  };
}
