/**
 * A promise raced against a timer: what the kernel may leave blocked for
 * ever (reading the maps or the memory of a process stuck in a page fault on
 * a hung mount) is abandoned at a deadline instead of hanging the scan.
 *
 * @module
 */

/** What {@linkcode withDeadline} gives when the deadline came first. */
export const timedOut: unique symbol = Symbol("timed out");

/**
 * `work`'s value, or {@linkcode timedOut} after `ms` milliseconds. The work
 * is not stopped (a blocked system call cannot be), only no longer awaited;
 * its later failure is swallowed.
 *
 * @example
 * ```ts
 * import { timedOut, withDeadline } from "./deadline.ts";
 * const value = await withDeadline(new Promise<number>(() => {}), 10);
 * console.log(value === timedOut); // true
 * ```
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof timedOut> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), Math.max(1, ms));
  });
  // A rejection after the deadline has nobody left to hear it.
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
