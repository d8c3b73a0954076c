/**
 * Windows time values (FILETIME and SYSTEMTIME) rendered as ISO-8601 UTC with
 * 100 ns precision, the way Event Viewer exports them.
 *
 * @module
 */

/** Milliseconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const epochDeltaMs = 11644473600000;
const two32 = 4294967296;

const twoDigits = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const msPerDay = 86400000;
/** Days from 1601-01-01 to 1970-01-01. */
const daysTo1970 = 134774;

/**
 * Formats a FILETIME given as its two 32-bit halves, e.g.
 * `2013-10-23T16:22:39.9735000Z`. Works in exact integer arithmetic (the
 * 64-bit tick count does not fit a double) and without Date objects (this
 * runs for every record).
 */
export function filetimeToIso(low: number, high: number): string {
  const hiRem = high % 10000;
  const partial = hiRem * two32 + low; // < 2^46 + 2^32, exact
  const ms = Math.floor(high / 10000) * two32 + Math.floor(partial / 10000);
  const ticks = partial % 10000; // 100 ns units below the millisecond
  const days = Math.floor(ms / msPerDay);
  let rest = ms - days * msPerDay;
  // Records come in time order: the date part is nearly always the previous one's.
  if (days !== lastDays) {
    lastDays = days;
    lastDatePrefix = civilDate(days);
  }
  const hour = Math.floor(rest / 3600000);
  rest -= hour * 3600000;
  const minute = Math.floor(rest / 60000);
  rest -= minute * 60000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  const fraction = milli * 10000 + ticks; // 7 digits
  return `${lastDatePrefix}${twoDigits[hour]}:${twoDigits[minute]}:${twoDigits[second]}.${
    String(fraction).padStart(7, "0")
  }Z`;
}

let lastDays = NaN;
let lastDatePrefix = "";

/** `YYYY-MM-DDT` for a day count since 1601-01-01 (H. Hinnant's civil-from-days). */
function civilDate(days: number): string {
  const z = days - daysTo1970 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year < 1000 ? String(year).padStart(4, "0") : year}-${twoDigits[month]}-${
    twoDigits[day]
  }T`;
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
