/**
 * Bounded reads of the kernel's text files (`/proc/<pid>/status`,
 * `/proc/net/tcp6`, `/proc/self/mountinfo`). They report a size of 0, so a
 * whole-file read cannot be sized in advance: read in chunks up to a cap, and
 * say when the cap cut the text.
 *
 * Deno refuses `/proc`, `/sys` and `/dev` without every permission (even with
 * `--allow-read=/proc`): the live host collectors run with the `engine`
 * permission set, and their tests read them through a child process.
 *
 * @example
 * ```ts ignore
 * import { readProcText } from "./proc_file.ts";
 * const status = await readProcText("/proc/self/status", 64 * 1024);
 * console.log(status.truncated, status.text.split("\n")[0]);
 * ```
 *
 * @module
 */

/** The text read, and whether the cap cut it. */
export interface ProcText {
  readonly text: string;
  readonly truncated: boolean;
}

const chunkSize = 64 * 1024;

/** Reads at most `maxBytes` of a kernel text file. Throws what `Deno.open` or `read` throws. */
export async function readProcText(path: string, maxBytes: number): Promise<ProcText> {
  const bytes = await readProcBytes(path, maxBytes);
  return { text: new TextDecoder().decode(bytes.data), truncated: bytes.truncated };
}

/** Reads at most `maxBytes` of a kernel file as bytes (`/proc/<pid>/cmdline` holds NULs). */
export async function readProcBytes(
  path: string,
  maxBytes: number,
): Promise<{ readonly data: Uint8Array; readonly truncated: boolean }> {
  using file = await Deno.open(path, { read: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const buffer = new Uint8Array(Math.min(chunkSize, maxBytes - size + 1));
    const read = await file.read(buffer);
    if (read === null) break;
    chunks.push(buffer.subarray(0, read));
    size += read;
    if (size > maxBytes) {
      truncated = true;
      size = maxBytes;
      break;
    }
  }
  const data = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.byteLength, size - at));
    data.set(part, at);
    at += part.byteLength;
    if (at >= size) break;
  }
  return { data, truncated };
}
