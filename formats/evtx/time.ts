/**
 * Windows time values (FILETIME and SYSTEMTIME) rendered as ISO-8601 UTC with
 * 100 ns precision, the way Event Viewer exports them.
 *
 * @module
 */

/** Milliseconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const epochDeltaMs = 11644473600000;
const two32 = 4294967296;

/**
 * Formats a FILETIME given as its two 32-bit halves, e.g.
 * `2013-10-23T16:22:39.9735000Z`. Works in exact integer arithmetic (the
 * 64-bit tick count does not fit a double).
 */
export function filetimeToIso(low: number, high: number): string {
  const hiRem = high % 10000;
  const partial = hiRem * two32 + low; // < 2^46 + 2^32, exact
  const ms = Math.floor(high / 10000) * two32 + Math.floor(partial / 10000);
  const ticks = partial % 10000; // 100 ns units below the millisecond
  const unixMs = ms - epochDeltaMs;
  const date = new Date(unixMs);
  if (Number.isNaN(date.getTime())) return "";
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ (or ±YYYYYY- for odd years)
  return `${iso.slice(0, -1)}${String(ticks).padStart(4, "0")}Z`;
}

/** A FILETIME as fractional milliseconds since the Unix epoch (for comparisons only). */
export function filetimeToUnixMs(low: number, high: number): number {
  return (high * two32 + low) / 10000 - epochDeltaMs;
}

/** Unix milliseconds as a FILETIME-scale number (for comparisons only). */
export function unixMsToFiletime(ms: number): number {
  return (ms + epochDeltaMs) * 10000;
}

/** Formats a 16-byte SYSTEMTIME at `offset`: `2019-03-08T12:34:56.7890000Z`. */
export function systemtimeToIso(view: DataView, offset: number): string {
  const year = view.getUint16(offset, true);
  const month = view.getUint16(offset + 2, true);
  const day = view.getUint16(offset + 6, true);
  const hour = view.getUint16(offset + 8, true);
  const minute = view.getUint16(offset + 10, true);
  const second = view.getUint16(offset + 12, true);
  const ms = view.getUint16(offset + 14, true);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(year, 4)}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:${p(second)}.${
    p(ms, 3)
  }0000Z`;
}
