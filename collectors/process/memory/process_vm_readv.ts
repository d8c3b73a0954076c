/**
 * `process_vm_readv(2)` through libc over FFI: copies another process's
 * memory straight into a buffer, several times faster than reading
 * `/proc/<pid>/mem`, which the kernel copies a page at a time through a
 * bounce buffer. Same permission as `mem` (ptrace access). The call runs on
 * a thread of its own (`nonblocking`), so a large copy does not stall the
 * event loop.
 *
 * @module
 */

const symbols = {
  process_vm_readv: {
    parameters: ["i32", "buffer", "u64", "buffer", "u64", "u64"],
    result: "isize",
    nonblocking: true,
  },
} as const;

/** Size of `struct iovec` on 64-bit Linux: a pointer and a length. */
const iovecSize = 16;

/** Reads `buffer.byteLength` bytes of process `pid` at `address`; -1 on failure. */
export type VmRead = (pid: number, address: bigint, buffer: Uint8Array) => Promise<number>;

let loaded: VmRead | null | undefined;

/**
 * The reader, or undefined where libc or the call is not there (not Linux
 * glibc, FFI not permitted): the caller then reads `/proc/<pid>/mem`.
 */
export function processVmReadv(): VmRead | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  if (Deno.build.os !== "linux") return undefined;
  let library: Deno.DynamicLibrary<typeof symbols>;
  try {
    library = Deno.dlopen("libc.so.6", symbols);
  } catch {
    return undefined;
  }
  const call = library.symbols.process_vm_readv;
  loaded = async (pid, address, buffer) => {
    const local = new Uint8Array(iovecSize);
    const remote = new Uint8Array(iovecSize);
    const localView = new DataView(local.buffer);
    const remoteView = new DataView(remote.buffer);
    localView.setBigUint64(
      0,
      BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buffer))),
      true,
    );
    localView.setBigUint64(8, BigInt(buffer.byteLength), true);
    remoteView.setBigUint64(0, address, true);
    remoteView.setBigUint64(8, BigInt(buffer.byteLength), true);
    const read = await call(pid, local, 1n, remote, 1n, 0n);
    return Number(read);
  };
  return loaded;
}
