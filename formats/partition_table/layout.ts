/**
 * The on-disk layouts of the partition tables: the MBR (and the extended boot
 * records of its logical partitions) and the GPT header and entries, one named
 * constant for every offset and size (UEFI 2.10 section 5; the MBR as the PC
 * BIOS reads it).
 *
 * @module
 */

/** The sector size assumed when nothing says otherwise. */
export const defaultSectorSize = 512;
/** The logical sector sizes probed for a GPT header at LBA 1 (512e and 4Kn disks). */
export const probedSectorSizes: readonly number[] = [512, 4096];

/** The master boot record (also the layout of an extended boot record). */
export const mbrLayout = {
  /** Bytes of the record. */
  size: 512,
  /** The Windows disk signature (u32). */
  diskSignature: 440,
  /** The four 16-byte partition entries. */
  partitionTable: 446,
  entrySize: 16,
  entryCount: 4,
  /** The boot signature: 0x55 then 0xAA. */
  bootSignature: 510,
} as const;

/** The boot signature bytes at {@linkcode mbrLayout}.bootSignature. */
export const bootSignatureBytes: readonly [number, number] = [0x55, 0xaa];

/** One MBR partition entry. */
export const mbrEntryLayout = {
  /** 0x80 active (bootable), 0x00 inactive; anything else is invalid. */
  status: 0,
  /** CHS address of the first sector (3 bytes, ignored: LBA is used). */
  chsFirst: 1,
  /** The partition type byte. */
  type: 4,
  /** CHS address of the last sector (3 bytes, ignored). */
  chsLast: 5,
  /** First sector (u32 LBA; relative for entries of an EBR). */
  lbaStart: 8,
  /** Number of sectors (u32). */
  sectorCount: 12,
} as const;

/** MBR status byte values. */
export const mbrStatus = { inactive: 0x00, active: 0x80 } as const;

/** MBR partition type bytes with a role of their own. */
export const mbrTypes = {
  empty: 0x00,
  /** The protective entry of a GPT disk. */
  gptProtective: 0xee,
  /** Extended partitions (CHS, LBA and Linux extended): their logicals are in an EBR chain. */
  extended: [0x05, 0x0f, 0x85] as readonly number[],
} as const;

/** The GPT header (at LBA 1, its backup at the last LBA). */
export const gptHeaderLayout = {
  /** `EFI PART`, 8 bytes. */
  signature: 0,
  /** u32, 0x00010000 for 1.0. */
  revision: 8,
  /** u32: bytes covered by the header CRC (92 today). */
  headerSize: 12,
  /** u32: CRC32 of the header with this field zeroed. */
  headerCrc: 16,
  /** u32, must be zero. */
  reserved: 20,
  /** u64: this header's LBA. */
  myLba: 24,
  /** u64: the other header's LBA. */
  alternateLba: 32,
  firstUsableLba: 40,
  lastUsableLba: 48,
  /** 16 bytes, mixed-endian GUID. */
  diskGuid: 56,
  /** u64: LBA of the partition entry array. */
  entriesLba: 72,
  /** u32: number of entries in the array. */
  entryCount: 80,
  /** u32: bytes per entry (128 × 2^n). */
  entrySize: 84,
  /** u32: CRC32 of the entry array (entryCount × entrySize bytes). */
  entriesCrc: 88,
  /** The smallest valid header size. */
  minimumSize: 92,
} as const;

/** The signature of a GPT header. */
export const gptSignature = "EFI PART";

/** One GPT partition entry. */
export const gptEntryLayout = {
  typeGuid: 0,
  uniqueGuid: 16,
  firstLba: 32,
  /** Inclusive. */
  lastLba: 40,
  /** u64 attribute bits. */
  attributes: 48,
  /** UTF-16LE name, NUL-padded. */
  name: 56,
  nameBytes: 72,
  /** The smallest valid entry size (and the unit of larger ones). */
  minimumSize: 128,
} as const;

/** Bytes of a GUID (windows/guid.ts). */
export { guidBytes } from "../../windows/guid.ts";

/** The parser's caps: a table that asks for more is cut there, with a problem. */
export const partitionTableLimits = {
  /** Logical partitions followed through an EBR chain. */
  maxLogicalPartitions: 128,
  /** GPT entries read. */
  maxGptEntries: 1024,
  /** Bytes of a GPT entry (128 × 2^n). */
  maxGptEntrySize: 4096,
  /** Bytes of the GPT entry array read. */
  maxGptEntryArrayBytes: 1 << 20,
} as const;
