/**
 * The Linux volumes: every mount of `/proc/self/mountinfo` (this process's
 * mount namespace), with labels and UUIDs from `/dev/disk/by-label` and
 * `/dev/disk/by-uuid`, and sizes from `statfs(2)` (each bounded in time).
 * Network file systems are not asked for sizes: `statfs` on a share whose
 * server is gone blocks, so their sizes are unevaluated with that reason.
 *
 * `SerialNumber` is the Windows volume serial number: it is read from the
 * UUID of FAT and exFAT (`ABCD-1234`) and NTFS (`0123456789ABCDEF`, its low
 * 32 bits, as Windows shows it) volumes; a Linux file system's UUID is no
 * such number, so it is left unevaluated there.
 *
 * @module
 */
import { readProcText } from "../live/mod.ts";
import type { TableRead, TableSource, TableWarning } from "../net_table/mod.ts";
import { isRemote, linuxDriveType } from "./drive_types.ts";
import { type MountEntry, parseMountInfo } from "./mount_info.ts";
import { libcStatfs, type StatfsCall } from "./linux_statfs.ts";
import type { VolumeRecord } from "./volume_record.ts";

/** The source as skips name it. */
export const linuxVolumeSourceObject = "/proc/self/mountinfo";
/** The most bytes of mountinfo read (a host with thousands of container mounts stays below). */
export const mountInfoCap = 16 * 1024 * 1024;
/** The most links read in one `/dev/disk/by-*` folder. */
const maxDiskLinks = 10_000;

/** What the source reads, as functions (tests give recorded ones). */
export interface LinuxVolumeSystem {
  readonly mountInfo: () => Promise<{ readonly text: string; readonly truncated: boolean }>;
  /** The links of `/dev/disk/by-<kind>`: device path → name. */
  readonly diskNames: (kind: "uuid" | "label") => Map<string, string>;
  readonly statfs?: StatfsCall;
  /** The device a `/dev/…` source leads to (`/dev/mapper/root` is `/dev/dm-0`). */
  readonly resolveDevice?: (source: string) => string | undefined;
}

/** The live system. */
export function liveLinuxVolumeSystem(): LinuxVolumeSystem {
  const statfs = libcStatfs();
  return {
    mountInfo: () => readProcText(linuxVolumeSourceObject, mountInfoCap),
    diskNames: readDiskLinks,
    resolveDevice: (source) => {
      try {
        return source.startsWith("/dev/") ? Deno.realPathSync(source) : undefined;
      } catch {
        return undefined;
      }
    },
    ...(statfs ? { statfs } : {}),
  };
}

/** The Linux volume table. */
export function linuxVolumeSource(
  system: LinuxVolumeSystem = liveLinuxVolumeSystem(),
): TableSource<VolumeRecord> {
  return {
    name: linuxVolumeSourceObject,
    async read(): Promise<TableRead<VolumeRecord>> {
      let info;
      try {
        info = await system.mountInfo();
      } catch (error) {
        return {
          ok: false,
          object: linuxVolumeSourceObject,
          detail: `${linuxVolumeSourceObject} could not be read: ${(error as Error).message}`,
        };
      }
      const parsed = parseMountInfo(info.text);
      const warnings: TableWarning[] = [];
      if (parsed.unparsed > 0) {
        warnings.push({
          code: "mountinfo-line",
          message: `${parsed.unparsed} line(s) of ${linuxVolumeSourceObject} of an unknown shape`,
        });
      }
      const uuids = system.diskNames("uuid");
      const labels = system.diskNames("label");
      const rows: VolumeRecord[] = [];
      for (const mount of parsed.mounts) rows.push(await recordOf(mount, uuids, labels, system));
      return {
        ok: true,
        rows,
        warnings,
        ...(info.truncated
          ? {
            unread: [{
              object: linuxVolumeSourceObject,
              detail: `more than ${mountInfoCap} bytes: the mounts past it are not read`,
            }],
          }
          : {}),
      };
    },
  };
}

async function recordOf(
  mount: MountEntry,
  uuids: ReadonlyMap<string, string>,
  labels: ReadonlyMap<string, string>,
  system: LinuxVolumeSystem,
): Promise<VolumeRecord> {
  const type = linuxDriveType(mount.fileSystem);
  const unread: Record<string, string> = {};
  const device = system.resolveDevice?.(mount.source);
  const uuid = uuids.get(mount.source) ?? (device === undefined ? undefined : uuids.get(device));
  const serialNumber = uuid === undefined ? undefined : serialOfUuid(mount.fileSystem, uuid);
  if (serialNumber === undefined) {
    unread.SerialNumber = uuid === undefined
      ? "the device has no UUID link under /dev/disk/by-uuid"
      : `a ${mount.fileSystem} UUID is not a volume serial number`;
  }
  let sizes: Partial<VolumeRecord> = {};
  const noSizes = (reason: string) => {
    for (
      const field of [
        "TotalSize",
        "FreeSize",
        "TotalAllocationUnits",
        "ActualAvailableAllocationUnits",
      ]
    ) {
      unread[field] = reason;
    }
  };
  if (isRemote(type)) noSizes("a network file system is not asked (its server may not answer)");
  else if (system.statfs === undefined) noSizes("statfs cannot be called here (no 64-bit libc)");
  else {
    const answer = await system.statfs(mount.mountPoint);
    if (answer.ok) {
      sizes = {
        totalSize: answer.sizes.totalBytes,
        freeSize: answer.sizes.freeBytes,
        totalAllocationUnits: answer.sizes.blocks,
        actualAvailableAllocationUnits: answer.sizes.availableBlocks,
      };
    } else noSizes(answer.detail);
  }
  const label = labels.get(mount.source) ?? (device === undefined ? undefined : labels.get(device));
  // Without any label link the labels are unknown here (a container has no /dev/disk).
  if (label === undefined && labels.size === 0) {
    unread.VolumeName = "no /dev/disk/by-label links here: the label is unknown";
  }
  unread.BytesPerSector = "statfs does not give the device's sector size";
  unread.SectorsPerAllocationUnit = "statfs does not give the device's sector size";
  return {
    name: mount.mountPoint,
    devicePath: mount.source,
    type,
    fileSystemName: mount.fileSystem,
    fileSystemFlags: mount.superOptions === ""
      ? mount.options
      : `${mount.options},${mount.superOptions}`,
    ...(label === undefined ? {} : { volumeName: label }),
    ...(serialNumber === undefined ? {} : { serialNumber }),
    ...sizes,
    unread,
  };
}

/**
 * The Windows serial number a UUID spells, for the file systems whose UUID
 * is one: FAT and exFAT `ABCD-1234`, NTFS `0123456789ABCDEF` (its low 32 bits).
 */
export function serialOfUuid(fileSystem: string, uuid: string): number | undefined {
  const type = fileSystem.toLowerCase();
  if (["vfat", "msdos", "fat", "exfat"].includes(type) && /^[0-9a-f]{4}-[0-9a-f]{4}$/i.test(uuid)) {
    return parseInt(uuid.replace("-", ""), 16);
  }
  if ((type === "ntfs" || type === "ntfs3" || type === "fuseblk") && /^[0-9a-f]{16}$/i.test(uuid)) {
    return parseInt(uuid.slice(8), 16);
  }
  return undefined;
}

/** `/dev/disk/by-<kind>`'s links, as device path → name (names unescaped: `\x20` is a space). */
function readDiskLinks(kind: "uuid" | "label"): Map<string, string> {
  const folder = `/dev/disk/by-${kind}`;
  const names = new Map<string, string>();
  try {
    let count = 0;
    for (const entry of Deno.readDirSync(folder)) {
      if (++count > maxDiskLinks) break;
      try {
        const device = Deno.realPathSync(`${folder}/${entry.name}`);
        const name = entry.name.replace(
          /\\x([0-9a-f]{2})/gi,
          (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
        );
        names.set(device, name);
      } catch {
        // A dangling link names no device.
      }
    }
  } catch {
    // No /dev/disk (a container): no labels or UUIDs, said per volume.
  }
  return names;
}
