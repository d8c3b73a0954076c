/**
 * The exit code a command's action decided on, kept per program run. Commands
 * set it; the program reads it when the command returns. Its own file so that
 * commands need not import the program that loads them.
 *
 * @module
 */
import { ExitCode } from "../contracts/exit_codes.ts";

const exitCodes = new WeakMap<object, number>();

/** Records the exit code a command's action decided on (on the program the command belongs to). */
export function setExitCode(command: object, code: number): void {
  let root: { parent?: unknown } = command as { parent?: unknown };
  while (root.parent) root = root.parent as { parent?: unknown };
  exitCodes.set(root, code);
}

/** The exit code recorded for `program`: {@linkcode ExitCode.Clean} when no command set one. */
export function exitCodeOf(program: object): number {
  return exitCodes.get(program) ?? ExitCode.Clean;
}
