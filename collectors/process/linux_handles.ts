/**
 * A Linux process's open descriptors as `HandleList/Handle` records, from the
 * `/proc/<pid>/fd/*` links: the target is the handle's name (a path, which a
 * named FIFO keeps; `socket:[inode]`, `pipe:[inode]`, `anon_inode:[eventfd]`),
 * its kind the type.
 *
 * @module
 */
import type { ProcessHandle } from "./process_record.ts";
import type { ProcFs, ProcTargetInfo } from "./proc_fs.ts";

/** The handle types of Linux descriptors, as `HandleList/Handle/Type` spells them. */
export const linuxHandleTypes = {
  file: "File",
  directory: "Directory",
  fifo: "Fifo",
  pipe: "Pipe",
  socket: "Socket",
  device: "Device",
  anonInode: "AnonInode",
  other: "Other",
} as const;

/** Pseudo-file targets `kind:[inode]` or `kind:name`, by kind. */
const pseudoKinds: Readonly<Record<string, string>> = {
  socket: linuxHandleTypes.socket,
  pipe: linuxHandleTypes.pipe,
  "anon_inode": linuxHandleTypes.anonInode,
};

/** The type of a path target, by what `stat` says of it. */
function typeOfTarget(info: ProcTargetInfo): string {
  if (info.isFifo) return linuxHandleTypes.fifo;
  if (info.isDirectory) return linuxHandleTypes.directory;
  if (info.isSocket) return linuxHandleTypes.socket;
  if (info.isCharDevice || info.isBlockDevice) return linuxHandleTypes.device;
  if (info.isFile) return linuxHandleTypes.file;
  return linuxHandleTypes.other;
}

/**
 * The handles read, whether the cap cut the list, and the descriptors whose
 * target could not be read (a name that is not UTF-8, a refusal): `unread`,
 * `fd/<n>: <error>`, so the list is known to be incomplete. Throws when
 * `fd/` cannot be listed.
 */
export async function readLinuxHandles(
  fs: ProcFs,
  pid: number,
  maxHandles: number,
): Promise<{ handles: ProcessHandle[]; truncated: boolean; unread: string[] }> {
  const folder = `/proc/${pid}/fd`;
  const listed = await fs.readDir(folder, maxHandles);
  const numbers = listed.names.filter((name) => /^\d+$/.test(name)).map(Number)
    .sort((a, b) => a - b);
  const handles: ProcessHandle[] = [];
  const unread: string[] = [];
  for (const fd of numbers) {
    let target: string;
    try {
      target = await fs.readLink(`${folder}/${fd}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue; // Closed since the listing.
      unread.push(`${folder}/${fd}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    handles.push(await handleOf(fs, `${folder}/${fd}`, fd, target));
  }
  return { handles, truncated: listed.truncated, unread };
}

async function handleOf(
  fs: ProcFs,
  link: string,
  fd: number,
  target: string,
): Promise<ProcessHandle> {
  const pseudo = /^([a-z_]+):\[?([^\]]*)\]?$/.exec(target);
  if (pseudo && !target.startsWith("/")) {
    const [, kind, detail] = pseudo as unknown as [string, string, string];
    const inode = /^\d+$/.test(detail) ? Number(detail) : undefined;
    return {
      Name: target,
      Type: pseudoKinds[kind] ?? linuxHandleTypes.other,
      FileDescriptor: fd,
      ...(inode === undefined ? {} : { INode: inode }),
    };
  }
  try {
    const info = await fs.stat(link);
    return {
      Name: target,
      Type: typeOfTarget(info),
      FileDescriptor: fd,
      ...(info.ino === null ? {} : { INode: info.ino }),
    };
  } catch {
    // A deleted file or a target gone since: the name still tells what it was.
    return { Name: target, Type: linuxHandleTypes.file, FileDescriptor: fd };
  }
}
