/**
 * The one writer of a command's standard output: NDJSON events (one JSON
 * value a line, docs/events.md) and human text, encoded into one byte buffer
 * and written in large blocks, so that a command emitting thousands of events
 * or lines does not make thousands of small writes. Its sink is
 * {@linkcode stdout} (command_output.ts, which keeps the EPIPE rule) unless a
 * test gives another. The registry's fast RegistryItem lines
 * (registry_ndjson.ts) extend it and share its buffer.
 *
 * Human text is written as given: whoever builds it (report/) escapes what
 * came from IOC files or evidence with `escapeTerminalText()`. Events are
 * exact JSON, never escaped for the terminal.
 *
 * @example
 * ```ts
 * import { OutputWriter } from "./output_writer.ts";
 * const chunks: Uint8Array[] = [];
 * const writer = new OutputWriter({ writeSync: (bytes) => (chunks.push(bytes.slice()), bytes.length) });
 * writer.event({ type: "summary", files: 2n });
 * writer.line("2 files");
 * writer.flush(); // {"type":"summary","files":2}\n2 files\n
 * ```
 *
 * @module
 */
import { stdout, type SyncWritable } from "./command_output.ts";

/** Block size of event streams: a scan's events reach a reader in 64 KiB writes. */
export const defaultBlockBytes = 64 * 1024;

/** How an {@linkcode OutputWriter} writes. */
export interface OutputWriterOptions {
  /** Write once this many bytes are buffered (default {@linkcode defaultBlockBytes}). */
  blockBytes?: number;
  /**
   * The events hold only JSON values (strings, numbers, booleans, arrays,
   * plain objects, Dates): they are written without {@linkcode jsonReplacer},
   * which costs a call per value on streams of millions of items.
   */
  plainJson?: boolean;
}

const encoder = new TextEncoder();
const NEWLINE = 0x0a;
/** A UTF-16 code unit takes at most this many UTF-8 bytes. */
const maxBytesPerCodeUnit = 3;
/** The smallest buffer, whatever block size is asked for. */
const minimumBlockBytes = 64;

/** Buffers event lines and text as UTF-8 and writes them to a sink in large blocks. */
export class OutputWriter {
  /** The bytes not written yet: `buffer[0, pos)`. */
  protected buffer: Uint8Array;
  /** Where the next byte goes. */
  protected pos = 0;
  readonly #out: SyncWritable;
  readonly #replacer: typeof jsonReplacer | undefined;

  /** Creates a writer flushing to `out` (the process's stdout by default). */
  constructor(out: SyncWritable = stdout, options: OutputWriterOptions = {}) {
    this.#out = out;
    this.#replacer = options.plainJson ? undefined : jsonReplacer;
    this.buffer = new Uint8Array(
      Math.max(options.blockBytes ?? defaultBlockBytes, minimumBlockBytes),
    );
  }

  /** Writes one event as a JSON line (bigints as numbers or strings, bytes as hex). */
  event(event: unknown): void {
    this.#encode(JSON.stringify(event, this.#replacer), true);
  }

  /** Writes human text as it is (already escaped for the terminal by whoever built it). */
  text(text: string): void {
    this.#encode(text, false);
  }

  /** Writes one line of human text and its newline. */
  line(text: string): void {
    this.#encode(text, true);
  }

  /** Writes whatever is buffered. */
  flush(): void {
    let bytes = this.buffer.subarray(0, this.pos);
    while (bytes.length > 0) bytes = bytes.subarray(this.#out.writeSync(bytes));
    this.pos = 0;
  }

  /** Makes room for `size` more bytes, flushing (or growing the buffer) first when needed. */
  protected room(size: number): void {
    if (this.pos + size <= this.buffer.length) return;
    this.flush();
    if (size > this.buffer.length) this.buffer = new Uint8Array(size * 2);
  }

  #encode(text: string, newline: boolean): void {
    this.room(text.length * maxBytesPerCodeUnit + 1);
    this.pos += encoder.encodeInto(text, this.buffer.subarray(this.pos)).written;
    if (newline) this.buffer[this.pos++] = NEWLINE;
  }
}

/**
 * JSON.stringify replacer of every event stream: bigints as numbers when
 * safe, else as strings; bytes as lower-case hex.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Uint8Array) {
    return Array.from(value, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }
  return value;
}
