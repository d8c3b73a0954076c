/**
 * One streaming read of an opened file for every requested digest, the next
 * read running while this thread hashes the current chunk.
 *
 * @module
 */
import type { CreateHash, OpenedFile } from "./types.ts";

/** What one streaming pass produced. */
export interface DigestResult {
  /** Lower-case hex digests keyed by algorithm (`md5`, `sha1`, `sha256`). */
  digests: Record<string, string>;
  /** Bytes read. */
  bytes: number;
}

/**
 * Reads an opened file once, from start to end, feeding every chunk to all
 * requested hashes. Two buffers alternate so that the next read runs (in
 * Deno's I/O threads) while this thread hashes the current chunk; memory is
 * two chunks whatever the file size.
 */
export async function streamDigests(
  file: OpenedFile,
  algorithms: readonly string[],
  createHash: CreateHash,
  chunkSize: number,
): Promise<DigestResult> {
  const hashes = algorithms.map((algorithm) => createHash(algorithm));
  // Small files get a buffer their size (plus one byte to see the end at once).
  const size = Math.max(1, Math.min(chunkSize, file.size + 1));
  const buffers = [new Uint8Array(size), new Uint8Array(size)] as const;
  let flip = 0;
  let current = buffers[0];
  let count = await file.read(current, 0);
  let position = count;
  while (count > 0) {
    // A short read that reaches the size seen at open is the end: saves one read per small file.
    const atEnd = count < current.length && position >= file.size;
    flip ^= 1;
    const next = buffers[flip as 0 | 1];
    const pending = atEnd ? undefined : file.read(next, position);
    const chunk = current.subarray(0, count);
    for (const hash of hashes) hash.update(chunk);
    if (pending === undefined) break;
    count = await pending;
    position += count;
    current = next;
  }
  const digests: Record<string, string> = {};
  algorithms.forEach((algorithm, index) => digests[algorithm] = hashes[index]!.digest("hex"));
  return { digests, bytes: position };
}
