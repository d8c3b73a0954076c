/**
 * The fixed disks of a Linux host: `/sys/block/*` (not removable, not loop,
 * RAM, zram, device-mapper, optical or floppy devices unless asked, never a
 * hidden one: an NVMe multipath controller path has no `/dev` node), with
 * their size, model, sector size and how they are attached (the `device`
 * link's path), each read from `/dev/<disk>` as a block device with bounded
 * positioned reads (a device that is not a block device is never read).
 *
 * Deno refuses `/sys` and `/dev` without every permission: the collector runs
 * with the `engine` set, and its live tests read the host through a child.
 *
 * @module
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { evidenceRefusal } from "../evidence_file.ts";
import { boundedByteSource } from "./byte_source_of.ts";
import type { DiskEntry, DiskRefusal, DiskSource, OpenedDisk } from "./disk_source.ts";

/** The sector unit of `/sys/block/<disk>/size`, whatever the disk's own sector size. */
const sysfsSizeUnit = 512;
/** The most bytes read of one sysfs attribute. */
const maxAttributeBytes = 4096;

/** Block devices that are not disks with a partition table of their own. */
const virtualDevicePrefixes: readonly string[] = [
  "loop",
  "ram",
  "zram",
  "dm-",
  "md",
  "sr",
  "fd",
  "nbd",
];

/** How a disk is attached, from the path its `/sys/block` entry leads to (first match wins). */
const connectionPatterns: readonly (readonly [RegExp, string])[] = [
  [/\/usb\d*\//, "usb"],
  [/\/nvme\//, "nvme"],
  [/\/virtio\d+\//, "virtio"],
  [/\/mmc_host\//, "mmc"],
  [/\/ata\d+\//, "ata"],
  [/\/host\d+\/target/, "scsi"],
  [/\/xen\//, "xen"],
];

/** The part of the host the Linux source reads (tests point it at a folder of their own). */
export interface LinuxDiskHost {
  /** The folder of block devices, `/sys/block`. */
  readonly sysBlock: string;
  /** The device folder, `/dev`. */
  readonly dev: string;
  /** Whether only block devices are read (false only for tests on regular files). */
  readonly blockDevicesOnly: boolean;
}

/** The live host. */
export const liveLinuxDiskHost: LinuxDiskHost = {
  sysBlock: "/sys/block",
  dev: "/dev",
  blockDevicesOnly: true,
};

/** Options of {@linkcode linuxDiskSource}. */
export interface LinuxDiskSourceOptions {
  readonly host?: LinuxDiskHost;
  /** Read removable and virtual block devices too (loop, RAM, USB sticks…). */
  readonly includeAll?: boolean;
}

function attribute(path: string): string | undefined {
  try {
    const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const buffer = new Uint8Array(maxAttributeBytes);
      const count = fs.readSync(fd, buffer, 0, buffer.length, 0);
      return new TextDecoder().decode(buffer.subarray(0, count)).trim();
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** How a disk is attached, from its sysfs path; undefined when no pattern knows it. */
export function connectionOfSysPath(path: string): string | undefined {
  return connectionPatterns.find(([pattern]) => pattern.test(path))?.[1];
}

/** Opens a disk for reading: non-blocking, checked on the descriptor. */
function openDisk(path: string, size: number, blockDevicesOnly: boolean): OpenedDisk | DiskRefusal {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    const refusal = evidenceRefusal(path, error);
    return { refused: true, reason: refusal.reason, detail: refusal.detail };
  }
  const close = () => {
    try {
      fs.closeSync(fd);
    } catch {
      // A read-only descriptor: nothing to do about a failed close.
    }
  };
  try {
    const info = fs.fstatSync(fd);
    const accepted = info.isBlockDevice() || (!blockDevicesOnly && info.isFile());
    if (!accepted) {
      close();
      return { refused: true, reason: "special-file", detail: "not a block device (never read)" };
    }
  } catch (error) {
    close();
    const refusal = evidenceRefusal(path, error);
    return { refused: true, reason: refusal.reason, detail: refusal.detail };
  }
  return {
    source: boundedByteSource(size, (buffer, position) => {
      let filled = 0;
      while (filled < buffer.length) {
        const got = fs.readSync(fd, buffer, filled, buffer.length - filled, position + filled);
        if (got <= 0) break;
        filled += got;
      }
      return filled;
    }),
    close,
  };
}

/** The fixed disks of this Linux host. */
export function linuxDiskSource(options: LinuxDiskSourceOptions = {}): DiskSource {
  const host = options.host ?? liveLinuxDiskHost;
  return {
    name: host.sysBlock,
    offline: false,
    list() {
      let names: string[];
      try {
        names = fs.readdirSync(host.sysBlock).sort();
      } catch (error) {
        return Promise.resolve({
          ok: false,
          object: host.sysBlock,
          detail: evidenceRefusal(host.sysBlock, error).detail,
        });
      }
      const disks: DiskEntry[] = [];
      for (const name of names) {
        const folder = join(host.sysBlock, name);
        // A hidden disk (`hidden` = 1: the paths behind an NVMe multipath disk) has no device
        // file; the disk it belongs to is listed under its own name.
        if (attribute(join(folder, "hidden")) === "1") continue;
        const removable = attribute(join(folder, "removable")) === "1";
        const virtual = virtualDevicePrefixes.some((prefix) => name.startsWith(prefix));
        if (!options.includeAll && (removable || virtual)) continue;
        const sectors = Number(attribute(join(folder, "size")) ?? "0");
        const size = Number.isSafeInteger(sectors) ? sectors * sysfsSizeUnit : 0;
        const model = attribute(join(folder, "device", "model"));
        const sectorSize = Number(attribute(join(folder, "queue", "logical_block_size")));
        let real = "";
        try {
          real = fs.realpathSync(folder);
        } catch {
          // No link to follow: the connection stays unknown.
        }
        const connection = connectionOfSysPath(real);
        const devicePath = join(host.dev, name);
        disks.push({
          name,
          devicePath,
          type: removable ? "removable" : "fixed",
          ...(connection === undefined ? {} : { connection }),
          ...(model ? { model } : {}),
          ...(sectorSize > 0 ? { sectorSize } : {}),
          open: () => Promise.resolve(openDisk(devicePath, size, host.blockDevicesOnly)),
        });
      }
      return Promise.resolve({ ok: true, disks });
    },
  };
}
