/**
 * Writes NDJSON events to a stream, one event a line, buffered so that a scan
 * emitting thousands of events does not make thousands of small writes.
 *
 * @module
 */

/** A sink that can take bytes synchronously (Deno.stdout, a file). */
export interface SyncWritable {
  writeSync(bytes: Uint8Array): number;
}

/** Buffers event lines and writes them in large blocks. */
export class NdjsonWriter {
  readonly #encoder = new TextEncoder();
  #buffer: string[] = [];
  #size = 0;

  constructor(private readonly out: SyncWritable, private readonly blockSize = 64 * 1024) {}

  /** Adds one event; writes the buffer once it is large. */
  write(event: unknown): void {
    const line = JSON.stringify(event, jsonReplacer) + "\n";
    this.#buffer.push(line);
    this.#size += line.length;
    if (this.#size >= this.blockSize) this.flushSync();
  }

  /** Writes whatever is buffered. */
  flushSync(): void {
    if (this.#buffer.length === 0) return;
    let bytes = this.#encoder.encode(this.#buffer.join(""));
    this.#buffer = [];
    this.#size = 0;
    while (bytes.length > 0) bytes = bytes.subarray(this.out.writeSync(bytes));
  }

  /** Writes whatever is buffered (async form, for symmetry with streams). */
  flush(): Promise<void> {
    this.flushSync();
    return Promise.resolve();
  }
}

/** JSON.stringify replacer: bigints as numbers when safe, else as strings; bytes as hex. */
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
