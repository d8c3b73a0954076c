/**
 * Timestamps with nanoseconds as ISO 8601 text (`2026-12-07T05:42:11.123456789Z`): a `Date`
 * keeps milliseconds only, and a restored file must get its times back exactly.
 *
 * @module
 */

const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1_000_000_000n;

/** Nanoseconds since the epoch → ISO 8601 UTC with nine fraction digits. */
export function nanosecondsToIso(ns: bigint): string {
  let seconds = ns / NS_PER_SECOND;
  let fraction = ns % NS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NS_PER_SECOND;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(9, "0")}Z`;
}

/** ISO 8601 (any fraction length, `Z` or an offset) → nanoseconds since the epoch. */
export function isoToNanoseconds(iso: string): bigint {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (match === null) throw new Error(`not an ISO 8601 time: ${iso}`);
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 time: ${iso}`);
  const fraction = BigInt((match[2] ?? "").padEnd(9, "0"));
  return BigInt(ms) * NS_PER_MS + fraction;
}
