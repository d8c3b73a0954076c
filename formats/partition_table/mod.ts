/**
 * A pure parser of partition tables (MBR with its EBR chain, protective MBR,
 * GPT with its backup header) and their structure check, with the volume boot
 * records of the partitions. No OS access: it reads a {@linkcode ByteSource}
 * the caller hands it, a bounded number of sectors.
 *
 * @module
 */
export type { ByteSource } from "../byte_source.ts";
export { crc32 } from "./crc32.ts";
export { decodeGuid, encodeGuid } from "../../windows/guid.ts";
export * from "./layout.ts";
export { hasBootSignature, parsePartitionTable, type PartitionTableOptions } from "./parse.ts";
export { gptTypeNames, mbrTypeId, mbrTypeNames } from "./partition_types.ts";
export * from "./types.ts";
export { readVolumeBootRecords } from "./volume_boot_records.ts";
