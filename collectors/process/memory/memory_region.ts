/**
 * One region of a process's address space as a platform source describes it
 * (a line of Linux's `/proc/<pid>/maps`, one `VirtualQueryEx` answer on
 * Windows), in the terms both platforms share.
 *
 * @module
 */

/** What backs a region: an image (EXE/DLL view), another mapped file, or nothing (private memory). */
export type RegionKind = "image" | "mapped" | "private";

/** One region of a process's address space. */
export interface MemoryRegion {
  /** First address. */
  readonly start: bigint;
  /** Size in bytes. */
  readonly size: bigint;
  /** The protection as Redline writes it (`PAGE_EXECUTE_READ`); `""` for reserved pages. */
  readonly protection: string;
  /** Whether its pages may be read (and so searched). */
  readonly readable: boolean;
  /** Whether its pages may be executed. */
  readonly executable: boolean;
  /** The platform's own flags as read (`r-xp`; `State=0x1000 Protect=0x20 Type=0x1000000`). */
  readonly rawFlags: string;
  readonly kind: RegionKind;
  /**
   * The mapped file's path, or a pseudo-name of the kernel's (`[heap]`,
   * `[stack]`, `[vdso]`); undefined for anonymous memory.
   */
  readonly name?: string;
  /**
   * What tells one mapped file from another (Linux: `device:inode`; Windows:
   * the file's name), for collapsing a file's consecutive mappings and
   * parsing each file once; undefined for private memory.
   */
  readonly fileKey?: string;
  /** Whether the mapped file has been deleted (Linux's ` (deleted)`). */
  readonly deleted: boolean;
  /**
   * The allocation the region belongs to (Windows' `AllocationBase`; its
   * `AllocationProtect` as `allocationProtection`); undefined on Linux.
   */
  readonly allocation?: { readonly base: bigint; readonly protection: string };
  /** Why its content is never read (a device's mapping, the kernel's `[vvar]`), if so. */
  readonly unsearchable?: string;
  /**
   * Where the region's file can be opened for its PEInfo, in order, when it
   * is not `name` as it stands. Linux: `/proc/<pid>/map_files/<start>-<end>`
   * (the very file mapped, deleted or not; root only), then
   * `/proc/<pid>/root/<name>` (the name in the process's own mount
   * namespace: a container's file, not the host's of the same name).
   */
  readonly openPaths?: readonly string[];
}
