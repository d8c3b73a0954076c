/**
 * One volume as every source gives it, and the `VolumeItem` object made of
 * it. What a source could not tell is `unevaluated` on the object with the
 * reason, never left out silently.
 *
 * @module
 */
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import type { Observation } from "../net_table/mod.ts";
import type { DriveType } from "./drive_types.ts";

/** The OpenIOC document of volumes. */
export const volumeDocument = "VolumeItem";

/** One volume. */
export interface VolumeRecord {
  /** The mount point (`/`, `/mnt/share`) or the drive's root (`C:\`). */
  readonly name: string;
  /** `/dev/sda1`, `server:/export`; `\Device\HarddiskVolume3` on Windows. */
  readonly devicePath?: string;
  /** `C:` on Windows. */
  readonly driveLetter?: string;
  readonly type: DriveType;
  /** The volume label. */
  readonly volumeName?: string;
  readonly serialNumber?: number;
  readonly fileSystemName?: string;
  readonly fileSystemFlags?: string;
  readonly totalSize?: number;
  readonly freeSize?: number;
  readonly bytesPerSector?: number;
  readonly sectorsPerAllocationUnit?: number;
  readonly totalAllocationUnits?: number;
  readonly actualAvailableAllocationUnits?: number;
  /** Why fields a source has no value for are unknown (`TotalSize`: `…`). */
  readonly unread?: Readonly<Record<string, string>>;
}

/** The record's fields in the catalogue's spelling, by record property. */
const fieldNames = {
  devicePath: "DevicePath",
  driveLetter: "DriveLetter",
  volumeName: "VolumeName",
  serialNumber: "SerialNumber",
  fileSystemName: "FileSystemName",
  fileSystemFlags: "FileSystemFlags",
  totalSize: "TotalSize",
  freeSize: "FreeSize",
  bytesPerSector: "BytesPerSector",
  sectorsPerAllocationUnit: "SectorsPerAllocationUnit",
  totalAllocationUnits: "TotalAllocationUnits",
  actualAvailableAllocationUnits: "ActualAvailableAllocationUnits",
} as const;

/** The object of one volume; its key is the mount point or drive root. */
export function toVolumeItem(record: VolumeRecord, observation: Observation): ObservedItem {
  const fields: Record<string, string | number | boolean> = {
    Name: record.name,
    Type: record.type,
    IsMounted: true,
  };
  for (const [property, field] of Object.entries(fieldNames)) {
    const value = record[property as keyof typeof fieldNames];
    if (value !== undefined) fields[field] = value;
  }
  const unread = record.unread ?? {};
  return {
    document: volumeDocument,
    key: record.name,
    fields,
    provenance: { time: observation.time, computer: observation.computer },
    ...(Object.keys(unread).length > 0 ? { unevaluated: { ...unread } as Unevaluated } : {}),
  };
}
