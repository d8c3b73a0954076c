/**
 * Three-valued (Kleene) logic: true, false, and unknown for a condition whose
 * field has not been computed yet (a lazy hash). It lets the matcher decide a
 * group without computing expensive fields whenever the fields it has settle it.
 *
 * @module
 */

/** A three-valued truth value. */
export type Truth = typeof Truth[keyof typeof Truth];

/** The three truth values. */
export const Truth = {
  False: 0,
  True: 1,
  Unknown: 2,
} as const;

/** Kleene AND: false wins, then unknown. */
export function andTruth(values: Iterable<Truth>): Truth {
  let result: Truth = Truth.True;
  for (const value of values) {
    if (value === Truth.False) return Truth.False;
    if (value === Truth.Unknown) result = Truth.Unknown;
  }
  return result;
}

/** Kleene OR: true wins, then unknown. */
export function orTruth(values: Iterable<Truth>): Truth {
  let result: Truth = Truth.False;
  for (const value of values) {
    if (value === Truth.True) return Truth.True;
    if (value === Truth.Unknown) result = Truth.Unknown;
  }
  return result;
}

/** Kleene NOT: unknown stays unknown. */
export function notTruth(value: Truth): Truth {
  return value === Truth.Unknown ? value : value === Truth.True ? Truth.False : Truth.True;
}
