/**
 * Helpers for the hashing wing's tests (and the file collector's tests of
 * hashing): deadlines, patterned file contents and their digests.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { HashAlgorithm } from "./types.ts";

/** Rejects when `promise` takes longer than `ms`: a hang fails the test instead of blocking it. */
export async function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Distinct bytes per seed (xorshift), so that a digest swapped between files shows. */
export function patterned(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761 + 1) >>> 0 || 1;
  const words = new Uint32Array(bytes.buffer, 0, size >>> 2);
  for (let index = 0; index < words.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[index] = state >>> 0;
  }
  for (let index = words.length * 4; index < size; index++) {
    bytes[index] = (index * 31 + seed) & 255;
  }
  return bytes;
}

/** `node:crypto`'s digests of `bytes`, keyed by algorithm. */
export function digestsOf(bytes: Uint8Array, algorithms: readonly HashAlgorithm[]) {
  const digests: Partial<Record<HashAlgorithm, string>> = {};
  for (const algorithm of algorithms) {
    digests[algorithm] = createHash(algorithm).update(bytes).digest("hex");
  }
  return digests;
}
