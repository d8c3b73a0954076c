/**
 * A usage error found after commander parsed the options (two options that
 * contradict each other, a bad value in a task file): `runCli` prints it as
 * `iocscan <command>: <message>` and exits with code 2, like commander's own.
 *
 * @module
 */

/** A usage error; its message names the offending option or key. */
export class UsageError extends Error {
  /** @param message What is wrong, naming the option or task-file key. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
