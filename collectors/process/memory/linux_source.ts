/**
 * The Linux source of process memory: `/proc/<pid>/maps` for the regions
 * (bounded read) and `/proc/<pid>/mem` read at each region's address.
 *
 * Reading another process's `mem` needs ptrace access (root, or the same
 * user and a permissive `kernel.yama.ptrace_scope`); a refusal is a
 * {@linkcode MemoryAccessError} with reason `unreadable`. Deno refuses `/proc`
 * without every permission: run with the `engine` set.
 *
 * Once `mem` is open (the permission check), memory is copied with
 * `process_vm_readv(2)` where libc has it (several times faster); a copy it
 * refuses or cuts short is read again through `mem`, whose errors say why.
 *
 * @module
 */
import { readProcText } from "../../live/mod.ts";
import { parseLinuxMaps } from "./linux_maps.ts";
import { processVmReadv } from "./process_vm_readv.ts";
import {
  memoryAccessError,
  type MemoryReader,
  type ProcessMemorySource,
  type RegionListing,
} from "./source.ts";

/** The most bytes of `/proc/<pid>/maps` read (a JVM or browser has tens of thousands of lines). */
export const maxMapsBytes = 16 * 1024 * 1024;

/** The Linux {@linkcode ProcessMemorySource} over `/proc` (or another procfs mount). */
export function linuxMemorySource(
  options: { procRoot?: string; maxMapsBytes?: number; processVmReadv?: boolean } = {},
): ProcessMemorySource {
  const root = options.procRoot ?? "/proc";
  const cap = options.maxMapsBytes ?? maxMapsBytes;
  // process_vm_readv reaches the processes of this system only: not through another procfs.
  const vmRead = (options.processVmReadv ?? root === "/proc") ? processVmReadv() : undefined;
  return {
    async regions(pid: number): Promise<RegionListing> {
      const path = `${root}/${pid}/maps`;
      let text;
      try {
        text = await readProcText(path, cap);
      } catch (error) {
        throw memoryAccessError(path, error);
      }
      const parsed = parseLinuxMaps(text.text, pid);
      let regions = parsed.regions;
      const problems = parsed.badLines.map((bad) => `${path}, line ${bad.line}: not a maps line`);
      if (text.truncated) {
        // The last line may be cut in the middle: drop it, it is read again by nobody.
        regions = regions.slice(0, -1);
        return { regions, truncated: `${path} is over the ${cap}-byte cap`, problems };
      }
      return { regions, problems };
    },
    async open(pid: number): Promise<MemoryReader> {
      const path = `${root}/${pid}/mem`;
      let file: Deno.FsFile;
      try {
        file = await Deno.open(path, { read: true });
      } catch (error) {
        throw memoryAccessError(path, error);
      }
      return {
        async read(address, buffer) {
          if (vmRead !== undefined) {
            const copied = await vmRead(pid, address, buffer);
            if (copied === buffer.byteLength) return copied;
          }
          await file.seek(address, Deno.SeekMode.Start);
          let filled = 0;
          while (filled < buffer.byteLength) {
            let count: number | null;
            try {
              count = await file.read(buffer.subarray(filled));
            } catch (error) {
              // EIO at a page that cannot be read (a guard page, a hole in a file past its end).
              if (filled > 0) return filled;
              throw memoryAccessError(`${path} at 0x${address.toString(16)}`, error);
            }
            if (count === null || count === 0) break;
            filled += count;
          }
          return filled;
        },
        close() {
          file.close();
        },
      };
    },
  };
}
