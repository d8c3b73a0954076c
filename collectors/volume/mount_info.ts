/**
 * `/proc/self/mountinfo` read as data (proc(5)): one line per mount,
 * `id parent major:minor root mount-point options [optional…] - fstype
 * source super-options`. The kernel escapes space, tab, newline and
 * backslash in paths as octal (`\040`, `\011`, `\012`, `\134`); they are
 * decoded here, so a mount point named `/mnt/my disk` reads as such. A line
 * that does not have this shape is counted, not guessed at.
 *
 * @module
 */

/** One mount as the kernel lists it. */
export interface MountEntry {
  readonly mountId: number;
  readonly parentId: number;
  /** `major:minor` of the device. */
  readonly device: string;
  /** The folder of the file system that is mounted (`/` unless a bind mount of a part). */
  readonly root: string;
  readonly mountPoint: string;
  /** Per-mount options (`rw,nosuid,relatime`). */
  readonly options: string;
  /** `ext4`, `nfs4`, `fuse.sshfs`… */
  readonly fileSystem: string;
  /** What is mounted: `/dev/sda1`, `server:/export`, `//host/share`, `tmpfs`. */
  readonly source: string;
  /** Per-superblock options. */
  readonly superOptions: string;
}

/** The mounts of a mountinfo text, and how many lines had another shape. */
export interface MountInfo {
  readonly mounts: readonly MountEntry[];
  readonly unparsed: number;
}

/** Decodes the kernel's octal escapes (`\040` is a space). */
export function decodeMountField(field: string): string {
  return field.replace(
    /\\([0-3][0-7]{2})/g,
    (_, octal: string) => String.fromCharCode(parseInt(octal, 8)),
  );
}

/** Parses a `/proc/<pid>/mountinfo` text. */
export function parseMountInfo(text: string): MountInfo {
  const mounts: MountEntry[] = [];
  let unparsed = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const fields = line.split(" ");
    const separator = fields.indexOf("-", 6);
    if (separator < 0 || fields.length < separator + 3) {
      unparsed++;
      continue;
    }
    const [id, parent, device, root, mountPoint, options] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const mountId = Number(id);
    const parentId = Number(parent);
    if (!Number.isInteger(mountId) || !Number.isInteger(parentId)) {
      unparsed++;
      continue;
    }
    mounts.push({
      mountId,
      parentId,
      device,
      root: decodeMountField(root),
      mountPoint: decodeMountField(mountPoint),
      options,
      fileSystem: decodeMountField(fields[separator + 1]!),
      source: decodeMountField(fields[separator + 2]!),
      superOptions: fields[separator + 3] ?? "",
    });
  }
  return { mounts, unparsed };
}
