/**
 * Which process runs a scan, told well enough that a later command can say
 * whether that process is gone: its pid, and when the OS says it started (so
 * that a pid reused by another process is not taken for the scan's).
 *
 * The start time comes from Linux's `/proc/<pid>/stat` (field 22, clock ticks
 * since boot, plus `btime` of `/proc/stat`). Deno lets only a program with all
 * permissions read `/proc`, which the engine has (docs/architecture.md); with
 * less (the test permission set), and on Windows and macOS, the start time is
 * unknown and liveness rests on the pid alone.
 *
 * @module
 */
import process from "node:process";

/** A process as a run records it. */
export interface ProcessIdentity {
  /** The process id. */
  pid: number;
  /** When it started (ISO 8601 UTC), or null when the OS would not tell. */
  startedAt: string | null;
}

/** What a later look at a recorded process finds. */
export type ProcessState =
  /** The process is there (with the recorded start time, when one was recorded and readable). */
  | "alive"
  /** No such process, a zombie, or another process that reuses the pid. */
  | "gone"
  /** It cannot be told (no permission to ask). */
  | "unknown";

/**
 * `/proc/<pid>/stat` counts in USER_HZ ticks, which Linux fixes at 100 for
 * user space on every architecture it ships (`sysconf(_SC_CLK_TCK)`).
 */
const LINUX_TICKS_PER_SECOND = 100;

/**
 * How far two readings of one process's start time may differ: `btime` is
 * derived from the clock and the uptime, and moves by a second now and then.
 */
const START_TIME_TOLERANCE_MS = 2_000;

/** This process. */
export async function currentProcess(): Promise<ProcessIdentity> {
  return { pid: Deno.pid, startedAt: (await processStartTime(Deno.pid)) ?? null };
}

/**
 * When process `pid` started, as ISO 8601 UTC; undefined when it cannot be
 * read (not Linux, no permission, no such process).
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  const stat = await linuxProcessStat(pid);
  if (stat === undefined) return undefined;
  const bootSeconds = await linuxBootTime();
  if (bootSeconds === undefined) return undefined;
  const ms = bootSeconds * 1000 + (stat.startTicks * 1000) / LINUX_TICKS_PER_SECOND;
  return new Date(Math.round(ms)).toISOString();
}

/**
 * Whether the process a run recorded is still there: `gone` when no process
 * has the pid, when it is a zombie, or when the process that has it started at
 * another time than recorded.
 */
export async function processState(recorded: ProcessIdentity): Promise<ProcessState> {
  const exists = pidExists(recorded.pid);
  if (exists !== "alive") return exists;
  const stat = await linuxProcessStat(recorded.pid);
  if (stat?.state === "Z") return "gone";
  if (recorded.startedAt === null) return "alive";
  const startedAt = await processStartTime(recorded.pid);
  if (startedAt === undefined) return "alive";
  const drift = Math.abs(Date.parse(startedAt) - Date.parse(recorded.startedAt));
  return drift > START_TIME_TOLERANCE_MS ? "gone" : "alive";
}

/** Signal 0: nothing is sent, but the OS says whether the pid exists. */
function pidExists(pid: number): ProcessState {
  if (!Number.isSafeInteger(pid) || pid <= 0) return "unknown";
  try {
    process.kill(pid, 0);
    return "alive";
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ESRCH") return "gone";
    // EPERM: it exists, under another user. Anything else (no permission to ask): unknown.
    return code === "EPERM" ? "alive" : "unknown";
  }
}

interface LinuxProcessStat {
  /** Field 3: R, S, D, Z (zombie), T… */
  state: string;
  /** Field 22: clock ticks after boot. */
  startTicks: number;
}

async function linuxProcessStat(pid: number): Promise<LinuxProcessStat | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  const text = await readProcFile(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTicks = Number(fields[22 - 3]);
  if (state === undefined || !Number.isSafeInteger(startTicks)) return undefined;
  return { state, startTicks };
}

async function linuxBootTime(): Promise<number | undefined> {
  const text = await readProcFile("/proc/stat");
  const seconds = Number(text?.match(/^btime (\d+)$/m)?.[1]);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : undefined;
}

async function readProcFile(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    // NotFound (no such process), NotCapable (Deno's permissions stop short of --allow-all).
    return undefined;
  }
}
