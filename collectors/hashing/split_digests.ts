/**
 * A large file's digests on two workers at once: which digests go together,
 * and the file's outcome from the two answers.
 *
 * @module
 */
import type { HashAlgorithm, HashOutcome, WorkerAnswer } from "./types.ts";

/** Files from this size up (bytes) have their digests computed on two workers at once. */
export const defaultSplitAbove = 64 * 1024 * 1024;

/**
 * Splits digests into two groups of about equal cost (MD5 costs about as much
 * as SHA-1 and SHA-256 together with SHA-NI).
 */
export function splitAlgorithms(algorithms: readonly HashAlgorithm[]): HashAlgorithm[][] {
  if (algorithms.includes("md5")) {
    return [["md5"], algorithms.filter((algorithm) => algorithm !== "md5")];
  }
  return [algorithms.slice(0, 1), algorithms.slice(1)];
}

/**
 * The outcome of a split file from its halves' answers: one failure fails it,
 * and halves that read different byte counts (the file changed between their
 * reads) make it `changed-while-read`.
 */
export function joinHalves(parts: readonly WorkerAnswer[]): HashOutcome {
  const digests: Partial<Record<HashAlgorithm, string>> = {};
  let bytes: number | undefined;
  for (const part of parts) {
    if ("split" in part) return { ok: false, reason: "error", detail: "split twice" };
    if (!part.ok) return part;
    if (bytes !== undefined && part.bytes !== bytes) {
      // The halves read different contents: their digests are not of one file.
      return {
        ok: false,
        reason: "changed-while-read",
        detail: `changed between the reads of its digests (${bytes} and ${part.bytes} bytes)`,
      };
    }
    Object.assign(digests, part.digests);
    bytes = part.bytes;
  }
  return { ok: true, digests, bytes: bytes ?? 0 };
}
