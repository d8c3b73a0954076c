/**
 * What the disk collector reads: a list of disks, each opened for bounded
 * positioned reads. One interface for every platform (Linux block devices,
 * Windows physical drives, disk images), so the collector is tested on images
 * built by code.
 *
 * @module
 */
import type { ByteSource } from "../../formats/byte_source.ts";
import type { SkipReason } from "../collector.ts";

/** A disk the source found, not yet opened. */
export interface DiskEntry {
  /** `sda`, `\\.\PhysicalDrive0`, or an image's file name. */
  readonly name: string;
  /** `/dev/sda`, `\\.\PhysicalDrive0`, or the image's path: the object's key. */
  readonly devicePath: string;
  /** `fixed`, `removable` or `image`. */
  readonly type: string;
  /** How the disk is attached (`nvme`, `virtio`, `ata`, `usb`…), when known. */
  readonly connection?: string;
  /** The model string the platform reports, when there is one. */
  readonly model?: string;
  /** The logical sector size the platform reports, when it does. */
  readonly sectorSize?: number;
  /**
   * The partitions the operating system reports for this disk (Windows'
   * drive layout), to cross-check with the table read from the disk itself.
   */
  readonly osPartitions?: readonly OsPartition[];
  /** Where objects of this disk were read (a disk image's path), for evidence. */
  readonly evidenceFile?: string;
  /** Opens the disk for reading. */
  open(): Promise<OpenedDisk | DiskRefusal>;
}

/** A partition as the operating system reports it (offsets in bytes). */
export interface OsPartition {
  readonly offset: number;
  readonly length: number;
  /** `0x07` (MBR) or the type GUID (GPT). */
  readonly typeId: string;
}

/** An opened disk: its bytes through a bounded byte source, and how to close it. */
export interface OpenedDisk {
  readonly source: ByteSource;
  close(): void;
}

/** Why a disk could not be opened or read. */
export interface DiskRefusal {
  readonly refused: true;
  readonly reason: SkipReason;
  readonly detail: string;
}

/** The disks of one platform or of the images given, or why there is no list. */
export type DiskList =
  | { readonly ok: true; readonly disks: readonly DiskEntry[] }
  | { readonly ok: false; readonly object: string; readonly detail: string };

/** Lists the disks to read. */
export interface DiskSource {
  /** The source as skips name it (`/sys/block`, `images`…). */
  readonly name: string;
  /** Whether its objects are offline evidence (an image), not the live host. */
  readonly offline: boolean;
  list(): Promise<DiskList>;
}
