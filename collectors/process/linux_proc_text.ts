/**
 * Parsers of the Linux `/proc` text files the process source reads:
 * `/proc/<pid>/stat` (whose second field, the command name, may hold spaces
 * and parentheses), the `Uid:` line of `/proc/<pid>/status`, and `btime` of
 * `/proc/stat`. Pure functions over text, so they are tested with recorded
 * files.
 *
 * @module
 */

/** The fields of `/proc/<pid>/stat` the collector uses. */
export interface ProcStat {
  readonly pid: number;
  /** The command name (`comm`), cut by the kernel at 15 bytes. */
  readonly comm: string;
  /** `R`, `S`, `D`, `Z` (zombie), `T`… */
  readonly state: string;
  readonly ppid: number;
  /** The kernel's `PF_*` flags. */
  readonly flags: number;
  /** Clock ticks in user mode. */
  readonly utime: number;
  /** Clock ticks in kernel mode. */
  readonly stime: number;
  /** Clock ticks after boot at which the process started. */
  readonly starttime: number;
}

/** `PF_KTHREAD`: the process is a kernel thread (no image, no command line). */
export const kernelThreadFlag = 0x00200000;

/** The 1-based field numbers of proc(5), counted from `state` (field 3). */
const field = { state: 3, ppid: 4, flags: 9, utime: 14, stime: 15, starttime: 22 } as const;

/**
 * Parses `/proc/<pid>/stat`. The command name sits between the first `(` and
 * the last `)`: a process can name itself `a) R 1 (`, so splitting on spaces
 * is wrong. Returns undefined for text that is not a stat line.
 *
 * @example
 * ```ts
 * import { parseProcStat } from "./linux_proc_text.ts";
 * const stat = parseProcStat("42 (my ) prog) S 1 42 42 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 1234 0 0");
 * // stat?.comm === "my ) prog", stat?.ppid === 1, stat?.utime === 7, stat?.starttime === 1234
 * ```
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3.
  const at = (n: number) => rest[n - field.state];
  const numbers = [field.ppid, field.flags, field.utime, field.stime, field.starttime].map((n) =>
    Number(at(n))
  );
  if (!Number.isSafeInteger(pid) || numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [ppid, flags, utime, stime, starttime] = numbers as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: at(field.state) ?? "?",
    ppid,
    flags,
    utime,
    stime,
    starttime,
  };
}

/** The effective uid of `/proc/<pid>/status` (`Uid: real effective saved fs`), as `ps -o user`. */
export function effectiveUidOf(status: string): number | undefined {
  const line = status.split("\n").find((candidate) => candidate.startsWith("Uid:"));
  const effective = line?.slice("Uid:".length).trim().split(/\s+/)[1];
  return effective !== undefined && /^\d+$/.test(effective) ? Number(effective) : undefined;
}

/** The boot time of `/proc/stat` (`btime <seconds since the epoch>`). */
export function bootTimeOf(stat: string): number | undefined {
  const match = /^btime\s+(\d+)\s*$/m.exec(stat);
  return match ? Number(match[1]) : undefined;
}

/** A process's start as ISO 8601 UTC, from the boot time and its start in clock ticks. */
export function startTimeOf(bootSeconds: number, startTicks: number, clockTicks: number): string {
  return new Date(Math.round((bootSeconds + startTicks / clockTicks) * 1000)).toISOString();
}
