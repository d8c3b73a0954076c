/**
 * Standard output for every command. When the reader goes away (`iocscan … |
 * head -1`, EPIPE), the output ends there but the command does not: it
 * finishes its work silently (a scan still stores its results) and exits with
 * the code it would have had with the reader still there (docs/events.md,
 * "Exit codes"). console.log already drops output after EPIPE; this gives the
 * byte writers (NDJSON, tables) the same behaviour instead of an exception.
 *
 * @module
 */
import type { SyncWritable } from "./ndjson_writer.ts";

/** A {@linkcode SyncWritable} that discards everything once its reader has gone. */
export class CommandOutput implements SyncWritable {
  readonly #out: SyncWritable;
  readonly #encoder = new TextEncoder();
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

  /** Writes `text` whole. */
  write(text: string): void {
    let bytes = this.#encoder.encode(text);
    while (bytes.length > 0) bytes = bytes.subarray(this.writeSync(bytes));
  }
}

/** The process's standard output, shared by every command. */
export const stdout: CommandOutput = new CommandOutput();
