/**
 * The exit codes of every iocscan command. This file is their one definition;
 * the PowerShell module and docs/events.md follow it.
 *
 * @module
 */

/** Exit codes shared by all commands. Warnings never change the exit code. */
export const ExitCode = {
  /** The command finished and nothing was detected. */
  Clean: 0,
  /** The command finished with at least one detection. */
  Detected: 1,
  /** The command could not run: a usage or input error. */
  Error: 2,
} as const;

/** One of the values of {@linkcode ExitCode}. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];
