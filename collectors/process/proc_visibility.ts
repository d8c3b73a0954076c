/**
 * Whether `/proc` hides other users' processes from this one: mounted with
 * `hidepid=2` (`hidepid=invisible`), an unprivileged user's listing of
 * `/proc` holds only the processes it may trace, and nothing says that others
 * exist. A scan that lists processes (or ties sockets to them) must then say
 * it did not see them all, never report clean.
 *
 * Shared by the process and port collectors (both list `/proc`).
 *
 * @module
 */

/** The most bytes of `/proc/self/mountinfo` read (a host with thousands of mounts has ~1 MiB). */
export const maxMountinfoBytes = 4 << 20;

/** `hidepid` values that make other users' processes invisible (proc(5)). */
const hidingValues: ReadonlySet<string> = new Set(["2", "invisible"]);

/**
 * The `hidepid=…` option of the procfs mounted at `/proc` when it hides
 * other users' processes, from `/proc/self/mountinfo` text; undefined when it
 * does not (or no such mount is listed).
 *
 * @example
 * ```ts
 * import { procHidingOption } from "./proc_visibility.ts";
 * procHidingOption("22 27 0:21 / /proc rw,relatime - proc proc rw,hidepid=invisible\n");
 * // "hidepid=invisible"
 * ```
 */
export function procHidingOption(mountinfo: string): string | undefined {
  let found: string | undefined;
  for (const line of mountinfo.split("\n")) {
    // `id parent dev root mountpoint options [optional…] - fstype source superoptions`
    const [before, after] = line.split(" - ");
    if (after === undefined) continue;
    const mountPoint = before!.split(" ")[4];
    const [fsType, , superOptions = ""] = after.split(" ");
    if (mountPoint !== "/proc" || fsType !== "proc") continue;
    // The last mount on /proc is the one seen.
    found = superOptions.split(",").find((option) => {
      const [key, value] = option.split("=");
      return key === "hidepid" && value !== undefined && hidingValues.has(value);
    });
  }
  return found;
}

/**
 * Why this user's listing of `/proc` may miss processes, or undefined when
 * it sees them all: root (uid 0) sees every process whatever the option.
 */
export function procHidesProcesses(mountinfo: string, uid: number | null): string | undefined {
  if (uid === 0) return undefined;
  const option = procHidingOption(mountinfo);
  return option === undefined ? undefined : `/proc is mounted with ${option}: ` +
    `the processes of other users are not listed to uid ${uid ?? "?"}`;
}
