/**
 * Standard output for every command. When the reader goes away (`iocscan … |
 * head -1`, EPIPE), the output ends there but the command does not: it
 * finishes its work silently (a scan still stores its results) and exits with
 * the code it would have had with the reader still there (docs/events.md,
 * "Exit codes"). Every byte a command writes to stdout goes through here,
 * by way of an {@linkcode OutputWriter} (output_writer.ts).
 *
 * @module
 */

/** A sink that can take bytes synchronously (Deno.stdout, a file, a test's buffer). */
export interface SyncWritable {
  /** Writes some of the bytes; returns how many. */
  writeSync(bytes: Uint8Array): number;
}

/** A {@linkcode SyncWritable} that discards everything once its reader has gone. */
export class CommandOutput implements SyncWritable {
  readonly #out: SyncWritable;
  #readerGone = false;

  /** @param out Where the bytes go (Deno.stdout unless a test says otherwise). */
  constructor(out: SyncWritable = Deno.stdout) {
    this.#out = out;
  }

  /** True once a write failed because nobody reads the output any more. */
  get readerGone(): boolean {
    return this.#readerGone;
  }

  /** Writes what it can; after EPIPE, accepts and discards every byte. */
  writeSync(bytes: Uint8Array): number {
    if (this.#readerGone) return bytes.length;
    try {
      return this.#out.writeSync(bytes);
    } catch (error) {
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
      this.#readerGone = true;
      return bytes.length;
    }
  }
}

/** The process's standard output, shared by every command. */
export const stdout: CommandOutput = new CommandOutput();
