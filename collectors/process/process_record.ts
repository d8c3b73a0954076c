/**
 * One process as a source read it, whatever the platform: the record every
 * source (Linux `/proc`, the Windows APIs, the CIM fallback) fills, and that
 * the collector turns into a `ProcessItem` (process_item.ts).
 *
 * @module
 */

/** One open handle (Windows) or file descriptor (Linux) of a process. */
export interface ProcessHandle {
  /** The object's name: a path, `socket:[123]`, `\Sessions\1\BaseNamedObjects\evil_mtx`. */
  readonly Name?: string;
  /** `File`, `Socket`, `Pipe`, `Fifo`, `Directory`, `Device`, `AnonInode`, `Mutant`, `Key`… */
  readonly Type?: string;
  /** Linux: the descriptor's number. */
  readonly FileDescriptor?: number;
  /** Linux: the inode of the file, socket or pipe. */
  readonly INode?: number;
}

/** What one source read of one process. Absent fields were not read (see `unevaluated`). */
export interface ProcessRecord {
  readonly pid: number;
  readonly parentPid?: number;
  /** The image's file name (`sleep`, `powershell.exe`); a kernel thread's `comm`. */
  readonly name?: string;
  /** The image's full path, as the OS names it (without Linux's ` (deleted)`). */
  readonly imagePath?: string;
  /** The image file was deleted while the process runs (Linux: `exe` ends in ` (deleted)`). */
  readonly imageDeleted?: boolean;
  /** Where the image can still be opened for hashing (`/proc/<pid>/exe`, or the image path). */
  readonly imageOpenPath?: string;
  /** The command line, program included. */
  readonly commandLine?: string;
  readonly username?: string;
  /** The uid as text (Linux) or the SID (Windows). */
  readonly securityId?: string;
  /** ISO 8601 UTC. */
  readonly startTime?: string;
  /** CPU time in kernel mode, seconds. */
  readonly kernelSeconds?: number;
  /** CPU time in user mode, seconds. */
  readonly userSeconds?: number;
  /** Linux: a kernel thread (no image, no command line). */
  readonly kernelThread?: boolean;
  /** The files of the executable mappings (the image and its libraries); absent when not read. */
  readonly libraries?: readonly string[];
  /** Open handles; absent when not read. */
  readonly handles?: readonly ProcessHandle[];
  /**
   * The privileges enabled in the process's token (Windows: `SeDebugPrivilege`…;
   * Linux: the effective capabilities, `CAP_SYS_ADMIN`…); absent when not read.
   */
  readonly enabledPrivileges?: readonly string[];
  /** When the source read the process, ISO 8601 UTC. */
  readonly observedAt: string;
  /** Fields that could not be read on this process (ProcessItem field paths), and why. */
  readonly unevaluated?: { readonly [path: string]: string };
}

/**
 * What the source needs to read: the collector asks only for what the
 * loaded IOCs use (and `collect process` for everything).
 */
export interface ProcessReadNeeds {
  /** `Username`, `SecurityID`. */
  readonly user: boolean;
  /** `HandleList`. */
  readonly handles: boolean;
  /** `DllPath`: the loaded libraries. */
  readonly libraries?: boolean;
  /** `EnabledPrivilege`: the token's enabled privileges (Linux: effective capabilities). */
  readonly privileges?: boolean;
  /**
   * `name`, `path`, `ParentProcessName`, the digests or `PEInfo`: the image
   * is read anyway (the key names it), but an image this user may not read
   * is a skip only when an IOC needs it. Absent: needed.
   */
  readonly image?: boolean;
}

/** A process the source could not read at all, or a source that could not run. */
export interface ProcessSourceSkip {
  readonly skip: true;
  /** `pid 4242 (name)` or the source, e.g. `process-list:proc`. */
  readonly object: string;
  readonly reason:
    | "unreadable"
    | "not-found"
    | "error"
    | "unsupported"
    | "too-large"
    | "invalid-name";
  readonly detail: string;
  /**
   * Set when processes went unseen (the listing failed, was damaged or cut
   * at the cap): then `ProcessItem` as a whole counts as not read, so an IOC
   * on it that did not fire is undecided, never clean.
   */
  readonly listing?: true;
}

/** A problem the source worked around (a cap reached, a default assumed). */
export interface ProcessSourceWarning {
  readonly warning: true;
  readonly code: string;
  readonly message: string;
}

/** What a source yields. */
export type ProcessSourceEvent = ProcessRecord | ProcessSourceSkip | ProcessSourceWarning;

/** A platform's process source, behind which the collector logic is tested with recorded data. */
export interface ProcessSource {
  /** `proc` (Linux), `windows-api`, `cim`. */
  readonly name: string;
  /** Every process, read once each. */
  processes(needs: ProcessReadNeeds, signal?: AbortSignal): AsyncIterable<ProcessSourceEvent>;
}
