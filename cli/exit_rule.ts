/**
 * The one rule that turns what a command managed to read into its exit code,
 * shared by every command (docs/events.md, "Exit codes"):
 *
 * | situation                                                  | code |
 * | ---------------------------------------------------------- | ---- |
 * | something detected                                         | 1    |
 * | nothing to read was found, or no input could be read/loaded | 2    |
 * | some named inputs could not be read, nothing detected      | 3    |
 * | every input read, nothing detected                         | 0    |
 *
 * An "input" is what the user named or a folder they named holds: an IOC
 * file, an EVTX file, a hive, an items file. Usage errors and an unopenable
 * store are 2 before any input is read. EPIPE on stdout changes nothing
 * (cli/output/command_output.ts).
 *
 * @module
 */
import type { LoadedIocSet } from "../openioc/load.ts";
import { ExitCode } from "../contracts/exit_codes.ts";

/** What a command read. */
export interface InputTally {
  /** Inputs the command tried to read: read ones and failed ones. */
  inputs: number;
  /** Inputs that could not be read or loaded, or were read only in part. */
  failed: number;
  /** Whether anything was detected (commands that evaluate indicators). */
  detected?: boolean;
}

/**
 * The exit code for a finished command.
 *
 * @example
 * ```ts
 * import { exitCodeForInputs } from "./exit_rule.ts";
 * exitCodeForInputs({ inputs: 3, failed: 1 }); // 3: incomplete
 * exitCodeForInputs({ inputs: 3, failed: 3 }); // 2: nothing could be read
 * exitCodeForInputs({ inputs: 0, failed: 0 }); // 2: nothing to read (an empty folder)
 * ```
 */
export function exitCodeForInputs(tally: InputTally): ExitCode {
  if (tally.detected) return ExitCode.Detected;
  if (tally.inputs === 0 || tally.failed >= tally.inputs) return ExitCode.Error;
  if (tally.failed > 0) return ExitCode.Incomplete;
  return ExitCode.Clean;
}

/**
 * What loading a set of IOC paths read: every file found or named (a rejected
 * link or FIFO that the folder walk never counted as a file too), and those
 * that could not be loaded.
 */
export function iocSetTally(set: LoadedIocSet): InputTally {
  const rejected = new Set(set.rejected.map((entry) => entry.file));
  const inputs = new Set([...set.files, ...set.missing, ...rejected]);
  return { inputs: inputs.size, failed: rejected.size };
}
