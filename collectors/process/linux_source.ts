/**
 * The Linux live process source: `/proc/<pid>/{stat,cmdline,exe,status,fd}`.
 *
 * - name: the file name of the `exe` link's target, since `comm` is cut at 15
 *   bytes (and set by the process itself); `comm` only for kernel threads and
 *   zombies, which have no image, and for processes whose `exe` this user
 *   may not read (then `name` is also marked unevaluated, and the process
 *   skipped as `unreadable`).
 * - a deleted image (`exe` ends in ` (deleted)`) is flagged, and still hashed
 *   through `/proc/<pid>/exe`.
 * - startTime: `btime` of `/proc/stat` + field 22 of `stat` / `CLK_TCK`
 *   (`getconf CLK_TCK` once; 100, with a warning, when it cannot run).
 * - Username/SecurityID: the effective uid of `status` → `/etc/passwd`.
 * - EnabledPrivilege: the effective capabilities (`CapEff:` of `status`),
 *   named `CAP_*` (linux_capabilities.ts), an iocscan extension.
 * - a process gone between the listing and its reads is simply not listed
 *   (counted in the collector's `vanished`).
 *
 * Deno refuses `/proc` without every permission: this runs with the `engine`
 * set; tests replay a recorded tree (`_recorded_proc.ts`).
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";
import { parsePasswd } from "../file/mod.ts";
import { joinCommandLine, splitCmdline } from "./command_line.ts";
import {
  bootTimeOf,
  effectiveUidOf,
  kernelThreadFlag,
  parseProcStat,
  type ProcStat,
  startTimeOf,
} from "./linux_proc_text.ts";
import { effectiveCapabilitiesOf } from "./linux_capabilities.ts";
import { readLinuxHandles } from "./linux_handles.ts";
import { executableMappings } from "./linux_maps.ts";
import { denoProcFs, type ProcFs } from "./proc_fs.ts";
import { timedOut, withDeadline } from "./memory/deadline.ts";
import { maxMountinfoBytes, procHidesProcesses } from "./proc_visibility.ts";
import type {
  ProcessReadNeeds,
  ProcessRecord,
  ProcessSource,
  ProcessSourceEvent,
} from "./process_record.ts";

/** The bounds of the Linux source. */
export interface LinuxProcessLimits {
  /** Processes listed at most (a warning names the cap). */
  readonly maxProcesses: number;
  /** Descriptors read per process at most (a warning names the process and the cap). */
  readonly maxHandles: number;
  /** Bytes of `cmdline` read per process. */
  readonly maxCmdlineBytes: number;
  /** Bytes of `maps` read per process (for `DllPath`). */
  readonly maxMapsBytes: number;
  /**
   * Milliseconds a read of `cmdline` or `maps` may take: both take the
   * process's memory-map lock, which a process stuck in a page fault (on a
   * hung FUSE or NFS mount) holds for ever. Past it the read is abandoned.
   */
  readonly readTimeoutMs: number;
}

/** The default bounds. */
export const defaultLinuxProcessLimits: LinuxProcessLimits = {
  maxProcesses: 65_536,
  maxHandles: 4_096,
  maxCmdlineBytes: 128 * 1024,
  maxMapsBytes: 4 << 20,
  readTimeoutMs: 5_000,
};

/** `CLK_TCK` when `getconf` cannot tell it: the value of every mainstream Linux build. */
export const fallbackClockTicks = 100;

const deletedSuffix = " (deleted)";
const statBytes = 4096;
const statusBytes = 16 * 1024;
const procStatBytes = 1 << 20;
const passwdBytes = 4 << 20;

/** Options of the Linux source; tests pass a recorded tree and runner. */
export interface LinuxProcessSourceOptions {
  readonly fs?: ProcFs;
  readonly limits?: Partial<LinuxProcessLimits>;
  /** Runs `getconf CLK_TCK`. */
  readonly runner?: CommandRunner;
  readonly passwdPath?: string;
  /** The clock, for `observedAt`. */
  readonly now?: () => Date;
  /** This user's uid (default `Deno.uid()`): root sees every process whatever `hidepid` says. */
  readonly uid?: number | null;
}

/** The Linux source over `/proc`. */
export function linuxProcessSource(options: LinuxProcessSourceOptions = {}): ProcessSource {
  const fs = options.fs ?? denoProcFs;
  const limits = { ...defaultLinuxProcessLimits, ...options.limits };
  const now = options.now ?? (() => new Date());
  return {
    name: "proc",
    async *processes(needs, signal) {
      let listed;
      try {
        listed = await fs.readDir("/proc", limits.maxProcesses * 2 + 1024);
      } catch (error) {
        yield {
          skip: true,
          object: "process-list:/proc",
          reason: "unreadable",
          detail: `/proc could not be listed: ${messageOf(error)}`,
          listing: true,
        };
        return;
      }
      const hiding = await hidingOf(fs, options.uid);
      if (hiding !== undefined) {
        yield {
          skip: true,
          object: "process-list:/proc",
          reason: "unreadable",
          detail: hiding,
          listing: true,
        };
      }
      let pids = listed.names.filter((name) => /^\d+$/.test(name)).map(Number)
        .sort((a, b) => a - b);
      if (pids.length > limits.maxProcesses || listed.truncated) {
        yield {
          warning: true,
          code: "process-cap",
          message: `${pids.length} processes, only the first ${limits.maxProcesses} are read ` +
            `(the cap on processes)`,
        };
        yield {
          skip: true,
          object: `processes past the first ${limits.maxProcesses}`,
          reason: "too-large",
          detail: `${pids.length} processes listed (or more): the rest are not read`,
          listing: true,
        };
        pids = pids.slice(0, limits.maxProcesses);
      }
      const clock = await clockTicks(options.runner, signal);
      if (clock.warning) yield clock.warning;
      let boot: number | undefined;
      try {
        boot = bootTimeOf((await fs.readText("/proc/stat", procStatBytes)).text);
      } catch {
        boot = undefined;
      }
      const users = needs.user
        ? await readPasswd(fs, options.passwdPath ?? "/etc/passwd")
        : new Map();
      for (const pid of pids) {
        if (signal?.aborted) return;
        yield* readProcess(fs, pid, needs, limits, clock.ticks, boot, users, now);
      }
    },
  };
}

/**
 * One process, read so that every field is of one process: its `stat` is
 * read again after its other files, and when the start time changed (the
 * process exited and its pid was taken by another between the reads) it is
 * read once more; a pid that changes hands twice is a skip.
 */
async function* readProcess(
  fs: ProcFs,
  pid: number,
  needs: ProcessReadNeeds,
  limits: LinuxProcessLimits,
  ticks: number,
  boot: number | undefined,
  users: ReadonlyMap<number, string>,
  now: () => Date,
): AsyncGenerator<ProcessSourceEvent> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const same = yield* readProcessOnce(fs, pid, needs, limits, ticks, boot, users, now);
    if (same) return;
  }
  yield {
    skip: true,
    object: `pid ${pid}`,
    reason: "error",
    detail: `pid ${pid} changed hands twice while its files were read (processes started and ` +
      `exited under it)`,
  };
}

/** The start time of `stat`, read again; undefined when the process is gone or unreadable. */
async function startTicksNow(fs: ProcFs, base: string): Promise<number | undefined> {
  try {
    return parseProcStat((await fs.readText(`${base}/stat`, statBytes)).text)?.starttime;
  } catch {
    return undefined;
  }
}

/**
 * Reads one process; returns false, having yielded nothing, when its pid
 * changed hands during the reads (the start time in `stat` changed).
 */
async function* readProcessOnce(
  fs: ProcFs,
  pid: number,
  needs: ProcessReadNeeds,
  limits: LinuxProcessLimits,
  ticks: number,
  boot: number | undefined,
  users: ReadonlyMap<number, string>,
  now: () => Date,
): AsyncGenerator<ProcessSourceEvent, boolean> {
  const base = `/proc/${pid}`;
  let stat: ProcStat | undefined;
  try {
    stat = parseProcStat((await fs.readText(`${base}/stat`, statBytes)).text);
  } catch (error) {
    if (isGone(error)) return true;
    yield { skip: true, object: `pid ${pid}`, ...failureOf(error, `${base}/stat`) };
    return true;
  }
  if (stat === undefined) {
    yield {
      skip: true,
      object: `pid ${pid}`,
      reason: "error",
      detail: `${base}/stat is not a stat line`,
    };
    return true;
  }
  const observedAt = now().toISOString();
  const who = `pid ${pid} (${stat.comm})`;
  const unevaluated: Record<string, string> = {};
  const denied: string[] = [];
  const warnings: ProcessSourceEvent[] = [];
  const kernelThread = (stat.flags & kernelThreadFlag) !== 0;
  const zombie = stat.state === "Z";

  let commandLine: string | undefined;
  if (!kernelThread) {
    try {
      const read = await bounded(
        fs.readBytes(`${base}/cmdline`, limits.maxCmdlineBytes),
        limits.readTimeoutMs,
      );
      const args = splitCmdline(read.data);
      commandLine = args.length === 0 ? undefined : joinCommandLine(args);
      if (zombie && commandLine === undefined) {
        // Its memory is gone, and its arguments with it: unknown, not empty.
        const why = "a zombie: its command line went with its memory";
        unevaluated.arguments = why;
        unevaluated.cmdLine = why;
      }
      if (read.truncated) {
        const why = `the command line is longer than ${limits.maxCmdlineBytes} bytes: cut there`;
        unevaluated.arguments = why;
        unevaluated.cmdLine = why;
      }
    } catch (error) {
      if (isGone(error)) return true;
      const why = `${base}/cmdline: ${messageOf(error)}`;
      if (error instanceof ReadTimeout) warnings.push(timeoutWarning(who, why));
      unevaluated.arguments = why;
      unevaluated.cmdLine = why;
      if (isDenied(error)) denied.push("cmdline");
    }
  }

  let name: string | undefined = stat.comm;
  let imagePath: string | undefined;
  let imageOpenPath: string | undefined;
  let imageDeleted = false;
  let unnamed: string | undefined;
  if (!kernelThread) {
    try {
      const target = await fs.readLink(`${base}/exe`);
      imageDeleted = target.endsWith(deletedSuffix);
      imagePath = imageDeleted ? target.slice(0, -deletedSuffix.length) : target;
      imageOpenPath = `${base}/exe`;
      name = imagePath.slice(imagePath.lastIndexOf("/") + 1);
    } catch (error) {
      if (isGone(error) && !zombie) return true;
      if (error instanceof Deno.errors.InvalidData) {
        // The image's name is not UTF-8, which Deno cannot give: the name and folder are
        // unknown, but the file still opens through the link, so its digests are computed.
        unnamed = `${base}/exe: ${messageOf(error)} (the name is comm, cut at 15 bytes)`;
        unevaluated.name = unnamed;
        unevaluated.path = unnamed;
        imageOpenPath = `${base}/exe`;
      } else {
        const why = zombie
          ? "a zombie: its image is no longer mapped (the name is comm, cut at 15 bytes)"
          : `${base}/exe: ${messageOf(error)} (the name is comm, cut at 15 bytes)`;
        unevaluated.name = why;
        unevaluated.path = why;
        for (const digest of imageFields) unevaluated[digest] = why;
        if (isDenied(error) && needs.image !== false) denied.push("exe");
      }
    }
  }

  let username: string | undefined;
  let securityId: string | undefined;
  let enabledPrivileges: string[] | undefined;
  if (needs.user || needs.privileges) {
    try {
      const status = (await fs.readText(`${base}/status`, statusBytes)).text;
      const uid = needs.user ? effectiveUidOf(status) : undefined;
      if (uid !== undefined) {
        securityId = String(uid);
        username = users.get(uid) ?? securityId;
      }
      if (needs.privileges) {
        enabledPrivileges = effectiveCapabilitiesOf(status);
        if (enabledPrivileges === undefined) {
          unevaluated.EnabledPrivilege = `${base}/status has no CapEff line`;
        }
      }
    } catch (error) {
      if (isGone(error)) return true;
      const why = `${base}/status: ${messageOf(error)}`;
      for (const field of statusFields(needs)) unevaluated[field] = why;
      if (isDenied(error)) denied.push("status");
    }
  }

  let handles;
  if (needs.handles) {
    try {
      const read = await readLinuxHandles(fs, pid, limits.maxHandles);
      handles = read.handles;
      if (read.truncated) {
        const why = `more than ${limits.maxHandles} descriptors: only the first are listed`;
        unevaluated.HandleList = why;
        warnings.push({ warning: true, code: "handle-cap", message: `${who}: ${why}` });
      } else if (read.unread.length > 0) {
        // A target whose name is not UTF-8 (which Deno cannot give) is still a handle.
        unevaluated.HandleList = `${read.unread.length} descriptor(s) could not be named: ` +
          read.unread.slice(0, 3).join("; ");
      }
    } catch (error) {
      if (isGone(error) && !zombie) return true;
      unevaluated.HandleList = `${base}/fd: ${messageOf(error)}`;
      if (isDenied(error)) denied.push("fd");
    }
  }

  let libraries: string[] | undefined;
  if (needs.libraries && !kernelThread && !zombie) {
    try {
      const read = await bounded(
        fs.readText(`${base}/maps`, limits.maxMapsBytes),
        limits.readTimeoutMs,
      );
      libraries = executableMappings(read.text);
      if (read.truncated) {
        unevaluated.DllPath = `${base}/maps is longer than ${limits.maxMapsBytes} bytes: cut there`;
      }
    } catch (error) {
      if (isGone(error)) return true;
      unevaluated.DllPath = `${base}/maps: ${messageOf(error)}`;
      if (error instanceof ReadTimeout) warnings.push(timeoutWarning(who, unevaluated.DllPath));
      if (isDenied(error)) denied.push("maps");
    }
  }

  const record: ProcessRecord = {
    pid,
    parentPid: stat.ppid,
    name,
    ...(imagePath === undefined ? {} : { imagePath }),
    ...(imageOpenPath === undefined ? {} : { imageOpenPath }),
    ...(imageDeleted ? { imageDeleted } : {}),
    ...(commandLine === undefined ? {} : { commandLine }),
    ...(username === undefined ? {} : { username }),
    ...(securityId === undefined ? {} : { securityId }),
    ...(boot === undefined ? {} : { startTime: startTimeOf(boot, stat.starttime, ticks) }),
    kernelSeconds: stat.stime / ticks,
    userSeconds: stat.utime / ticks,
    ...(kernelThread ? { kernelThread } : {}),
    ...(libraries === undefined ? {} : { libraries }),
    ...(handles === undefined ? {} : { handles }),
    ...(enabledPrivileges === undefined ? {} : { enabledPrivileges }),
    observedAt,
    ...(Object.keys(unevaluated).length === 0 ? {} : { unevaluated }),
  };
  // Gone since (undefined) is fine: all was read of the one process.
  const startedNow = await startTicksNow(fs, base);
  if (startedNow !== undefined && startedNow !== stat.starttime) return false;
  yield* warnings;
  if (unnamed !== undefined && needs.image !== false) {
    // A name chosen so that it cannot be read: the run says so (incomplete), as for files.
    yield {
      skip: true,
      object: `pid ${pid} ${stat.comm}`,
      reason: "invalid-name",
      detail: unnamed,
    };
  }
  if (denied.length > 0) {
    yield {
      skip: true,
      object: `pid ${pid} ${name ?? stat.comm}`,
      reason: "unreadable",
      detail: `permission denied reading ${denied.map((part) => `${base}/${part}`).join(", ")}`,
    };
  }
  yield record;
  return true;
}

/** Why the listing may miss other users' processes (`hidepid`), or undefined. */
async function hidingOf(fs: ProcFs, uid: number | null | undefined): Promise<string | undefined> {
  let mountinfo: string;
  try {
    mountinfo = (await fs.readText("/proc/self/mountinfo", maxMountinfoBytes)).text;
  } catch {
    return undefined; // No mount table (a recorded tree, a bare procfs): nothing known hides.
  }
  return procHidesProcesses(mountinfo, uid === undefined ? Deno.uid() : uid);
}

/** A read of `/proc` abandoned at its deadline. */
class ReadTimeout extends Error {}

/** `work`, or a {@linkcode ReadTimeout} after `ms` milliseconds (the read itself cannot be stopped). */
async function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  const result = await withDeadline(work, ms);
  if (result === timedOut) throw new ReadTimeout(`did not answer within ${ms} ms (abandoned)`);
  return result;
}

function timeoutWarning(who: string, why: string): ProcessSourceEvent {
  return { warning: true, code: "proc-read-timeout", message: `${who}: ${why}` };
}

/** The fields an unreadable image leaves unknown. */
const imageFields = ["md5sum", "sha1sum", "sha256sum"] as const;

async function clockTicks(
  runner: CommandRunner | undefined,
  signal: AbortSignal | undefined,
): Promise<{ ticks: number; warning?: ProcessSourceEvent }> {
  const output = await readCommandOutput("getconf", ["CLK_TCK"], {
    maxBytes: 64,
    timeoutMs: 5_000,
    ...(signal ? { signal } : {}),
    ...(runner ? { runner } : {}),
  });
  const ticks = output.ok ? Number(output.text.trim()) : NaN;
  if (Number.isSafeInteger(ticks) && ticks > 0) return { ticks };
  return {
    ticks: fallbackClockTicks,
    warning: {
      warning: true,
      code: "clock-ticks-assumed",
      message:
        `CLK_TCK unknown (${output.ok ? `getconf said ${output.text.trim()}` : output.reason}): ` +
        `${fallbackClockTicks} assumed for start and CPU times`,
    },
  };
}

async function readPasswd(fs: ProcFs, path: string): Promise<Map<number, string>> {
  try {
    return parsePasswd((await fs.readText(path, passwdBytes)).text);
  } catch {
    return new Map();
  }
}

/** A process that exited: its `/proc` folder or one of its files is gone (ENOENT, ESRCH). */
/** The ProcessItem fields read from `/proc/<pid>/status` for these needs. */
function statusFields(needs: ProcessReadNeeds): string[] {
  return [
    ...(needs.user ? ["Username", "SecurityID"] : []),
    ...(needs.privileges ? ["EnabledPrivilege"] : []),
  ];
}

function isGone(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    (error as { code?: string }).code === "ESRCH";
}

function isDenied(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied;
}

function failureOf(
  error: unknown,
  path: string,
): { reason: "unreadable" | "error"; detail: string } {
  return {
    reason: isDenied(error) ? "unreadable" : "error",
    detail: `${path}: ${messageOf(error)}`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
