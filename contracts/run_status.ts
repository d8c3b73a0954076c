/**
 * The statuses of a stored run: the one definition, shared by the scan that
 * finishes a run, the store that keeps it, and every reader (`results`, the
 * PowerShell module). docs/store.md describes them.
 *
 * @module
 */

/**
 * The lifecycle of a run: `running` until {@linkcode RunsTable.finishedAt} is set.
 *
 * - `completed`: every input was read and every IOC could be evaluated.
 * - `incomplete`: the run finished, but an input it was given could not be read or an IOC
 *   could not be evaluated at all; never to be read as clean.
 * - `interrupted`: stopped by a signal (Ctrl-C, SIGTERM, SIGHUP, a scheduler's stop); what was
 *   found until then is stored.
 * - `abandoned`: found `running` by a later command while the process that ran it was gone
 *   (crash, kill -9, power loss).
 * - `failed`: the run could not go on (a collector or the store failed).
 * - `cancelled`: kept for runs stored by earlier versions; no longer written.
 */
export type RunStatus =
  | "running"
  | "completed"
  | "incomplete"
  | "interrupted"
  | "abandoned"
  | "failed"
  | "cancelled";

/** Every status, for validation. */
export const RUN_STATUSES: readonly RunStatus[] = [
  "running",
  "completed",
  "incomplete",
  "interrupted",
  "abandoned",
  "failed",
  "cancelled",
];
