/**
 * The cross-check of the partition table read from the disk with the
 * partitions the operating system reports (Windows' drive layout): a
 * partition one side has and the other has not is worth a warning (a table
 * rewritten behind the system's back, or a driver hiding a partition).
 *
 * @module
 */
import type { PartitionTable } from "../../formats/partition_table/mod.ts";
import { mbrTypes } from "../../formats/partition_table/mod.ts";
import type { OsPartition } from "./disk_source.ts";

const isExtended = (typeId: string) =>
  typeId.startsWith("0x") && mbrTypes.extended.includes(parseInt(typeId.slice(2), 16));

const place = (partition: { offset: number; length: number }) =>
  `${partition.offset}+${partition.length}`;

/**
 * What differs between the table read and the system's partitions (extended
 * containers left out on both sides): one line per partition only one side
 * has; empty when they agree.
 */
export function layoutMismatch(table: PartitionTable, os: readonly OsPartition[]): string[] {
  const read = table.partitions.filter((p) => p.role !== "extended").map(place);
  const reported = os.filter((p) => !isExtended(p.typeId)).map(place);
  return [
    ...read.filter((at) => !reported.includes(at)).map((at) => `on disk, not reported: ${at}`),
    ...reported.filter((at) => !read.includes(at)).map((at) => `reported, not on disk: ${at}`),
  ];
}
