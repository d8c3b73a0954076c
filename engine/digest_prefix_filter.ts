/**
 * A filter in front of a large map of digests: one bit per prefix of the
 * first six hex digits, about 32 bits a key (512 KiB for 100,000 keys, small
 * enough to stay in a core's cache), so that a digest no key starts like is
 * ruled out without probing the map, where nearly every probe of 100,000 keys
 * misses the cache.
 *
 * @module
 */

/** Keys below this count fit the cache as a map: no filter is built for them. */
const fewestKeys = 1024;
const prefixLength = 6;
const prefixBits = 24;

// The value of a hex digit by char code (either case), or -1.
const hexValue = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  hexValue["0123456789abcdef".charCodeAt(digit)] = digit;
  hexValue["0123456789ABCDEF".charCodeAt(digit)] = digit;
}

/** The number the first six characters of `text` spell in hex (either case), or -1. */
function hexPrefix(text: string): number {
  if (text.length < prefixLength) return -1;
  let value = 0;
  for (let index = 0; index < prefixLength; index++) {
    const code = text.charCodeAt(index);
    const digit = code < 128 ? hexValue[code]! : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Which six-hex-digit prefixes a set of lower-case hex digests starts with
 * (their leading bits, as many as the set's size calls for).
 *
 * @example
 * ```ts
 * import { DigestPrefixFilter } from "./digest_prefix_filter.ts";
 * const keys = Array.from({ length: 2000 }, (_, index) => index.toString(16).padStart(32, "0"));
 * const filter = DigestPrefixFilter.of(keys)!;
 * filter.mayHold("00000000000000000000000000000001"); // true
 * filter.mayHold("ffffffffffffffffffffffffffffffff"); // false: no key starts with ffffff
 * ```
 */
export class DigestPrefixFilter {
  readonly #bits: Uint32Array;
  readonly #shift: number;

  private constructor(bits: Uint32Array, shift: number) {
    this.#bits = bits;
    this.#shift = shift;
  }

  /**
   * The filter of `keys` (lower-case hex, as `normaliseHash` gives them), or
   * `undefined` when it would not pay: fewer than 1,024 keys, or a key
   * shorter than six digits.
   */
  static of(keys: Iterable<string>): DigestPrefixFilter | undefined {
    const prefixes: number[] = [];
    for (const key of keys) {
      const prefix = hexPrefix(key);
      if (prefix < 0) return undefined;
      prefixes.push(prefix);
    }
    if (prefixes.length < fewestKeys) return undefined;
    // About 32 bits a key (3% false positives), between 64 Ki and 16 Mi bits.
    const width = Math.min(prefixBits, Math.max(16, Math.ceil(Math.log2(prefixes.length * 32))));
    const shift = prefixBits - width;
    const bits = new Uint32Array((2 ** width) / 32);
    for (const prefix of prefixes) {
      const bit = prefix >>> shift;
      bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    return new DigestPrefixFilter(bits, shift);
  }

  /**
   * Whether some key may be `text` once normalised (trimmed, lower-cased).
   * `false` is certain: the text starts with six hex digits that no key
   * starts with. Text that does not start with six hex digits (leading
   * spaces, say) may always hold, for the map to decide.
   */
  mayHold(text: string): boolean {
    const prefix = hexPrefix(text);
    if (prefix < 0) return true;
    const bit = prefix >>> this.#shift;
    return (this.#bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }
}
