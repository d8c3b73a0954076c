/**
 * What kind of volume a file system is, in the names of Windows'
 * `GetDriveTypeW` (which `VolumeItem/Type` carries), with one table for
 * Linux's file system types: network file systems are `DRIVE_REMOTE`,
 * memory-backed ones `DRIVE_RAMDISK`, optical ones `DRIVE_CDROM`, kernel
 * pseudo file systems `DRIVE_UNKNOWN`, and the rest `DRIVE_FIXED`.
 *
 * @module
 */

/** `GetDriveTypeW`'s results, by value (0…6). */
export const windowsDriveTypes = [
  "DRIVE_UNKNOWN",
  "DRIVE_NO_ROOT_DIR",
  "DRIVE_REMOVABLE",
  "DRIVE_FIXED",
  "DRIVE_REMOTE",
  "DRIVE_CDROM",
  "DRIVE_RAMDISK",
] as const;

/** A drive type name. */
export type DriveType = typeof windowsDriveTypes[number];

/** The name of a `GetDriveTypeW` value. */
export function driveTypeName(value: number): DriveType {
  return windowsDriveTypes[value] ?? "DRIVE_UNKNOWN";
}

/** Linux file system types by kind (a `fuse.<name>` type is looked up by `<name>` too). */
const linuxKinds: Readonly<
  Record<Exclude<DriveType, "DRIVE_FIXED" | "DRIVE_NO_ROOT_DIR">, readonly string[]>
> = {
  DRIVE_REMOTE: [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "lustre",
    "davfs",
    "davfs2",
    "ncpfs",
    "coda",
    "gpfs",
    "beegfs",
    "s3fs",
    "rclone",
    "virtiofs",
    "vboxsf",
    "vmhgfs",
    "drvfs",
  ],
  DRIVE_RAMDISK: ["tmpfs", "ramfs", "devtmpfs", "shm"],
  DRIVE_CDROM: ["iso9660", "udf"],
  DRIVE_REMOVABLE: [],
  DRIVE_UNKNOWN: [
    "proc",
    "sysfs",
    "cgroup",
    "cgroup2",
    "devpts",
    "mqueue",
    "securityfs",
    "debugfs",
    "tracefs",
    "pstore",
    "bpf",
    "configfs",
    "fusectl",
    "hugetlbfs",
    "binfmt_misc",
    "autofs",
    "efivarfs",
    "nsfs",
    "rpc_pipefs",
    "selinuxfs",
  ],
};

const kindOf = new Map<string, DriveType>(
  Object.entries(linuxKinds).flatMap(([kind, types]) =>
    types.map((type) => [type, kind as DriveType] as const)
  ),
);

/** The drive type of a Linux file system type (`fuse.sshfs` is `sshfs`'s). */
export function linuxDriveType(fileSystem: string): DriveType {
  const lower = fileSystem.toLowerCase();
  return kindOf.get(lower) ?? kindOf.get(lower.replace(/^fuse(blk)?\./, "")) ?? "DRIVE_FIXED";
}

/** Whether a drive type is a network one (its sizes are not asked for: a dead server hangs). */
export function isRemote(type: DriveType): boolean {
  return type === "DRIVE_REMOTE";
}
