/**
 * The Windows volumes as records, from the answers of the volume APIs
 * behind one interface ({@linkcode WindowsVolumeApi}), so the logic is
 * tested on recorded answers: every volume `FindFirstVolumeW` lists, named
 * by its first mount path (`C:\`, or a folder it is mounted on) or else its
 * `\\?\Volume{…}\` name, then every drive letter of
 * `GetLogicalDriveStringsW` that no volume holds (mapped network drives,
 * `subst` drives), classified by `GetDriveTypeW`. A mapped drive's
 * `DevicePath` is the share it names (`WNetGetConnectionW`).
 *
 * @module
 */
import { driveTypeName } from "./drive_types.ts";
import type { VolumeRecord } from "./volume_record.ts";
import { fileSystemFlagsText } from "../../windows/layouts/volume.ts";

/** `GetVolumeInformationW`'s answer. */
export interface VolumeInformation {
  readonly label: string;
  readonly serialNumber: number;
  readonly flags: number;
  readonly fileSystem: string;
}

/** `GetDiskFreeSpaceW`'s geometry and `GetDiskFreeSpaceExW`'s byte counts. */
export interface VolumeSpace {
  readonly sectorsPerCluster?: number;
  readonly bytesPerSector?: number;
  readonly freeClusters?: number;
  readonly totalClusters?: number;
  readonly totalBytes?: number;
  /** Free to the caller (quotas applied). */
  readonly freeBytes?: number;
}

/** An API call's answer, or why there is none. */
export type ApiAnswer<T> = { readonly ok: true; readonly value: T } | {
  readonly ok: false;
  readonly detail: string;
};

/** The volume APIs, as the source calls them (the FFI, or recorded answers in tests). */
export interface WindowsVolumeApi {
  /** `GetLogicalDriveStringsW`: `C:\`, `D:\`… */
  logicalDrives(): ApiAnswer<string[]>;
  /** `FindFirstVolumeW`/`FindNextVolumeW`: `\\?\Volume{…}\`. */
  volumes(): ApiAnswer<string[]>;
  /** `GetVolumePathNamesForVolumeNameW`: where a volume is mounted. */
  mountPaths(volume: string): ApiAnswer<string[]>;
  /** `GetDriveTypeW` of a root. */
  driveType(root: string): number;
  /** `GetVolumeInformationW` of a root (bounded in time: a dead share does not hang it). */
  information(root: string): Promise<ApiAnswer<VolumeInformation>>;
  /** `GetDiskFreeSpaceW` and `GetDiskFreeSpaceExW` of a root (bounded in time). */
  space(root: string): Promise<ApiAnswer<VolumeSpace>>;
  /** `QueryDosDeviceW` of `C:` or `Volume{…}`: `\Device\HarddiskVolume3`. */
  dosDevice(name: string): ApiAnswer<string>;
  /** `WNetGetConnectionW` of `Z:`: `\\server\share`. */
  remoteName(drive: string): ApiAnswer<string>;
}

const driveRemote = 4;

/** The records of every volume and drive letter; what an API did not answer is unevaluated. */
export async function windowsVolumeRecords(
  api: WindowsVolumeApi,
): Promise<{ readonly records: VolumeRecord[]; readonly problems: string[] }> {
  const records: VolumeRecord[] = [];
  const problems: string[] = [];
  const drivesHeld = new Set<string>();
  const volumes = api.volumes();
  if (!volumes.ok) problems.push(`FindFirstVolumeW: ${volumes.detail}`);
  for (const volume of volumes.ok ? volumes.value : []) {
    const paths = api.mountPaths(volume);
    const mounted = paths.ok ? paths.value : [];
    const letter = mounted.find((path) => /^[A-Za-z]:\\$/.test(path));
    if (letter) drivesHeld.add(letter.toUpperCase());
    const root = mounted[0] ?? volume;
    const guid = /\\\\\?\\(Volume\{[^}]+\})\\?$/.exec(volume)?.[1];
    const device = guid === undefined ? undefined : api.dosDevice(guid);
    records.push(
      await recordOf(api, root, {
        ...(letter ? { driveLetter: letter.slice(0, 2).toUpperCase() } : {}),
        ...(device?.ok ? { devicePath: device.value } : {}),
      }),
    );
  }
  const drives = api.logicalDrives();
  if (!drives.ok) problems.push(`GetLogicalDriveStringsW: ${drives.detail}`);
  for (const drive of drives.ok ? drives.value : []) {
    if (drivesHeld.has(drive.toUpperCase())) continue;
    const letter = drive.slice(0, 2).toUpperCase();
    const remote = api.driveType(drive) === driveRemote ? api.remoteName(letter) : undefined;
    const device = remote?.ok ? remote : api.dosDevice(letter);
    records.push(
      await recordOf(api, drive, {
        driveLetter: letter,
        ...(device.ok ? { devicePath: device.value } : {}),
      }),
    );
  }
  return { records, problems };
}

async function recordOf(
  api: WindowsVolumeApi,
  root: string,
  known: { readonly driveLetter?: string; readonly devicePath?: string },
): Promise<VolumeRecord> {
  const unread: Record<string, string> = {};
  const type = driveTypeName(api.driveType(root));
  const information = await api.information(root);
  if (!information.ok) {
    for (const field of ["VolumeName", "SerialNumber", "FileSystemName", "FileSystemFlags"]) {
      unread[field] = `GetVolumeInformationW: ${information.detail}`;
    }
  }
  const space = await api.space(root);
  const sizes = space.ok ? space.value : {};
  const sizeFields: readonly (readonly [keyof VolumeSpace, string])[] = [
    ["totalBytes", "TotalSize"],
    ["freeBytes", "FreeSize"],
    ["bytesPerSector", "BytesPerSector"],
    ["sectorsPerCluster", "SectorsPerAllocationUnit"],
    ["totalClusters", "TotalAllocationUnits"],
    ["freeClusters", "ActualAvailableAllocationUnits"],
  ];
  for (const [property, field] of sizeFields) {
    if (sizes[property] === undefined) {
      unread[field] = space.ok ? "the volume did not say" : `GetDiskFreeSpaceW: ${space.detail}`;
    }
  }
  if (known.devicePath === undefined) unread.DevicePath = "QueryDosDeviceW did not answer";
  const info = information.ok ? information.value : undefined;
  return {
    name: root,
    type,
    ...known,
    ...(info === undefined ? {} : {
      ...(info.label === "" ? {} : { volumeName: info.label }),
      serialNumber: info.serialNumber,
      fileSystemName: info.fileSystem,
      fileSystemFlags: fileSystemFlagsText(info.flags),
    }),
    ...(sizes.totalBytes === undefined ? {} : { totalSize: sizes.totalBytes }),
    ...(sizes.freeBytes === undefined ? {} : { freeSize: sizes.freeBytes }),
    ...(sizes.bytesPerSector === undefined ? {} : { bytesPerSector: sizes.bytesPerSector }),
    ...(sizes.sectorsPerCluster === undefined
      ? {}
      : { sectorsPerAllocationUnit: sizes.sectorsPerCluster }),
    ...(sizes.totalClusters === undefined ? {} : { totalAllocationUnits: sizes.totalClusters }),
    ...(sizes.freeClusters === undefined
      ? {}
      : { actualAvailableAllocationUnits: sizes.freeClusters }),
    unread,
  };
}
