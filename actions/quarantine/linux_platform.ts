/**
 * The quarantine platform on Linux: captures owner, mode (set-id bits included), the four times
 * with nanoseconds, every extended attribute (`user.*`, `security.*`, `trusted.*` and the POSIX
 * ACLs `system.posix_acl_access`/`default`) and the immutable/append-only flags, all from a
 * descriptor opened without following links and proved to be the file the store opened;
 * re-applies them on restore; deletes with `unlink` and checks with `lstat` that the name is
 * gone; refuses package-owned system files and kernel modules unless forced.
 *
 * @module
 */
import { basename, dirname } from "node:path";
import { decodeBase64Text, encodeBase64Text } from "./base64_text.ts";
import type {
  CapturedMetadata,
  DeleteOutcome,
  FileMetadata,
  LinuxFileMetadata,
  QuarantinePlatform,
} from "./contract.ts";
import { DpkgOwners, linuxCriticalReason } from "./linux_critical_files.ts";
import {
  FS_APPEND_FL,
  FS_IMMUTABLE_FL,
  LibcError,
  NoFollowDescriptor,
  PSEUDO_FILE_SYSTEMS,
} from "./linux_libc.ts";
import { isoToNanoseconds, nanosecondsToIso } from "./time_ns.ts";

/** The flags that stop a delete. */
const DELETE_BLOCKING_FLAGS = FS_IMMUTABLE_FL | FS_APPEND_FL;
const ROOT_UID = 0;
/** Set-user-id and set-group-id. */
const SET_ID_BITS = 0o6000;

/** The Linux platform, with its own read-once index of package-owned files. */
export function linuxQuarantinePlatform(
  options: { readonly dpkgInfoDir?: string } = {},
): QuarantinePlatform & {
  openNoFollow(path: string): Promise<Deno.FsFile>;
  finishRestore(path: string, metadata: FileMetadata): Promise<string[]>;
} {
  const owners = new DpkgOwners(options.dpkgInfoDir);
  return {
    captureMetadata: (path, _file, info) => Promise.resolve(capture(path, info)),
    applyMetadata: (path, metadata, streams) =>
      Promise.resolve(apply(path, metadata, streams.length)),
    openNoFollow: (path) => Promise.resolve(openNoFollow(path)),
    finishRestore: (path, metadata) => Promise.resolve(applyFlags(path, metadata)),
    deleteOriginal: (path, options) =>
      Promise.resolve(
        deleteOriginal(path, options.terminate ? options.pids : [], options.expected),
      ),
    criticalReason: (path) => linuxCriticalReason(path, owners),
  };
}

/**
 * Opens with `O_NOFOLLOW | O_NONBLOCK` (a link fails with `ELOOP`, a FIFO does not block),
 * checks that a regular file was opened, and reopens that very file through `/proc/self/fd`
 * (whatever the name leads to by then) as a `Deno.FsFile`. Where Deno's permissions do not
 * reach `/proc/self/fd` (it asks for all of them; the engine has them), the name is opened again
 * and must lead to the same device and inode.
 */
function openNoFollow(path: string): Deno.FsFile {
  const descriptor = NoFollowDescriptor.open(path);
  try {
    const stat = descriptor.stat();
    if (!stat.regular) {
      throw Object.assign(new Error(`${path} is not a regular file`), { code: "ENOTREG" });
    }
    const pseudo = PSEUDO_FILE_SYSTEMS.get(descriptor.fileSystemType());
    if (pseudo !== undefined) {
      throw Object.assign(
        new Error(`${path} is a file of the kernel's ${pseudo} file system, not stored data`),
        { code: "EPSEUDO" },
      );
    }
    try {
      return Deno.openSync(`/proc/self/fd/${descriptor.fd}`, { read: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotCapable)) throw error;
    }
    const file = Deno.openSync(path, { read: true });
    const info = file.statSync();
    if (BigInt(info.dev) !== stat.dev || BigInt(info.ino ?? -1) !== stat.ino) {
      file.close();
      throw Object.assign(new Error(`${path} was replaced while it was opened`), {
        code: "ECHANGED",
      });
    }
    return file;
  } finally {
    descriptor.close();
  }
}

function capture(path: string, info: Deno.FileInfo): CapturedMetadata {
  const notes: string[] = [];
  const descriptor = NoFollowDescriptor.open(path);
  try {
    const stat = descriptor.stat();
    if (stat.dev !== BigInt(info.dev) || stat.ino !== BigInt(info.ino ?? -1)) {
      throw new Error(`${path} was replaced while its metadata was read`);
    }
    let xattrs: { name: string; value: string }[] = [];
    try {
      xattrs = descriptor.listXattrs().map(({ name, value }) => ({
        name,
        value: encodeBase64Text(value),
      }));
    } catch (error) {
      notes.push(`extended attributes not captured: ${message(error)}`);
    }
    let flags = 0;
    try {
      flags = descriptor.getFlags() ?? 0;
    } catch (error) {
      notes.push(`inode flags not captured: ${message(error)}`);
    }
    const metadata: LinuxFileMetadata = {
      kind: "linux",
      uid: stat.uid,
      gid: stat.gid,
      mode: stat.mode,
      accessed: nanosecondsToIso(stat.accessedNs),
      modified: nanosecondsToIso(stat.modifiedNs),
      changed: nanosecondsToIso(stat.changedNs),
      // Deno gives the birth time in milliseconds; it is recorded, never re-applied.
      ...(info.birthtime === null ? {} : { born: info.birthtime.toISOString() }),
      xattrs,
      flags: {
        immutable: (flags & FS_IMMUTABLE_FL) !== 0,
        appendOnly: (flags & FS_APPEND_FL) !== 0,
      },
    };
    return { metadata, streams: [], notes };
  } finally {
    descriptor.close();
  }
}

/** Owner, extended attributes, mode, then times (each later step would undo an earlier one otherwise). */
function apply(path: string, metadata: FileMetadata, streamCount: number): string[] {
  if (metadata.kind !== "linux") {
    return [`metadata recorded on ${metadata.kind} is not re-applied on Linux`];
  }
  const notes: string[] = [];
  if (streamCount > 0) notes.push(`${streamCount} alternate data streams have no place on Linux`);
  const descriptor = NoFollowDescriptor.open(path);
  try {
    // chown first: it clears set-id bits and security.capability, which come after it.
    const owned = attempt(notes, `owner ${metadata.uid}:${metadata.gid}`, () => {
      if (Deno.uid() !== ROOT_UID && Deno.uid() !== metadata.uid) {
        throw new Error("only root gives a file to another user");
      }
      descriptor.chown(metadata.uid, metadata.gid);
    });
    for (const { name, value } of metadata.xattrs) {
      attempt(notes, `extended attribute ${name}`, () => {
        descriptor.setXattr(name, decodeBase64Text(value));
      });
    }
    // Set-id bits run the file as its owner: without the recorded owner they would run it as
    // the restorer (root), so they are left off.
    const mode = owned ? metadata.mode : metadata.mode & ~SET_ID_BITS;
    if (mode !== metadata.mode) {
      notes.push(
        `set-id bits of mode 0${(metadata.mode & 0o7777).toString(8)} not re-applied: ` +
          "the file does not have its recorded owner",
      );
    }
    attempt(notes, `mode 0${mode.toString(8)}`, () => descriptor.chmod(mode));
    attempt(notes, "access and modification times", () => {
      descriptor.setTimes(isoToNanoseconds(metadata.accessed), isoToNanoseconds(metadata.modified));
    });
  } finally {
    descriptor.close();
  }
  return notes;
}

/** The immutable/append-only flags, set once the file has its name (they forbid the rename). */
function applyFlags(path: string, metadata: FileMetadata): string[] {
  if (metadata.kind !== "linux") return [];
  const wanted = (metadata.flags.immutable ? FS_IMMUTABLE_FL : 0) |
    (metadata.flags.appendOnly ? FS_APPEND_FL : 0);
  if (wanted === 0) return [];
  const notes: string[] = [];
  const descriptor = NoFollowDescriptor.open(path);
  try {
    attempt(notes, "immutable/append-only flags", () => {
      descriptor.setFlags((descriptor.getFlags() ?? 0) | wanted);
    });
  } finally {
    descriptor.close();
  }
  return notes;
}

/**
 * Deletes the name inside its folder, opened once: `fstatat` checks that the name still leads to
 * the copied file (`expected`), `unlinkat` removes that very name, `fstatat` checks it is gone.
 * A folder swapped for a link after the store's last check leads the folder's open elsewhere,
 * where the name leads to another inode (or none): nothing is deleted (ClamAV's race).
 */
function deleteOriginal(
  path: string,
  pids: readonly number[],
  expected: { readonly dev: number; readonly ino: number } | undefined,
): DeleteOutcome {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // Gone already, or not ours to stop: the delete below says what happened to the file.
    }
  }
  const name = basename(path);
  let folder: NoFollowDescriptor;
  try {
    folder = NoFollowDescriptor.openFolder(dirname(path));
  } catch (error) {
    return failed(error);
  }
  try {
    const before = folder.statAt(name);
    if (before === undefined) {
      return { outcome: "failed", reason: "changed", detail: `${path} was gone before its delete` };
    }
    if (
      before.link || !before.regular ||
      (expected !== undefined &&
        (before.dev !== BigInt(expected.dev) || before.ino !== BigInt(expected.ino)))
    ) {
      return {
        outcome: "failed",
        reason: "changed",
        detail: `${path} no longer leads to the file that was copied; nothing was deleted`,
      };
    }
    // The store reaches the delete of an immutable or append-only file only when forced.
    let clearedFlags: number | undefined;
    try {
      const file = folder.openAt(name);
      try {
        const flags = file.getFlags() ?? 0;
        if ((flags & DELETE_BLOCKING_FLAGS) !== 0) {
          file.setFlags(flags & ~DELETE_BLOCKING_FLAGS);
          clearedFlags = flags;
        }
      } finally {
        file.close();
      }
    } catch (error) {
      if (error instanceof LibcError && error.permission) return failed(error);
      // The unlink below reports the real failure.
    }
    try {
      folder.unlinkAt(name);
    } catch (error) {
      if (clearedFlags !== undefined) restoreFlags(folder, name, clearedFlags);
      return failed(error);
    }
    const after = folder.statAt(name);
    if (after !== undefined && after.dev === before.dev && after.ino === before.ino) {
      return {
        outcome: "failed",
        reason: "delete-failed",
        detail: `${path} is still there after it was deleted`,
      };
    }
    return { outcome: "deleted" };
  } catch (error) {
    return failed(error);
  } finally {
    folder.close();
  }
}

function failed(error: unknown): DeleteOutcome {
  const reason = error instanceof LibcError && error.permission ? "permission" : "delete-failed";
  return { outcome: "failed", reason, detail: message(error) };
}

function restoreFlags(folder: NoFollowDescriptor, name: string, flags: number): void {
  try {
    const file = folder.openAt(name);
    try {
      file.setFlags(flags);
    } finally {
      file.close();
    }
  } catch {
    // The outcome already says the delete failed; the record keeps the flags it had.
  }
}

/** Runs `step`; a failure becomes a note. True when the step succeeded. */
function attempt(notes: string[], what: string, step: () => void): boolean {
  try {
    step();
    return true;
  } catch (error) {
    notes.push(`${what} not re-applied: ${message(error)}`);
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
