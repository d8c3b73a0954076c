/**
 * Hashing one file in synchronous calls, as a hash worker does when a file
 * gains nothing from the MD5 lanes.
 *
 * @module
 */
import { openForHashing } from "./open_for_hashing.ts";
import { growthAllowance } from "./read_limits.ts";
import type {
  CreateHash,
  DigestOnce,
  FileFailure,
  HashAlgorithm,
  HashRequest,
  SyncFsSubset,
  WorkerAnswer,
} from "./types.ts";

/**
 * The workers' way to hash one file, in synchronous calls: they are cheaper
 * per file than async ones and cost nothing here, because a worker thread has
 * nothing else to do. {@linkcode openForHashing} checks and opens the file;
 * reads stop well past the size seen, so that a device swapped in cannot keep
 * it reading. One buffer per worker serves every file: a file that fits in it
 * (the usual case, at 1 MiB) is read in one call and digested with
 * `digestOnce`; a larger one streams through `hashFactory`. A file already
 * opened by {@linkcode openForHashing} comes as `alreadyOpened` (it is closed
 * here all the same).
 */
export function hashPathSync(
  fs: SyncFsSubset,
  hashFactory: CreateHash,
  digestOnce: DigestOnce,
  classify: (error: unknown) => FileFailure,
  request: HashRequest,
  buffer: Uint8Array,
  windows: boolean,
  alreadyOpened?: { fd: number; size: number },
): WorkerAnswer {
  const opened = alreadyOpened ?? openForHashing(fs, classify, request, windows);
  if (!("fd" in opened)) return opened;
  const { fd } = opened;
  const info = { size: opened.size };
  try {
    // How much to ask for: what is left of the size seen plus one byte, to notice the end (or
    // growth) at once; Deno's node:fs readSync costs in proportion to the length asked, not to
    // the bytes read. Past the size seen, as much as fits.
    const wantedAt = (position: number, room: number) =>
      position > info.size ? room : Math.min(room, info.size - position + 1);
    // First fill the buffer; a file that ends inside it is digested in one call per digest.
    let filled = 0;
    let ended = false;
    while (filled < buffer.length) {
      const wanted = wantedAt(filled, buffer.length - filled);
      const count = fs.readSync(fd, buffer, filled, wanted, filled);
      if (count === 0) {
        ended = true;
        break;
      }
      filled += count;
      // A short read that reaches the size seen is the end: saves a read per small file.
      if (count < wanted && filled >= info.size) {
        ended = true;
        break;
      }
    }
    const digests: Partial<Record<HashAlgorithm, string>> = {};
    // The end came before the size seen at open: the file shrank while read, and digests of
    // what was read would be those of a prefix, not of the file.
    const shrank = (read: number): WorkerAnswer => ({
      ok: false,
      reason: "changed-while-read",
      detail: `shrank while read (${info.size} bytes at the start, ended after ${read})`,
    });
    if (ended && filled < info.size) return shrank(filled);
    if (ended) {
      const data = buffer.subarray(0, filled);
      for (const algorithm of request.algorithms) digests[algorithm] = digestOnce(algorithm, data);
      return { ok: true, digests, bytes: filled };
    }
    const hashes = request.algorithms.map((algorithm) => hashFactory(algorithm));
    for (const hash of hashes) hash.update(buffer);
    let position = filled;
    for (;;) {
      const wanted = wantedAt(position, buffer.length);
      const count = fs.readSync(fd, buffer, 0, wanted, position);
      if (count === 0) {
        if (position < info.size) return shrank(position);
        break;
      }
      const chunk = buffer.subarray(0, count);
      for (const hash of hashes) hash.update(chunk);
      position += count;
      if (count < wanted && position >= info.size) break;
      if (position > info.size + growthAllowance) {
        return {
          ok: false,
          reason: "changed-while-read",
          detail: `kept growing while read (${info.size} bytes at the start, ${position} read)`,
        };
      }
    }
    request.algorithms.forEach((algorithm, index) =>
      digests[algorithm] = hashes[index]!.digest("hex")
    );
    return { ok: true, digests, bytes: position };
  } catch (error) {
    return { ok: false, ...classify(error) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing to do about a failed close of a read-only descriptor.
    }
  }
}
