/**
 * The exit codes of every iocscan command. This file is their one definition;
 * the PowerShell module and docs/events.md follow it.
 *
 * @module
 */

/** Exit codes shared by all commands. Warnings never change the exit code. */
export const ExitCode = {
  /** The command finished, read every input it was given, and nothing was detected. */
  Clean: 0,
  /** At least one detection, whether the run was complete or not (the summary says which). */
  Detected: 1,
  /** The command could not run: a usage error, no IOC loadable, the store not openable. */
  Error: 2,
  /**
   * Nothing detected, but the run was incomplete: an input named on the command
   * line or in the task could not be read, or an IOC could not be evaluated at all.
   * Never read as clean.
   */
  Incomplete: 3,
  /** Interrupted by SIGHUP (128 + 1); the run is stored as `interrupted`. */
  InterruptedByHangup: 129,
  /** Interrupted by SIGINT (Ctrl-C, 128 + 2); the run is stored as `interrupted`. */
  InterruptedByInterrupt: 130,
  /** Interrupted by SIGTERM (a service or Task Scheduler stop, 128 + 15); stored as `interrupted`. */
  InterruptedByTermination: 143,
} as const;

/** One of the values of {@linkcode ExitCode}. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/** The signals a scan handles, with the exit code each gives (128 + the signal number). */
export const interruptExitCodes = {
  SIGHUP: ExitCode.InterruptedByHangup,
  SIGINT: ExitCode.InterruptedByInterrupt,
  SIGTERM: ExitCode.InterruptedByTermination,
} as const satisfies Record<string, ExitCode>;

/** A signal that interrupts a scan. */
export type InterruptSignal = keyof typeof interruptExitCodes;
