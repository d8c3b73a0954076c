/**
 * Reading an IOC file without trusting its name or its size: the file is
 * opened once, non-blocking (so a FIFO or a device cannot block the open),
 * checked to be a regular file on the opened descriptor, and read in a loop
 * up to the limit plus one byte. `stat().size` is not trusted: procfs files
 * such as `/proc/self/pagemap` report 0 and then read for gigabytes.
 *
 * @module
 */
import * as fs from "node:fs";
import { describeFsError } from "./ioc_files.ts";
import { IocLoadError } from "./load_error.ts";
import { tooLarge } from "./parse_ioc.ts";

/** Bytes asked of each read(2): large enough for an IOC file in a read or two. */
const readChunkBytes = 256 * 1024;

const windows = Deno.build.os === "windows";

/**
 * Reads the regular file `file`, rejecting it past `limit` bytes without
 * reading further.
 *
 * @throws {IocLoadError} When the file cannot be opened, is not a regular file
 *   (FIFO, socket, device, folder), would block, cannot be read or holds more
 *   than `limit` bytes.
 *
 * @example
 * ```ts ignore
 * import { readBounded } from "./bounded_read.ts";
 * const bytes = await readBounded("iocs/a.ioc", 3 * 1024 * 1024);
 * ```
 */
export async function readBounded(file: string, limit: number): Promise<Uint8Array> {
  const flags = windows ? "r" : fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = await call<number>((done) => fs.open(file, flags, done));
  } catch (error) {
    throw new IocLoadError(file, describeFsError(error));
  }
  try {
    let stats: fs.Stats;
    try {
      stats = await call<fs.Stats>((done) => fs.fstat(fd, done));
    } catch (error) {
      throw new IocLoadError(file, `cannot examine: ${describeFsError(error)}`);
    }
    // Checked on the descriptor: the name may have been swapped since the walk saw it.
    if (!stats.isFile()) throw new IocLoadError(file, "not a regular file");
    if (stats.size > limit) throw tooLarge(file, stats.size, limit);
    return await readUpTo(file, fd, limit, stats.size);
  } finally {
    fs.close(fd, () => {});
  }
}

/** Reads at most `limit` + 1 bytes from the start; one byte past the limit rejects the file. */
async function readUpTo(
  file: string,
  fd: number,
  limit: number,
  statSize: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const wanted = Math.min(readChunkBytes, limit + 1 - total);
    const buffer = new Uint8Array(wanted);
    let count: number;
    try {
      count = await call<number>((done) => fs.read(fd, buffer, 0, wanted, total, done));
    } catch (error) {
      throw new IocLoadError(file, `cannot read: ${readFailure(error)}`);
    }
    if (count === 0) break;
    chunks.push(buffer.subarray(0, count));
    total += count;
    if (total > limit) {
      throw new IocLoadError(
        file,
        `file holds more than the ${limit}-byte limit though its size reads ${statSize} ` +
          `(reading stopped at ${total} bytes; see --max-file-size)`,
      );
    }
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** A read error, with the one a non-blocking read of a file that has no data yet explained. */
function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EAGAIN" || code === "EWOULDBLOCK") {
    return "it would block (a stream such as /proc/kmsg, not a file)";
  }
  return describeFsError(error);
}

function call<T>(start: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    start((error, value) => error ? reject(error) : resolve(value))
  );
}
