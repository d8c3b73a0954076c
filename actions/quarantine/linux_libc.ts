/**
 * The few libc calls the Linux quarantine platform needs and Deno does not offer: a no-follow
 * open returning a file descriptor, `fstat`'s device and inode (to prove that descriptor is the
 * file Deno opened), `fstatfs`'s file system type, extended attributes, the `chattr` flags (`FS_IOC_GETFLAGS`/`SETFLAGS`),
 * `fchown`/`fchmod` and `futimens` with nanoseconds. Loaded once, lazily, through `Deno.dlopen`
 * (the engine's permission set has `ffi`). Every buffer is bounded.
 *
 * @module
 */

/** `O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC` (x86-64 and aarch64 Linux values). */
const OPEN_FLAGS = 0o0 | 0o400000 | 0o4000 | 0o2000000;
/** `O_RDONLY | O_DIRECTORY | O_CLOEXEC`. */
const DIRECTORY_FLAGS = 0o200000 | 0o2000000;
/** `AT_SYMLINK_NOFOLLOW`. */
const AT_SYMLINK_NOFOLLOW = 0x100;
/** `FS_IOC_GETFLAGS` / `FS_IOC_SETFLAGS` (`_IOR('f', 1, long)`, `_IOW('f', 2, long)`). */
const FS_IOC_GETFLAGS = 0x80086601n;
const FS_IOC_SETFLAGS = 0x40086602n;
/** `FS_IMMUTABLE_FL` (`i`) and `FS_APPEND_FL` (`a`). */
export const FS_IMMUTABLE_FL = 0x10;
export const FS_APPEND_FL = 0x20;
/** The largest list of attribute names and the largest attribute value read (the VFS caps both at 64 KiB). */
const XATTR_MAX = 65536;
/** `struct stat` size on x86-64/aarch64 glibc, with room to spare. */
const STAT_BUFFER = 256;
const ERANGE = 34;
const ENODATA = 61;
const ENOTSUP = 95;
const ENOTTY = 25;
const ERRNO_NAMES: Record<number, string> = { 1: "EPERM", 2: "ENOENT", 13: "EACCES", 40: "ELOOP" };
/** Where `st_mode` and `st_uid` sit in `struct stat`: x86-64's layout, or the generic one (aarch64). */
const STAT_LAYOUT = Deno.build.arch === "x86_64" ? { mode: 24, uid: 28 } : { mode: 16, uid: 24 };
/** `st_atim`, then `st_mtim` and `st_ctim` (16 bytes each), on both layouts. */
const STAT_TIMES = 72;
/** `S_IFMT` and `S_IFREG`. */
const FILE_TYPE_MASK = 0o170000;
const REGULAR_FILE = 0o100000;
const SYMBOLIC_LINK = 0o120000;
const ENOENT = 2;
/** `struct statfs` (120 bytes on x86-64 and aarch64), with room to spare; `f_type` is its first word. */
const STATFS_BUFFER = 256;

/**
 * The kernel's pseudo file systems by `statfs`'s `f_type` (linux/magic.h): their "files" are
 * views of the kernel whose size says nothing and whose reads may block or consume
 * (`/proc/kmsg`), never stored data to quarantine.
 */
export const PSEUDO_FILE_SYSTEMS: ReadonlyMap<bigint, string> = new Map([
  [0x9fa0n, "proc"],
  [0x62656572n, "sysfs"],
  [0x64626720n, "debugfs"],
  [0x74726163n, "tracefs"],
  [0x73636673n, "securityfs"],
  [0x27e0ebn, "cgroup"],
  [0x63677270n, "cgroup2"],
  [0xcafe4a11n, "bpf"],
  [0x62656570n, "configfs"],
  [0xde5e81e4n, "efivarfs"],
  [0x6165676cn, "pstore"],
]);

const symbols = {
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  openat: { parameters: ["i32", "buffer", "i32", "u32"], result: "i32" },
  fstatat: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" },
  unlinkat: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
  fstatfs: { parameters: ["i32", "buffer"], result: "i32" },
  flistxattr: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  fgetxattr: { parameters: ["i32", "buffer", "buffer", "usize"], result: "isize" },
  fsetxattr: { parameters: ["i32", "buffer", "buffer", "usize", "i32"], result: "i32" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  fchown: { parameters: ["i32", "u32", "u32"], result: "i32" },
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  futimens: { parameters: ["i32", "buffer"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

type Libc = Deno.DynamicLibrary<typeof symbols>["symbols"];
let loaded: Libc | undefined;

function libc(): Libc {
  loaded ??= Deno.dlopen("libc.so.6", symbols).symbols;
  return loaded;
}

function errno(): number {
  const pointer = libc().__errno_location();
  return pointer === null ? 0 : new Deno.UnsafePointerView(pointer).getInt32();
}

/** A libc call failed: the call, the path and `errno`. */
export class LibcError extends Error {
  constructor(readonly call: string, readonly errno: number, path: string) {
    super(`${call}(${path}) failed: errno ${errno}`);
  }
  /** The errno's name for the few the store tells apart (`ELOOP`, `EACCES`…), else `E<n>`. */
  get code(): string {
    return ERRNO_NAMES[this.errno] ?? `E${this.errno}`;
  }
  /** `EACCES` or `EPERM`. */
  get permission(): boolean {
    return this.errno === 13 || this.errno === 1;
  }
}

function cString(text: string): Uint8Array<ArrayBuffer> {
  const encoded = new TextEncoder().encode(text);
  const buffer = new Uint8Array(encoded.length + 1);
  buffer.set(encoded);
  return buffer;
}

/** What `fstat` says of an open file. */
export interface DescriptorStat {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly regular: boolean;
  readonly link: boolean;
  /** Permission bits with set-id and sticky bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly accessedNs: bigint;
  readonly modifiedNs: bigint;
  readonly changedNs: bigint;
}

/** A file descriptor opened without following a link in the last component. */
export class NoFollowDescriptor {
  private constructor(readonly fd: number, readonly path: string) {}

  /** Opens the folder `path` (whatever it leads to now) to work on names inside it. */
  static openFolder(path: string): NoFollowDescriptor {
    const fd = libc().open(cString(path), DIRECTORY_FLAGS, 0);
    if (fd < 0) throw new LibcError("open", errno(), path);
    return new NoFollowDescriptor(fd, path);
  }

  /** Opens `path` read-only, no-follow, non-blocking (a FIFO does not hang it). */
  static open(path: string): NoFollowDescriptor {
    const fd = libc().open(cString(path), OPEN_FLAGS, 0);
    if (fd < 0) throw new LibcError("open", errno(), path);
    return new NoFollowDescriptor(fd, path);
  }

  close(): void {
    libc().close(this.fd);
  }

  /** The open file's `fstat`: identity, type, owner, mode and times with nanoseconds. */
  stat(): DescriptorStat {
    const buffer = new Uint8Array(STAT_BUFFER);
    if (libc().fstat(this.fd, buffer) !== 0) throw new LibcError("fstat", errno(), this.path);
    return parseStat(buffer);
  }

  /** The type of the file system the open file is on (`fstatfs`'s `f_type`). */
  fileSystemType(): bigint {
    const buffer = new Uint8Array(STATFS_BUFFER);
    if (libc().fstatfs(this.fd, buffer) !== 0) throw new LibcError("fstatfs", errno(), this.path);
    return new DataView(buffer.buffer).getBigInt64(0, true);
  }

  /** Opens `name` in this folder without following a link (this must be a folder descriptor). */
  openAt(name: string): NoFollowDescriptor {
    const fd = libc().openat(this.fd, cString(name), OPEN_FLAGS, 0);
    if (fd < 0) throw new LibcError("openat", errno(), `${this.path}/${name}`);
    return new NoFollowDescriptor(fd, `${this.path}/${name}`);
  }

  /** `fstatat(…, AT_SYMLINK_NOFOLLOW)` of `name` in this folder; undefined when it is not there. */
  statAt(name: string): DescriptorStat | undefined {
    const buffer = new Uint8Array(STAT_BUFFER);
    if (libc().fstatat(this.fd, cString(name), buffer, AT_SYMLINK_NOFOLLOW) !== 0) {
      const code = errno();
      if (code === ENOENT) return undefined;
      throw new LibcError("fstatat", code, `${this.path}/${name}`);
    }
    return parseStat(buffer);
  }

  /** Removes the name `name` from this folder (`unlinkat`). */
  unlinkAt(name: string): void {
    if (libc().unlinkat(this.fd, cString(name), 0) !== 0) {
      throw new LibcError("unlinkat", errno(), `${this.path}/${name}`);
    }
  }

  /** Every extended attribute's name and value (empty where the file system has none). */
  listXattrs(): { name: string; value: Uint8Array }[] {
    const names = new Uint8Array(XATTR_MAX);
    const length = Number(libc().flistxattr(this.fd, names, BigInt(names.length)));
    if (length < 0) {
      const code = errno();
      if (code === ENOTSUP) return [];
      throw new LibcError("flistxattr", code, this.path);
    }
    const result: { name: string; value: Uint8Array }[] = [];
    const decoder = new TextDecoder();
    let start = 0;
    for (let index = 0; index < length; index++) {
      if (names[index] !== 0) continue;
      const name = decoder.decode(names.subarray(start, index));
      start = index + 1;
      if (name === "") continue;
      const value = this.getXattr(name);
      if (value !== undefined) result.push({ name, value });
    }
    return result;
  }

  private getXattr(name: string): Uint8Array | undefined {
    const value = new Uint8Array(XATTR_MAX);
    const length = Number(libc().fgetxattr(this.fd, cString(name), value, BigInt(value.length)));
    if (length < 0) {
      const code = errno();
      if (code === ENODATA) return undefined;
      if (code === ERANGE) throw new LibcError(`fgetxattr ${name} (over 64 KiB)`, code, this.path);
      throw new LibcError(`fgetxattr ${name}`, code, this.path);
    }
    return value.slice(0, length);
  }

  /** Sets one extended attribute (created or replaced). */
  setXattr(name: string, value: Uint8Array): void {
    const copy = new Uint8Array(value);
    if (libc().fsetxattr(this.fd, cString(name), copy, BigInt(copy.length), 0) !== 0) {
      throw new LibcError(`fsetxattr ${name}`, errno(), this.path);
    }
  }

  /** The inode flags (`lsattr`), or undefined where the file system has none. */
  getFlags(): number | undefined {
    const buffer = new Uint8Array(8);
    if (libc().ioctl(this.fd, FS_IOC_GETFLAGS, buffer) !== 0) {
      const code = errno();
      if (code === ENOTTY || code === ENOTSUP) return undefined;
      throw new LibcError("ioctl FS_IOC_GETFLAGS", code, this.path);
    }
    return new DataView(buffer.buffer).getInt32(0, true);
  }

  /** Sets the inode flags (`chattr`). */
  setFlags(flags: number): void {
    const buffer = new Uint8Array(8);
    new DataView(buffer.buffer).setInt32(0, flags, true);
    if (libc().ioctl(this.fd, FS_IOC_SETFLAGS, buffer) !== 0) {
      throw new LibcError("ioctl FS_IOC_SETFLAGS", errno(), this.path);
    }
  }

  chown(uid: number, gid: number): void {
    if (libc().fchown(this.fd, uid, gid) !== 0) throw new LibcError("fchown", errno(), this.path);
  }

  /** Sets the permission bits including set-id and sticky bits. */
  chmod(mode: number): void {
    if (libc().fchmod(this.fd, mode & 0o7777) !== 0) {
      throw new LibcError("fchmod", errno(), this.path);
    }
  }

  /** Sets access and modification times, nanoseconds since the epoch. */
  setTimes(accessedNs: bigint, modifiedNs: bigint): void {
    const buffer = new Uint8Array(32);
    const view = new DataView(buffer.buffer);
    const second = 1_000_000_000n;
    view.setBigInt64(0, floorDiv(accessedNs, second), true);
    view.setBigInt64(8, accessedNs - floorDiv(accessedNs, second) * second, true);
    view.setBigInt64(16, floorDiv(modifiedNs, second), true);
    view.setBigInt64(24, modifiedNs - floorDiv(modifiedNs, second) * second, true);
    if (libc().futimens(this.fd, buffer) !== 0) throw new LibcError("futimens", errno(), this.path);
  }
}

function parseStat(buffer: Uint8Array<ArrayBuffer>): DescriptorStat {
  const view = new DataView(buffer.buffer);
  const mode = view.getUint32(STAT_LAYOUT.mode, true);
  const time = (offset: number) =>
    view.getBigInt64(offset, true) * 1_000_000_000n + view.getBigInt64(offset + 8, true);
  return {
    dev: view.getBigUint64(0, true),
    ino: view.getBigUint64(8, true),
    regular: (mode & FILE_TYPE_MASK) === REGULAR_FILE,
    link: (mode & FILE_TYPE_MASK) === SYMBOLIC_LINK,
    mode: mode & 0o7777,
    uid: view.getUint32(STAT_LAYOUT.uid, true),
    gid: view.getUint32(STAT_LAYOUT.uid + 4, true),
    accessedNs: time(STAT_TIMES),
    modifiedNs: time(STAT_TIMES + 16),
    changedNs: time(STAT_TIMES + 32),
  };
}

function floorDiv(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  return value % divisor < 0n ? quotient - 1n : quotient;
}
