/**
 * The volume boot records: the first sector of each partition, read through
 * the same source as the table, with the one structure check that applies to
 * every file system that has a boot sector (FAT, NTFS, exFAT, the EFI System
 * partition): the 0x55AA signature.
 *
 * @module
 */
import type { ByteSource } from "../byte_source.ts";
import { mbrLayout } from "./layout.ts";
import { hasBootSignature } from "./parse.ts";
import { bootSectorGptTypes, bootSectorMbrTypes } from "./partition_types.ts";
import type { BootRecord, PartitionTable, ProblemCode } from "./types.ts";

/** Whether a partition's type has a boot sector of its own. */
function expectsBootSector(typeId: string): boolean {
  if (typeId.startsWith("0x")) return bootSectorMbrTypes.has(parseInt(typeId.slice(2), 16));
  return bootSectorGptTypes.has(typeId);
}

/**
 * Reads the first sector of every partition of `table` that starts inside the
 * disk (not the extended container: its first sector is the first EBR, already
 * among `table.records`). One sector each, so at most one read per partition.
 *
 * @example
 * ```ts
 * import { byteSourceFromBytes } from "../byte_source.ts";
 * import { parsePartitionTable } from "./parse.ts";
 * import { readVolumeBootRecords } from "./volume_boot_records.ts";
 * const source = byteSourceFromBytes(new Uint8Array(4096));
 * const records = await readVolumeBootRecords(source, await parsePartitionTable(source));
 * console.log(records.length); // 0: no partitions
 * ```
 */
export async function readVolumeBootRecords(
  source: ByteSource,
  table: PartitionTable,
): Promise<BootRecord[]> {
  const records: BootRecord[] = [];
  for (const partition of table.partitions) {
    if (partition.role === "extended") continue;
    const offset = partition.offset;
    if (!Number.isSafeInteger(offset) || offset >= source.size) continue;
    const length = Math.min(table.sectorSize, source.size - offset);
    const bytes = (await source.read(offset, length)).subarray(0, length);
    const problems: ProblemCode[] = [];
    if (bytes.length < Math.min(table.sectorSize, mbrLayout.size)) problems.push("truncated");
    else if (expectsBootSector(partition.typeId) && !hasBootSignature(bytes)) {
      problems.push("no-boot-signature");
    }
    records.push({
      kind: "vbr",
      lba: partition.startLba,
      offset,
      bytes,
      partitionNumber: partition.number,
      problems,
    });
  }
  return records;
}
