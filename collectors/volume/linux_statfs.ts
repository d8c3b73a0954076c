/**
 * Sizes of a mounted file system through libc's `statfs(2)` over FFI, with
 * a time limit: the call runs on a thread of its own (`nonblocking`), and a
 * file system that does not answer in time is reported as such, not waited
 * for. `struct statfs` on 64-bit Linux (x86-64, AArch64): eleven 8-byte
 * fields, then spares; {@linkcode decodeStatfs} reads it from bytes.
 *
 * @module
 */

/** `sizeof(struct statfs)` on 64-bit Linux. */
export const statfsSize = 120;
/** Byte offsets of the fields read (all 64-bit). */
const statfsOffsets = { blocks: 16, bfree: 24, bavail: 32, frsize: 72 } as const;

/** The sizes of one file system. */
export interface FileSystemSizes {
  /** The fragment size (`f_frsize`), the unit of the counts below. */
  readonly unit: number;
  readonly blocks: number;
  readonly availableBlocks: number;
  readonly totalBytes: number;
  /** Bytes free to an unprivileged user (`f_bavail`). */
  readonly freeBytes: number;
}

/** Reads `struct statfs` (64-bit Linux) from its bytes. */
export function decodeStatfs(bytes: Uint8Array): FileSystemSizes | undefined {
  if (bytes.length < statfsSize) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (offset: number) => Number(view.getBigUint64(offset, true));
  const unit = read(statfsOffsets.frsize);
  const blocks = read(statfsOffsets.blocks);
  const availableBlocks = read(statfsOffsets.bavail);
  return {
    unit,
    blocks,
    availableBlocks,
    totalBytes: unit * blocks,
    freeBytes: unit * availableBlocks,
  };
}

/** What asking one file system gives. */
export type StatfsAnswer =
  | { readonly ok: true; readonly sizes: FileSystemSizes }
  | { readonly ok: false; readonly detail: string };

/** Asks the sizes of the file system mounted at a path. */
export type StatfsCall = (path: string) => Promise<StatfsAnswer>;

/** How long one `statfs` may take. */
export const statfsTimeoutMs = 2_000;

const statfsSymbols = {
  statfs: { parameters: ["buffer", "buffer"], result: "i32", nonblocking: true },
} as const;

let library: Deno.DynamicLibrary<typeof statfsSymbols> | undefined;

/**
 * libc's `statfs` with a time limit, or undefined where it cannot be bound
 * (not 64-bit Linux, no FFI permission, no `libc.so.6`).
 */
export function libcStatfs(timeoutMs = statfsTimeoutMs): StatfsCall | undefined {
  if (Deno.build.os !== "linux" || !["x86_64", "aarch64"].includes(Deno.build.arch)) {
    return undefined;
  }
  try {
    library ??= Deno.dlopen("libc.so.6", statfsSymbols);
  } catch {
    return undefined;
  }
  const symbols = library.symbols;
  return async (path) => {
    const name = new TextEncoder().encode(`${path}\0`);
    const buffer = new Uint8Array(statfsSize);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), timeoutMs);
    });
    try {
      const result = await Promise.race([symbols.statfs(name, buffer), late]);
      if (result === "late") {
        return { ok: false, detail: `statfs did not answer in ${timeoutMs} ms` };
      }
      if (result !== 0) return { ok: false, detail: "statfs failed" };
      const sizes = decodeStatfs(buffer);
      return sizes ? { ok: true, sizes } : { ok: false, detail: "statfs gave too few bytes" };
    } finally {
      clearTimeout(timer);
    }
  };
}
