/**
 * The images and modules of every Linux process, read from `/proc` (through
 * the process collector's {@linkcode ProcFs}, so tests can record a tree):
 * `/proc/<pid>/exe` (a deleted image still opens through it), the
 * executable mappings of `/proc/<pid>/maps` (a deleted library through
 * `/proc/<pid>/map_files/<range>`, a library of another mount namespace
 * through `/proc/<pid>/root`), and the anonymous executable regions. The
 * scanning process itself is left out (its JIT is iocscan's own).
 *
 * @module
 */
import { denoProcFs, type ProcFs } from "../process/mod.ts";
import { deletedSuffix, deviceNumber, executableRegions } from "./maps_regions.ts";
import type { ModuleFile, ProcessModulesEvent, ProcessModulesSource } from "./source.ts";

/** The most processes listed; past it the rest is a listing skip. */
export const maxProcesses = 100_000;
/** The most bytes of one process's `maps` read (a JIT process can have many regions). */
export const maxMapsBytes = 16 * 1024 * 1024;
/** The most bytes of `comm` read. */
const maxCommBytes = 64;

/** Where the source reads (tests: a recorded tree, another pid as "self"). */
export interface LinuxModulesSourceOptions {
  readonly fs?: ProcFs;
  /** Default `/proc`. */
  readonly procRoot?: string;
  /** The pid left out (default this process's). */
  readonly selfPid?: number;
}

/** The live Linux source. */
export function linuxModulesSource(options: LinuxModulesSourceOptions = {}): ProcessModulesSource {
  const fs = options.fs ?? denoProcFs;
  const root = options.procRoot ?? "/proc";
  const self = options.selfPid ?? Deno.pid;
  return {
    name: "proc",
    async *processes(signal): AsyncGenerator<ProcessModulesEvent> {
      let listing: { names: string[]; truncated: boolean };
      try {
        listing = await fs.readDir(root, maxProcesses + 1024);
      } catch (error) {
        yield {
          skip: true,
          object: root,
          reason: "source-unavailable",
          detail: `the processes cannot be listed: ${messageOf(error)}`,
          listing: true,
        };
        return;
      }
      const pids = listing.names.filter((name) => /^\d+$/.test(name)).map(Number)
        .sort((a, b) => a - b);
      if (pids.length > maxProcesses || listing.truncated) {
        yield {
          skip: true,
          object: root,
          reason: "too-large",
          detail: `more than ${maxProcesses} processes: the rest was not read`,
          listing: true,
        };
        pids.length = Math.min(pids.length, maxProcesses);
      }
      const ownNamespace = await readLinkOr(fs, `${root}/self/ns/mnt`);
      for (const pid of pids) {
        if (signal?.aborted) return;
        if (pid === self) continue;
        const read = await readProcess(fs, root, pid, ownNamespace);
        if (read !== undefined) yield read;
      }
    },
  };
}

async function readProcess(
  fs: ProcFs,
  root: string,
  pid: number,
  ownNamespace: string | undefined,
): Promise<ProcessModulesEvent | undefined> {
  const base = `${root}/${pid}`;
  let name: string;
  try {
    name = (await fs.readText(`${base}/comm`, maxCommBytes)).text.trimEnd();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined; // gone meanwhile
    return {
      skip: true,
      object: `pid ${pid}`,
      reason: "unreadable",
      detail: `${base}/comm: ${messageOf(error)}`,
    };
  }
  const namespace = await readLinkOr(fs, `${base}/ns/mnt`);
  const sameNamespace = namespace === undefined || namespace === ownNamespace;
  const files: ModuleFile[] = [];
  const unread: string[] = [];
  let imagePath: string | undefined;
  try {
    const target = await fs.readLink(`${base}/exe`);
    const deleted = target.endsWith(deletedSuffix);
    imagePath = deleted ? target.slice(0, -deletedSuffix.length) : target;
    files.push({
      kind: "image",
      path: target,
      openPath: `${base}/exe`,
      deleted,
      identity: deleted ? `pid ${pid}\0${target}` : `${namespace ?? ""}\0${target}`,
      ...(deleted ? {} : { realPath: sameNamespace ? target : `${base}/root${target}` }),
    });
  } catch (error) {
    // A kernel thread has no image; a process that ended meanwhile is gone.
    if (error instanceof Deno.errors.NotFound) {
      if (await gone(fs, base)) return undefined;
    } else unread.push(`${base}/exe: ${messageOf(error)}`);
  }
  let regions: ReturnType<typeof executableRegions> = [];
  try {
    const maps = await fs.readText(`${base}/maps`, maxMapsBytes);
    if (maps.truncated) unread.push(`${base}/maps is longer than ${maxMapsBytes} bytes: cut there`);
    regions = executableRegions(maps.text);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && await gone(fs, base)) return undefined;
    unread.push(`${base}/maps: ${messageOf(error)}`);
  }
  const seen = new Set<string>();
  for (const region of regions) {
    if (region.backing !== "file") continue;
    const path = region.path!;
    if (path === imagePath && !region.deleted) continue;
    if (region.deleted) {
      files.push({
        kind: "module",
        path: `${path}${deletedSuffix}`,
        openPath: `${base}/map_files/${region.start}-${region.end}`,
        deleted: true,
        identity: `pid ${pid}\0${path}${deletedSuffix}`,
      });
      continue;
    }
    const mapped = `${path}\0${region.device}:${region.inode}`;
    if (seen.has(mapped)) continue;
    seen.add(mapped);
    const openPath = sameNamespace ? path : `${base}/root${path}`;
    if (await isMappedFile(fs, openPath, region.device!, region.inode!)) {
      files.push({
        kind: "module",
        path,
        openPath,
        // Only a file the path really names is one a response action may act on.
        realPath: openPath,
        deleted: false,
        identity: `${namespace ?? ""}\0${path}`,
      });
    } else {
      // Replaced, mounted over, renamed, or a name the kernel escaped: the mapping itself.
      files.push({
        kind: "module",
        path,
        openPath: `${base}/map_files/${region.start}-${region.end}`,
        deleted: false,
        notAtPath: true,
        identity: `pid ${pid}\0${path}\0${region.device}:${region.inode}`,
      });
    }
  }
  // The image's own deleted mappings are the image: one object, through /proc/<pid>/exe.
  const deduped = files.filter((file, index) =>
    !(file.kind === "module" && file.deleted &&
      files.some((other, at) => at < index && other.kind === "image" && other.path === file.path))
  );
  const dedupedByIdentity = deduped.filter((file, index) =>
    deduped.findIndex((other) => other.identity === file.identity) === index
  );
  return {
    pid,
    name,
    files: dedupedByIdentity,
    anonymous: regions.filter((region) => region.backing === "anonymous"),
    ...(unread.length > 0 ? { unread: unread.join("; ") } : {}),
  };
}

/** Whether `path` is the file maps says is mapped: same inode, same device. */
async function isMappedFile(
  fs: ProcFs,
  path: string,
  device: string,
  inode: number,
): Promise<boolean> {
  try {
    const info = await fs.stat(path);
    return info.isFile && info.ino === inode && info.dev === deviceNumber(device);
  } catch {
    return false;
  }
}

async function gone(fs: ProcFs, base: string): Promise<boolean> {
  try {
    await fs.stat(base);
    return false;
  } catch {
    return true;
  }
}

async function readLinkOr(fs: ProcFs, path: string): Promise<string | undefined> {
  try {
    return await fs.readLink(path);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
