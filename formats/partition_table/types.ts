/**
 * What the partition-table parser returns: the scheme, the partitions, the
 * boot records it read (with their bytes) and the structure check's problems.
 *
 * @module
 */

/** How the disk is partitioned. */
export type PartitionScheme = "mbr" | "gpt" | "none";

/**
 * Where a partition was found: an MBR primary entry, the extended container,
 * a logical partition of the EBR chain, or a GPT entry.
 */
export type PartitionRole = "primary" | "extended" | "logical" | "gpt";

/** One partition. Offsets and lengths in bytes, LBAs in sectors of the disk's size. */
export interface Partition {
  /** 1-4 primaries, 5 and up logicals (as Linux numbers them); GPT: entry index + 1. */
  readonly number: number;
  readonly role: PartitionRole;
  readonly startLba: number;
  readonly sectors: number;
  /** Byte offset from the start of the disk. */
  readonly offset: number;
  /** Length in bytes. */
  readonly length: number;
  /** The type's code: `0x07` (MBR) or the type GUID (GPT). */
  readonly typeId: string;
  /** The type's name when the table of common types knows it. */
  readonly typeName?: string;
  /** MBR: the active (0x80) flag. */
  readonly bootable?: boolean;
  /** GPT: the partition's own GUID. */
  readonly guid?: string;
  /** GPT: its UTF-16 name. */
  readonly name?: string;
  /** GPT: the attribute bits, `0x…`. */
  readonly attributes?: string;
}

/** The kinds of boot record: sectors that hold boot code or a table. */
export type BootRecordKind = "mbr" | "ebr" | "gpt-header" | "gpt-backup-header" | "vbr";

/**
 * The structure check's stable problem codes (docs/disk.md lists them):
 * - `truncated`: the disk or image ends before a sector the table needs.
 * - `no-boot-signature`: an MBR, EBR, or a FAT/NTFS/EFI volume boot record without 0x55AA.
 * - `mbr-bad-status`: an MBR entry whose status byte is neither 0x00 nor 0x80.
 * - `multiple-extended`: more than one extended partition in the MBR.
 * - `overlapping-partitions`: two partitions share sectors.
 * - `partition-beyond-disk`: a partition ends past the end of the disk.
 * - `logical-outside-extended`: a logical partition outside its extended container.
 * - `ebr-loop`: the EBR chain comes back to a record it already read.
 * - `ebr-chain-too-long`: more logical partitions than the cap (128).
 * - `protective-mbr-missing`: a GPT disk whose MBR has no 0xEE entry.
 * - `hybrid-mbr`: a protective MBR with other partitions beside its 0xEE entry.
 * - `gpt-header-missing`: a protective MBR but no `EFI PART` header at LBA 1.
 * - `gpt-header-size`: a header size below 92 or above the sector.
 * - `gpt-header-crc`: the header's CRC32 does not match.
 * - `gpt-header-lba`: the header's own LBA is not 1, or its usable range is impossible.
 * - `gpt-entries-bounds`: an entry size, count or array place the parser refuses (caps).
 * - `gpt-entries-crc`: the entry array's CRC32 does not match.
 * - `gpt-entry-range`: an entry outside the usable range or ending before it starts.
 * - `gpt-backup-missing`: no valid backup header at the alternate LBA.
 * - `gpt-backup-crc`: the backup header's CRC32 does not match.
 * - `gpt-backup-mismatch`: the backup header disagrees with the primary.
 */
export type ProblemCode =
  | "truncated"
  | "no-boot-signature"
  | "mbr-bad-status"
  | "multiple-extended"
  | "overlapping-partitions"
  | "partition-beyond-disk"
  | "logical-outside-extended"
  | "ebr-loop"
  | "ebr-chain-too-long"
  | "protective-mbr-missing"
  | "hybrid-mbr"
  | "gpt-header-missing"
  | "gpt-header-size"
  | "gpt-header-crc"
  | "gpt-header-lba"
  | "gpt-entries-bounds"
  | "gpt-entries-crc"
  | "gpt-entry-range"
  | "gpt-backup-missing"
  | "gpt-backup-crc"
  | "gpt-backup-mismatch";

/** Every problem code, in the order docs/disk.md lists them. */
export const problemCodes: readonly ProblemCode[] = [
  "truncated",
  "no-boot-signature",
  "mbr-bad-status",
  "multiple-extended",
  "overlapping-partitions",
  "partition-beyond-disk",
  "logical-outside-extended",
  "ebr-loop",
  "ebr-chain-too-long",
  "protective-mbr-missing",
  "hybrid-mbr",
  "gpt-header-missing",
  "gpt-header-size",
  "gpt-header-crc",
  "gpt-header-lba",
  "gpt-entries-bounds",
  "gpt-entries-crc",
  "gpt-entry-range",
  "gpt-backup-missing",
  "gpt-backup-crc",
  "gpt-backup-mismatch",
];

/** One problem the structure check found. */
export interface StructureProblem {
  readonly code: ProblemCode;
  /** What is wrong, for people. */
  readonly message: string;
  /** The boot record the problem belongs to (the one that holds the faulty table or code). */
  readonly record: BootRecordKind;
  /** The LBA of that record. */
  readonly lba: number;
}

/** A sector that holds boot code or a table, as read. */
export interface BootRecord {
  readonly kind: BootRecordKind;
  readonly lba: number;
  /** Byte offset from the start of the disk. */
  readonly offset: number;
  /** The sector's bytes (shorter when the disk ended inside it). */
  readonly bytes: Uint8Array;
  /** The partition whose first sector this is (`vbr`) or whose EBR it is (`ebr`). */
  readonly partitionNumber?: number;
  /** The problem codes of this record, in the order found. */
  readonly problems: readonly ProblemCode[];
}

/** A decoded GPT header. LBAs beyond 2^53 read as `Infinity`. */
export interface GptHeader {
  readonly revision: number;
  readonly headerSize: number;
  readonly headerCrc: number;
  /** Whether the stored CRC matches the header's bytes. */
  readonly headerCrcValid: boolean;
  readonly myLba: number;
  readonly alternateLba: number;
  readonly firstUsableLba: number;
  readonly lastUsableLba: number;
  readonly diskGuid: string;
  readonly entriesLba: number;
  readonly entryCount: number;
  readonly entrySize: number;
  readonly entriesCrc: number;
}

/** The parsed table of one disk. */
export interface PartitionTable {
  /** The disk's size in bytes (the source's). */
  readonly diskSize: number;
  readonly sectorSize: number;
  readonly scheme: PartitionScheme;
  /** MBR: the Windows disk signature, `0x…`. */
  readonly diskSignature?: string;
  /** GPT: the disk GUID. */
  readonly diskGuid?: string;
  /** The partitions, MBR primaries then logicals, or GPT entries in entry order. */
  readonly partitions: readonly Partition[];
  /** The boot records read: MBR, EBRs, GPT header and backup (volume boot records apart). */
  readonly records: readonly BootRecord[];
  /** Every problem found, records' and the table's. */
  readonly problems: readonly StructureProblem[];
  readonly gpt?: GptHeader;
  readonly gptBackup?: GptHeader;
}
