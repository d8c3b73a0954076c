/**
 * The mappings of a Linux process (`/proc/<pid>/maps`) as regions: where each
 * executable mapping comes from (a file, a deleted file, a memfd, or nothing),
 * for the critical-areas scan's modules and its anonymous executable memory
 * (docs/critical-scan.md). Pure: the text in, regions out.
 *
 * @module
 */

/** The kernel's mark of a mapped file that was deleted. */
export const deletedSuffix = " (deleted)";

/**
 * Shared anonymous memory (`mmap(MAP_SHARED|MAP_ANONYMOUS)`, System V shared memory): the kernel
 * names it after a file that is no file of the disk; it is anonymous memory.
 */
const sharedAnonymous = /^\/dev\/zero \(deleted\)$|^\/SYSV[0-9a-f]+ \(deleted\)$/;

/** Pseudo-mappings that are the kernel's own code, executable in every process: never findings. */
const kernelCode: ReadonlySet<string> = new Set(["[vdso]", "[vsyscall]", "[uprobes]"]);

/** One executable mapping of a process. */
export interface ExecutableRegion {
  /** Start and end addresses as the kernel writes them (hex, no `0x`). */
  start: string;
  end: string;
  /** Bytes of the mapping. */
  size: number;
  /** `r-xp`, `rwxp`… */
  perms: string;
  /**
   * `file`: a mapped file (`path`); `anonymous`: no file (JIT, shellcode, an
   * executable `[heap]` or `[stack]`, whose label is kept in `label`).
   */
  backing: "file" | "anonymous";
  /**
   * The file's path as the kernel names it, without ` (deleted)`: a newline
   * in it is `\012`, a backslash is not escaped, so the path may name
   * another file than the one mapped (compare `device` and `inode`).
   */
  path?: string;
  /** The mapped file's device as the kernel writes it (`major:minor`, hex) and its inode. */
  device?: string;
  inode?: number;
  /** The file was deleted while mapped (or is a memfd: it never had a name on disk). */
  deleted?: boolean;
  /** `[heap]`, `[stack]`… for an anonymous region the kernel labels. */
  label?: string;
}

/** start-end perms offset major:minor inode, then spaces and the name (kept whole: it may end in spaces). */
const line = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+\S+\s+([0-9a-f]+:[0-9a-f]+)\s+(\d+)\s*(.*)$/;

/**
 * The executable regions of `maps` text, in order: file-backed ones with their
 * path, anonymous ones (no path, or a label other than the kernel's code:
 * `[vdso]`, `[vsyscall]` and `[uprobes]` are left out).
 *
 * @example
 * ```ts
 * import { executableRegions } from "./maps_regions.ts";
 * const regions = executableRegions(
 *   "7f00-7f10 r-xp 00000000 08:01 12 /usr/lib/libc.so.6\n7e00-7e01 rwxp 00000000 00:00 0 \n",
 * );
 * // [{ backing: "file", path: "/usr/lib/libc.so.6", … }, { backing: "anonymous", size: 1, … }]
 * ```
 */
export function executableRegions(maps: string): ExecutableRegion[] {
  const regions: ExecutableRegion[] = [];
  for (const text of maps.split("\n")) {
    const match = line.exec(text);
    if (!match || !match[3]!.includes("x")) continue;
    const [, start, end, perms, device, inode] = match as unknown as string[] as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const name = match[6]!;
    const size = Number(BigInt(`0x${end}`) - BigInt(`0x${start}`));
    const region: ExecutableRegion = { start, end, size, perms, backing: "anonymous" };
    if (sharedAnonymous.test(name)) {
      region.label = name;
    } else if (name.startsWith("/")) {
      region.backing = "file";
      region.device = device;
      region.inode = Number(inode);
      const deleted = name.endsWith(deletedSuffix);
      region.path = deleted ? name.slice(0, -deletedSuffix.length) : name;
      if (deleted || region.path.startsWith("/memfd:")) region.deleted = true;
    } else if (name !== "") {
      if (kernelCode.has(name)) continue;
      region.label = name;
    }
    regions.push(region);
  }
  return regions;
}

/**
 * The `st_dev` number of a `major:minor` device as maps writes it (hex), in
 * glibc's encoding (what `stat` returns on Linux).
 */
export function deviceNumber(device: string): number {
  const [major, minor] = device.split(":").map((part) => parseInt(part, 16)) as [number, number];
  return (minor & 0xff) + (major & 0xfff) * 2 ** 8 + Math.floor(minor / 2 ** 8) * 2 ** 20 +
    Math.floor(major / 2 ** 12) * 2 ** 44;
}
