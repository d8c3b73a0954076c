/**
 * Opening and reading files through libc over FFI, for the hash workers on
 * Linux: `open` with any flags (`O_NONBLOCK`, `O_NOFOLLOW`), `pread`, `close`
 * and `statx` of an open descriptor, with errors shaped like `node:fs`'s
 * (`code`, `errno`, message), so that `classifyFileError` reads them the
 * same. It spares each worker loading Deno's `node:fs` (about 20 ms of
 * start-up CPU), and costs no more per file.
 *
 * @module
 */
import type { SyncFsSubset } from "./types.ts";

/**
 * The libc file calls as a {@linkcode SyncFsSubset}, or `undefined` off Linux
 * or where libc cannot be loaded (no FFI permission). With `statOpened` (and
 * glibc 2.28 or later) it can also say what an open descriptor is: the
 * workers then open a file first and ask the descriptor, one path lookup
 * instead of two. That skips Deno's own path checks (`Deno.lstatSync`), so
 * the caller asks for it only where they would refuse nothing (see
 * `createWorkerHasher`).
 *
 * @example
 * ```ts ignore
 * import { libcSyncFs } from "./libc_sync_fs.ts";
 * const fs = libcSyncFs();
 * const fd = fs?.openSync("/etc/hostname", fs.constants.O_RDONLY);
 * ```
 */
export function libcSyncFs(statOpened = false): SyncFsSubset | undefined {
  if (Deno.build.os !== "linux") return undefined;
  const symbols = {
    open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
    pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
    close: { parameters: ["i32"], result: "i32" },
    strerror: { parameters: ["i32"], result: "pointer" },
    // glibc 2.28 and later; without it, files are checked by path before they are opened.
    statx: {
      parameters: ["i32", "buffer", "i32", "u32", "buffer"],
      result: "i32",
      optional: true,
    },
    __errno_location: { parameters: [], result: "pointer" },
  } as const;
  let library: Deno.DynamicLibrary<typeof symbols>;
  try {
    library = Deno.dlopen("libc.so.6", symbols);
  } catch {
    return undefined;
  }
  const libc = library.symbols;
  // Linux errno values (the same on x86_64 and aarch64) that classifyFileError tells apart.
  const codes: Record<number, string> = {
    1: "EPERM",
    2: "ENOENT",
    4: "EINTR",
    6: "ENXIO",
    11: "EAGAIN",
    13: "EACCES",
    16: "EBUSY",
    19: "ENODEV",
    20: "ENOTDIR",
    21: "EISDIR",
    26: "ETXTBSY",
    29: "ESPIPE",
    36: "ENAMETOOLONG",
    40: "ELOOP",
  };
  const errno = () => {
    const location = libc.__errno_location();
    return location === null ? 0 : new Deno.UnsafePointerView(location).getInt32();
  };
  const failure = (number: number, call: string, path: string) => {
    const code = codes[number] ?? `E${number}`;
    const text = libc.strerror(number);
    const message = text === null ? `errno ${number}` : Deno.UnsafePointerView.getCString(text);
    return Object.assign(new Error(`${code}: ${message.toLowerCase()}, ${call} '${path}'`), {
      code,
      errno: -number,
      syscall: call,
      path,
    });
  };
  const encoder = new TextEncoder();
  let pathBytes = new Uint8Array(4096);
  const paths = new Map<number, string>();
  // struct statx has the same layout on every architecture: stx_mode at 28, stx_size at 40.
  const statBytes = new Uint8Array(256);
  const statView = new DataView(statBytes.buffer);
  const emptyPath = new Uint8Array(1);
  const atEmptyPath = 0x1000;
  const typeAndSize = 0x1 | 0x200;
  const statx = libc.statx;
  // Old container seccomp policies refuse statx (EPERM) and old kernels lack it (ENOSYS): from
  // then on every call says ENOSYS, and the caller checks by path instead.
  let statxRefused = false;
  const refused = () => Object.assign(new Error("statx is not available"), { code: "ENOSYS" });
  const describe = statx && statOpened
    ? (fd: number) => {
      for (;;) {
        if (statxRefused) throw refused();
        if (statx(fd, emptyPath, atEmptyPath, typeAndSize, statBytes) === 0) {
          return {
            isFile: (statView.getUint16(28, true) & 0o170000) === 0o100000,
            size: Number(statView.getBigUint64(40, true)),
          };
        }
        const number = errno();
        if (number === 1 || number === 38) statxRefused = true;
        else if (number !== 4) throw failure(number, "fstat", paths.get(fd) ?? "");
      }
    }
    : undefined;
  // Descriptors are not inherited by processes started meanwhile (as Deno's own opens).
  const closeOnExec = 0o2000000;
  return {
    ...(describe ? { statOpened: describe } : {}),
    // x86_64 and aarch64 agree on O_NONBLOCK but not on O_NOFOLLOW.
    constants: {
      O_RDONLY: 0,
      O_NONBLOCK: 0o4000,
      O_NOFOLLOW: Deno.build.arch === "aarch64" ? 0o100000 : 0o400000,
    },
    openSync(path, flags) {
      if (typeof flags !== "number") throw new TypeError("numeric open flags expected");
      if (path.includes("\0")) throw failure(2, "open", path);
      if (pathBytes.length < path.length * 3 + 1) pathBytes = new Uint8Array(path.length * 3 + 1);
      const { written } = encoder.encodeInto(path, pathBytes);
      pathBytes[written] = 0;
      for (;;) {
        const fd = libc.open(pathBytes, flags | closeOnExec, 0);
        if (fd >= 0) {
          paths.set(fd, path);
          return fd;
        }
        const number = errno();
        if (number !== 4) throw failure(number, "open", path);
      }
    },
    readSync(fd, buffer, offset, length, position) {
      for (;;) {
        const count = Number(
          libc.pread(
            fd,
            buffer.subarray(offset, offset + length),
            BigInt(length),
            BigInt(position),
          ),
        );
        if (count >= 0) return count;
        const number = errno();
        if (number !== 4) throw failure(number, "read", paths.get(fd) ?? "");
      }
    },
    closeSync(fd) {
      paths.delete(fd);
      libc.close(fd);
    },
  };
}
