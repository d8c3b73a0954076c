/**
 * The bounds and waits of the quarantine's Windows platform, as data.
 *
 * @module
 */

/** The bounds and waits of the Windows platform. */
export interface WindowsPlatformLimits {
  /** An alternate data stream larger than this is refused (a note), never cut. */
  readonly maxStreamBytes: number;
  /** Alternate data streams captured per file at most (the rest: a note). */
  readonly maxStreams: number;
  /** How long to wait for a terminated process to end. */
  readonly terminateWaitMs: number;
  /** Deletes tried after the processes were stopped (the image is unmapped a little after). */
  readonly deleteRetries: number;
  /** The wait between two of those tries, and between two looks at a delete-pending name. */
  readonly retryDelayMs: number;
  /** Looks at a name whose delete is pending (another handle still open) before giving up. */
  readonly deletePendingLooks: number;
}

/** The defaults: 16 MiB per stream, 256 streams, 5 s for a process to end, 10 tries 200 ms apart. */
export const defaultWindowsPlatformLimits: WindowsPlatformLimits = {
  maxStreamBytes: 16 << 20,
  maxStreams: 256,
  terminateWaitMs: 5_000,
  deleteRetries: 10,
  retryDelayMs: 200,
  deletePendingLooks: 10,
};
