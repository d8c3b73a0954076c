/**
 * What a platform's source of process images and modules gives the
 * process-modules collector: each process with the files of its image and
 * modules (and where each can be opened for hashing) and its anonymous
 * executable regions. Behind an interface, so the collector logic is tested
 * on recorded processes and Windows is typed against the process
 * collector's source.
 *
 * @module
 */
import type { SkipReason } from "../../contracts/skip_reason.ts";
import type { ExecutableRegion } from "./maps_regions.ts";

/** One image or module file of a process. */
export interface ModuleFile {
  /** `image`: the process's executable; `module`: a file-backed executable mapping (a library). */
  kind: "image" | "module";
  /** The path as shown: `/usr/lib/libc.so.6`, or `/tmp/x (deleted)` for a deleted file. */
  path: string;
  /** Where it is opened for hashing: the path, `/proc/<pid>/exe`, `/proc/<pid>/map_files/…`. */
  openPath: string;
  /** The file was deleted while running (read through `/proc`). */
  deleted: boolean;
  /**
   * The path names another file than the one mapped (its inode or device
   * differ, or it is gone): the mapping is read through `/proc` and the
   * object is this process's, as a deleted file's.
   */
  notAtPath?: true;
  /**
   * The file as this machine's file system names it, for response actions (the quarantine of a
   * detected image or module): the path, or `/proc/<pid>/root/…` for a process of another mount
   * namespace. Absent for a deleted file, which no path names any more, and for a mapping the path
   * no longer names (`notAtPath`): acting on the path would act on another file.
   */
  realPath?: string;
  /**
   * Tells distinct files apart: the same key means the same file (a library
   * every process maps is hashed once); a deleted file's key names its pid.
   */
  identity: string;
}

/** One process. */
export interface ProcessModules {
  pid: number;
  /** Its name (`comm` on Linux). */
  name: string;
  files: ModuleFile[];
  /** Executable memory no file backs. */
  anonymous: ExecutableRegion[];
  /** What could not be read of this process (its maps, its image), and why. */
  unread?: string;
}

/** A process, or the listing itself, that could not be read. */
export interface ProcessModulesSkip {
  skip: true;
  object: string;
  reason: SkipReason;
  detail: string;
  /** Set when processes went unseen: the area was not covered whole. */
  listing?: true;
}

/** A problem the source worked around, or a part it does not read on this platform. */
export interface ProcessModulesWarning {
  warning: true;
  code: string;
  message: string;
}

/** What a source yields. */
export type ProcessModulesEvent = ProcessModules | ProcessModulesSkip | ProcessModulesWarning;

/** A platform's source. */
export interface ProcessModulesSource {
  /** `proc` (Linux), `windows-api`. */
  readonly name: string;
  processes(signal?: AbortSignal): AsyncIterable<ProcessModulesEvent>;
}
