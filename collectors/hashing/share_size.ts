/**
 * How many files the worker pool hands a worker in one message (a share), from
 * the recent mean size of a file answered.
 *
 * @module
 */

// A share: files of about this many bytes in all (by the recent mean size), at most
// `maximumShare` files. A worker holds two. Small enough that the two workers share the
// collector's read-ahead (512 files) and end together; large enough that a message fills the
// MD5 lanes and costs little per file (1 MiB and 128 files took 6% less CPU than half that on
// 10,000 files of 8.5 KB).
const bytesPerWorker = 1024 * 1024;
const maximumShare = 128;
// Files per worker before the first answers tell what a file costs.
const initialShare = 8;
// Files a worker may hold, whatever their size: two messages that fill every MD5 lane.
const minimumShare = 16;
// The mean file size is taken over roughly this many of the last files answered.
const meanOver = 64;

/**
 * The share size of one pool: {@linkcode ShareSizer.answered} takes the sizes
 * of every message of answers, {@linkcode ShareSizer.size} says how many files
 * go in the next share.
 *
 * @example
 * ```ts
 * import { ShareSizer } from "./share_size.ts";
 * const shares = new ShareSizer();
 * shares.size(); // 8: nothing answered yet
 * shares.answered(new Array(16).fill(1 << 20));
 * shares.size(); // 16: one file fills a share, but a share fills the MD5 lanes twice
 * ```
 */
export class ShareSizer {
  #bytesPerFile = 0;
  #filesAnswered = 0;

  /**
   * Takes the answers of one message: the bytes read per file (a negative size,
   * a failed or split file, counts as 0 bytes).
   */
  answered(sizes: readonly number[]): void {
    let bytes = 0;
    for (const size of sizes) bytes += Math.max(0, size);
    const weight = Math.min(this.#filesAnswered, meanOver);
    this.#bytesPerFile = (this.#bytesPerFile * weight + bytes) / (weight + sizes.length);
    this.#filesAnswered += sizes.length;
  }

  /**
   * Files in the next share: a few until some files are answered, then about
   * 1 MiB of files by the recent mean size, from 16 to 128 files.
   */
  size(): number {
    if (this.#filesAnswered < initialShare * 2) return initialShare;
    return Math.min(
      maximumShare,
      Math.max(minimumShare, Math.ceil(bytesPerWorker / Math.max(this.#bytesPerFile, 1))),
    );
  }
}
