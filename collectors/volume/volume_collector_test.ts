import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CollectorReporter, SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import {
  type ApiAnswer,
  createVolumeCollector,
  decodeStatfs,
  linuxDriveType,
  linuxVolumeSource,
  type LinuxVolumeSystem,
  parseMountInfo,
  serialOfUuid,
  type VolumeInformation,
  type VolumeSpace,
  type WindowsVolumeApi,
  windowsVolumeRecords,
} from "./mod.ts";
import { tableSourceOf } from "./_recorded_volumes.ts";

const observe = () => ({ time: "2026-12-07T04:00:00.000Z", computer: "host" });

/** A mountinfo as a host with a disk, a USB stick, an NFS share and a space in a mount point has. */
const mountInfo = [
  "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro",
  "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
  "40 22 8:17 / /media/usb\\040stick rw,nosuid,nodev shared:30 - vfat /dev/sdb1 rw,fmask=0022",
  "41 22 0:50 / /mnt/share rw,relatime shared:31 - nfs4 fileserver:/export/home rw,vers=4.2",
  "42 22 0:51 / /mnt/ssh rw,nosuid,nodev shared:32 - fuse.sshfs user@10.0.0.5:/srv rw",
  "43 22 8:33 / /mnt/win rw,relatime shared:33 - ntfs3 /dev/sdc1 rw,uid=0",
  "garbage without separator",
].join("\n") + "\n";

function statfsBytes(frsize: number, blocks: number, bavail: number): Uint8Array {
  const bytes = new Uint8Array(120);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(16, BigInt(blocks), true);
  view.setBigUint64(32, BigInt(bavail), true);
  view.setBigUint64(72, BigInt(frsize), true);
  return bytes;
}

const recordedLinux: LinuxVolumeSystem = {
  mountInfo: () => Promise.resolve({ text: mountInfo, truncated: false }),
  diskNames: (kind) =>
    new Map(
      kind === "uuid"
        ? [["/dev/sda2", "0b4c9d5e-1f2a-4b3c-8d7e-6f5a4b3c2d1e"], ["/dev/sdb1", "ABCD-1234"], [
          "/dev/sdc1",
          "01D9A1B2C3D4E5F6",
        ]]
        : [["/dev/sdb1", "MY STICK"]],
    ),
  statfs: (path) => {
    if (path === "/mnt/win") {
      return Promise.resolve({ ok: false, detail: "statfs did not answer in 2000 ms" });
    }
    const sizes = decodeStatfs(statfsBytes(4096, 1000, 250))!;
    return Promise.resolve({ ok: true, sizes });
  },
};

async function collect(collector: ReturnType<typeof createVolumeCollector>) {
  const items: ObservedItem[] = [];
  const skipped: SkippedObject[] = [];
  const warnings: string[] = [];
  const reporter: CollectorReporter = {
    skipped: (entry) => skipped.push(entry),
    warning: (entry) => warnings.push(entry.code),
    progress() {},
  };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skipped, warnings };
}

Deno.test("parseMountInfo: octal escapes decoded, lines of another shape counted", () => {
  const parsed = parseMountInfo(mountInfo);
  strictEqual(parsed.unparsed, 1);
  strictEqual(parsed.mounts[2]!.mountPoint, "/media/usb stick");
  deepStrictEqual(parsed.mounts[3]!.source, "fileserver:/export/home");
  strictEqual(
    parseMountInfo("1 0 0:1 / /a\\134b\\011c rw - tmpfs x rw").mounts[0]!.mountPoint,
    "/a\\b\tc",
  );
});

Deno.test("linuxDriveType and serialOfUuid: one table of kinds; serials only where a UUID is one", () => {
  deepStrictEqual(
    ["ext4", "nfs4", "cifs", "fuse.sshfs", "9p", "tmpfs", "iso9660", "proc", "xfs"].map(
      linuxDriveType,
    ),
    [
      "DRIVE_FIXED",
      "DRIVE_REMOTE",
      "DRIVE_REMOTE",
      "DRIVE_REMOTE",
      "DRIVE_REMOTE",
      "DRIVE_RAMDISK",
      "DRIVE_CDROM",
      "DRIVE_UNKNOWN",
      "DRIVE_FIXED",
    ],
  );
  strictEqual(serialOfUuid("vfat", "ABCD-1234"), 0xabcd1234);
  strictEqual(serialOfUuid("ntfs3", "01D9A1B2C3D4E5F6"), 0xc3d4e5f6);
  strictEqual(serialOfUuid("ext4", "0b4c9d5e-1f2a-4b3c-8d7e-6f5a4b3c2d1e"), undefined);
});

Deno.test("createVolumeCollector (Linux): mounts with sizes, labels, serials; remote shares not asked", async () => {
  const { items, skipped, warnings } = await collect(
    createVolumeCollector({ source: linuxVolumeSource(recordedLinux), observe }),
  );
  deepStrictEqual(skipped, []);
  deepStrictEqual(warnings, ["mountinfo-line"]);
  const byName = new Map(items.map((item) => [item.key, item]));
  deepStrictEqual(byName.get("/media/usb stick")!.fields, {
    Name: "/media/usb stick",
    Type: "DRIVE_FIXED",
    IsMounted: true,
    DevicePath: "/dev/sdb1",
    VolumeName: "MY STICK",
    SerialNumber: 0xabcd1234,
    FileSystemName: "vfat",
    FileSystemFlags: "rw,nosuid,nodev,rw,fmask=0022",
    TotalSize: 4_096_000,
    FreeSize: 1_024_000,
    TotalAllocationUnits: 1000,
    ActualAvailableAllocationUnits: 250,
  });
  const share = byName.get("/mnt/share")!;
  strictEqual(share.fields.Type, "DRIVE_REMOTE");
  strictEqual(share.fields.DevicePath, "fileserver:/export/home");
  ok(share.unevaluated?.TotalSize?.includes("network file system"));
  strictEqual(byName.get("/mnt/ssh")!.fields.Type, "DRIVE_REMOTE");
  // A file system that did not answer: its sizes are unknown, with the reason.
  strictEqual(byName.get("/mnt/win")!.unevaluated?.FreeSize, "statfs did not answer in 2000 ms");
  strictEqual(byName.get("/mnt/win")!.fields.SerialNumber, 0xc3d4e5f6);
  ok(byName.get("/")!.unevaluated?.SerialNumber?.includes("not a volume serial number"));
});

Deno.test("createVolumeCollector (Linux): mountinfo that cannot be read is the document unread", async () => {
  const { items, skipped } = await collect(createVolumeCollector({
    source: linuxVolumeSource({
      ...recordedLinux,
      mountInfo: () => Promise.reject(new Error("permission denied")),
    }),
    observe,
  }));
  deepStrictEqual(items, []);
  deepStrictEqual(skipped.map((entry) => [entry.reason, entry.unreadDocuments]), [
    ["source-unavailable", ["VolumeItem"]],
  ]);
});

/** Recorded answers of a Windows host: C: and a folder-mounted volume, a DVD, a mapped share. */
function recordedWindows(): WindowsVolumeApi {
  const ok = <T>(value: T): ApiAnswer<T> => ({ ok: true, value });
  const c = "\\\\?\\Volume{11111111-0000-0000-0000-000000000001}\\";
  const data = "\\\\?\\Volume{11111111-0000-0000-0000-000000000002}\\";
  const types: Record<string, number> = { "C:\\": 3, "C:\\Data\\": 3, "D:\\": 5, "Z:\\": 4 };
  const info: Record<string, VolumeInformation> = {
    "C:\\": { label: "", serialNumber: 0x1a2b3c4d, flags: 0x3, fileSystem: "NTFS" },
    "C:\\Data\\": { label: "Data", serialNumber: 7, flags: 0x80000, fileSystem: "ReFS" },
    "Z:\\": { label: "share", serialNumber: 9, flags: 0x2, fileSystem: "NTFS" },
  };
  const space: VolumeSpace = {
    sectorsPerCluster: 8,
    bytesPerSector: 512,
    freeClusters: 10,
    totalClusters: 100,
    totalBytes: 409_600,
    freeBytes: 40_960,
  };
  return {
    logicalDrives: () => ok(["C:\\", "D:\\", "Z:\\"]),
    volumes: () => ok([c, data]),
    mountPaths: (volume) => ok(volume === c ? ["C:\\"] : ["C:\\Data\\"]),
    driveType: (root) => types[root] ?? 0,
    information: (root) =>
      Promise.resolve(
        info[root]
          ? ok(info[root])
          : { ok: false, detail: "GetVolumeInformationW did not answer in 5000 ms" },
      ),
    space: (root) =>
      Promise.resolve(root === "D:\\" ? { ok: false, detail: "no medium" } : ok(space)),
    dosDevice: (name) =>
      name === "D:"
        ? ok("\\Device\\CdRom0")
        : name.startsWith("Volume{")
        ? ok(`\\Device\\HarddiskVolume${name.endsWith("1}") ? 3 : 4}`)
        : { ok: false, detail: "no such device" },
    remoteName: (drive) =>
      drive === "Z:" ? ok("\\\\fileserver\\evidence$") : { ok: false, detail: "not mapped" },
  };
}

Deno.test("windowsVolumeRecords: volumes by mount path, drive letters, a mapped share as remote", async () => {
  const { records, problems } = await windowsVolumeRecords(recordedWindows());
  deepStrictEqual(problems, []);
  const { items } = await collect(
    createVolumeCollector({ source: tableSourceOf(records), observe }),
  );
  deepStrictEqual(
    items.map((
      item,
    ) => [item.key, item.fields.DriveLetter, item.fields.Type, item.fields.DevicePath]),
    [
      ["C:\\", "C:", "DRIVE_FIXED", "\\Device\\HarddiskVolume3"],
      ["C:\\Data\\", undefined, "DRIVE_FIXED", "\\Device\\HarddiskVolume4"],
      ["D:\\", "D:", "DRIVE_CDROM", "\\Device\\CdRom0"],
      ["Z:\\", "Z:", "DRIVE_REMOTE", "\\\\fileserver\\evidence$"],
    ],
  );
  const c = items[0]!;
  deepStrictEqual(
    [
      c.fields.SerialNumber,
      c.fields.FileSystemName,
      c.fields.FileSystemFlags,
      c.fields.BytesPerSector,
    ],
    [0x1a2b3c4d, "NTFS", "FILE_CASE_SENSITIVE_SEARCH|FILE_CASE_PRESERVED_NAMES", 512],
  );
  strictEqual(items[1]!.fields.VolumeName, "Data");
  // The DVD drive without a disc: what the APIs did not answer is unknown, with the reason.
  ok(items[2]!.unevaluated?.FileSystemName?.includes("did not answer"));
  strictEqual(items[2]!.unevaluated?.TotalSize, "GetDiskFreeSpaceW: no medium");
});
