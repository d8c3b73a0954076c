/**
 * Parsing Linux's `/proc/<pid>/maps` into {@linkcode MemoryRegion}s, and the
 * mapping of its permission letters to the Windows protection names Redline
 * writes (so that one IOC reads both platforms):
 *
 * | maps perms           | Protection               |
 * | -------------------- | ------------------------ |
 * | `---`                | `PAGE_NOACCESS`          |
 * | `r--`                | `PAGE_READONLY`          |
 * | `rw-`, `-w-`         | `PAGE_READWRITE`         |
 * | `--x`                | `PAGE_EXECUTE`           |
 * | `r-x`                | `PAGE_EXECUTE_READ`      |
 * | `rwx`, `-wx`         | `PAGE_EXECUTE_READWRITE` |
 *
 * A writable private (`p`) mapping of a file is copy-on-write, as Windows'
 * image views are: `rw-p` and `rwxp` of a file are `PAGE_WRITECOPY` and
 * `PAGE_EXECUTE_WRITECOPY`. Shared (`s`) and anonymous mappings keep the
 * table's names. The four letters stay in `RawFlags` (`r-xp`).
 *
 * @module
 */
import type { MemoryRegion } from "./memory_region.ts";

/** The Redline protection name of each `rwx` triple (see the module's table). */
export const linuxProtectionNames: ReadonlyMap<string, string> = new Map([
  ["---", "PAGE_NOACCESS"],
  ["r--", "PAGE_READONLY"],
  ["rw-", "PAGE_READWRITE"],
  ["-w-", "PAGE_READWRITE"],
  ["--x", "PAGE_EXECUTE"],
  ["r-x", "PAGE_EXECUTE_READ"],
  ["rwx", "PAGE_EXECUTE_READWRITE"],
  ["-wx", "PAGE_EXECUTE_READWRITE"],
]);

/** The kernel's pseudo-mappings whose content is not process memory to search. */
const unsearchablePseudoNames: ReadonlyMap<string, string> = new Map([
  ["[vvar]", "the kernel's vvar page (reading it fails)"],
  ["[vvar_vclock]", "the kernel's vvar page (reading it fails)"],
  ["[vsyscall]", "the kernel's vsyscall page (above the user address space)"],
]);

/** The copy-on-write name of a writable protection (a private mapping of a file). */
export const copyOnWriteNames: ReadonlyMap<string, string> = new Map([
  ["PAGE_READWRITE", "PAGE_WRITECOPY"],
  ["PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY"],
]);

/**
 * The protection of `rwx` letters and the sharing letter (`p`/`s`), for a
 * mapping of a file or of nothing (see the module's table).
 */
export function linuxProtection(rwx: string, sharing: string, fileBacked: boolean): string {
  const name = linuxProtectionNames.get(rwx) ?? "PAGE_NOACCESS";
  return fileBacked && sharing === "p" ? copyOnWriteNames.get(name) ?? name : name;
}

/** Executable pseudo-mappings the kernel itself provides: never injected code. */
export const kernelCodeNames: ReadonlySet<string> = new Set(["[vdso]", "[vsyscall]", "[uprobes]"]);

/** Device files whose mappings are ordinary memory; other `/dev/` mappings are never read. */
const memoryDevices = /^\/dev\/(?:zero$|shm\/)/;

/** `start-end perms offset dev inode [pathname]`: the pathname is the rest of the line. */
const mapsLine = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps-]) ([0-9a-f]+) (\S+) (\d+)(?: +(.*))?$/;

const deletedSuffix = " (deleted)";

/** What a maps text held: its regions and the lines it could not read. */
export interface ParsedMaps {
  readonly regions: MemoryRegion[];
  /** Lines that are not maps lines (line number and text), for a warning. */
  readonly badLines: readonly { readonly line: number; readonly text: string }[];
}

/**
 * Parses the text of `/proc/<pid>/maps`. The kernel escapes a newline in a
 * path as `\012`; it is restored. A path ending in ` (deleted)` is a deleted
 * file: the suffix is dropped from `name` and `deleted` is set.
 *
 * @example
 * ```ts
 * import { parseLinuxMaps } from "./linux_maps.ts";
 * const { regions } = parseLinuxMaps(
 *   "7f00a000-7f00b000 rwxp 00000000 00:00 0 \n",
 *   4242,
 * );
 * console.log(regions[0]?.protection, regions[0]?.kind); // PAGE_EXECUTE_READWRITE private
 * ```
 */
export function parseLinuxMaps(text: string, pid: number): ParsedMaps {
  const regions: MemoryRegion[] = [];
  const badLines: { line: number; text: string }[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line === "") continue;
    const match = mapsLine.exec(line);
    if (match === null) {
      badLines.push({ line: index + 1, text: line });
      continue;
    }
    const [, startHex, endHex, perms, , device, inodeText, rawPath] = match;
    const start = BigInt(`0x${startHex}`);
    const end = BigInt(`0x${endHex}`);
    if (end <= start) {
      badLines.push({ line: index + 1, text: line });
      continue;
    }
    let path = (rawPath ?? "").replaceAll("\\012", "\n");
    const deleted = path.startsWith("/") && path.endsWith(deletedSuffix);
    if (deleted) path = path.slice(0, -deletedSuffix.length);
    const inode = inodeText!;
    const fileBacked = inode !== "0" && path !== "";
    const protectionKey = perms!.slice(0, 3);
    const range = `${startHex}-${endHex}`;
    const unsearchable = unsearchablePseudoNames.get(path) ??
      (fileBacked && path.startsWith("/dev/") && !memoryDevices.test(path)
        ? `a mapping of the device ${path} (reading it may act on the device)`
        : undefined);
    regions.push({
      start,
      size: end - start,
      protection: linuxProtection(protectionKey, perms![3]!, fileBacked),
      readable: perms![0] === "r",
      executable: perms![2] === "x",
      rawFlags: perms!,
      kind: fileBacked ? "mapped" : "private",
      ...(path === "" ? {} : { name: path }),
      ...(fileBacked ? { fileKey: `${device}:${inode}` } : {}),
      deleted,
      ...(unsearchable === undefined ? {} : { unsearchable }),
      ...(fileBacked
        ? { openPaths: [`/proc/${pid}/map_files/${range}`, `/proc/${pid}/root${path}`] }
        : {}),
    });
  }
  return { regions, badLines };
}
