/**
 * Marvin32, Microsoft's keyed 64-bit hash, as used by the hashes of new-format
 * (HvLE) transaction log entries. Written from the algorithm's description.
 *
 * @module
 */

/** The seed of HvLE log entry hashes (bytes `82 EF 4D 88 7A 4E 55 C5`). */
export const LOG_ENTRY_SEED_LO = 0x7a4e55c5;
/** High half of the HvLE seed. */
export const LOG_ENTRY_SEED_HI = 0x82ef4d88;

/**
 * Computes Marvin32 of `bytes[start, end)` and returns it as the two u32
 * halves `[lo, hi]`.
 *
 * @example
 * ```ts
 * import { marvin32 } from "./marvin32.ts";
 * const [lo, hi] = marvin32(new Uint8Array(0), 0, 0);
 * ```
 */
export function marvin32(
  bytes: Uint8Array,
  start: number,
  end: number,
  seedLo = LOG_ENTRY_SEED_LO,
  seedHi = LOG_ENTRY_SEED_HI,
): [number, number] {
  let lo = seedLo >>> 0;
  let hi = seedHi >>> 0;
  let pos = start;
  const mix = (value: number) => {
    lo = (lo + value) >>> 0;
    hi = (hi ^ lo) >>> 0;
    lo = (((lo << 20) | (lo >>> 12)) + hi) >>> 0;
    hi = (((hi << 9) | (hi >>> 23)) ^ lo) >>> 0;
    lo = (((lo << 27) | (lo >>> 5)) + hi) >>> 0;
    hi = ((hi << 19) | (hi >>> 13)) >>> 0;
  };
  while (end - pos >= 4) {
    mix(
      (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>>
        0,
    );
    pos += 4;
  }
  // The tail (0–3 bytes) is padded with a single 0x80 byte, little-endian.
  let final = 0x80;
  const rest = end - pos;
  if (rest === 1) final = 0x8000 | bytes[pos]!;
  else if (rest === 2) final = 0x800000 | (bytes[pos + 1]! << 8) | bytes[pos]!;
  else if (rest === 3) {
    final = (0x80000000 | (bytes[pos + 2]! << 16) | (bytes[pos + 1]! << 8) | bytes[pos]!) >>> 0;
  }
  mix(final >>> 0);
  mix(0);
  return [lo, hi];
}
