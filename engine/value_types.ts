/**
 * Parsing and normalising typed values, on both sides of a comparison: the
 * `Content` of an IndicatorItem (text) and the observed value (text, number,
 * bigint, boolean or Date). Every parser returns undefined for a value it
 * cannot read; callers turn that into "invalid value" (IOC side) or "no match"
 * (observed side).
 *
 * @module
 */
import type { FieldValue } from "../contracts/observed_item.ts";

/** A scalar observed value, after lists and records are walked. */
export type ScalarValue = string | number | bigint | boolean | Date;

/**
 * The text form of an observed scalar, used by string conditions: strings as
 * they are, numbers and bigints in decimal, booleans as `true`/`false`, dates
 * in ISO 8601 UTC.
 *
 * @example
 * ```ts
 * import { textOf } from "./value_types.ts";
 * textOf(new Date(0)); // "1970-01-01T00:00:00.000Z"
 * ```
 */
export function textOf(value: ScalarValue): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  return String(value);
}

/** Whether a field value is a scalar (not a list, record, null or undefined). */
export function isScalar(value: FieldValue): value is ScalarValue {
  const kind = typeof value;
  return kind === "string" || kind === "number" || kind === "bigint" || kind === "boolean" ||
    value instanceof Date;
}

const decimalInteger = /^[+-]?\d+$/;
const hexInteger = /^0x[0-9a-f]+$/i;

/** Parses an integer written in decimal or `0x` hex (trimmed); undefined otherwise. */
export function parseIntegerText(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (decimalInteger.test(trimmed) || hexInteger.test(trimmed)) return BigInt(trimmed);
  return undefined;
}

/** Reads an observed value as an integer: whole numbers, bigints and integer text. */
export function observedInteger(value: ScalarValue): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === "string") return parseIntegerText(value);
  return undefined;
}

const isoDate =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an ISO 8601 date or date-time into epoch milliseconds. A value with no
 * zone is UTC (as Kaspersky and Trend Micro require of IOC dates). Fractions
 * beyond milliseconds are truncated.
 *
 * @example
 * ```ts
 * import { parseDateText } from "./value_types.ts";
 * parseDateText("2011-04-20T10:28:55Z") === parseDateText("2011-04-20T10:28:55"); // true
 * ```
 */
export function parseDateText(text: string): number | undefined {
  const match = isoDate.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const month = Number(mo), day = Number(d), hour = Number(h ?? 0), minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (
    month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(y), month) || minute > 59 ||
    second > 60 || (hour > 23 && !(hour === 24 && minute === 0 && second === 0))
  ) {
    return undefined;
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0"));
  const date = new Date(0);
  // setUTCFullYear keeps years below 100 (`0001-01-01`) instead of mapping them to 19xx.
  date.setUTCFullYear(Number(y), month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  let time = date.getTime();
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
    time -= sign * offsetMinutes * 60_000;
  }
  return Number.isNaN(time) ? undefined : time;
}

/**
 * How long a span of time a date written as `text` covers, in milliseconds:
 * a whole day for `2020-01-01`, a minute for `…T10:00`, a second for
 * `…T10:00:00`, a millisecond for `…T10:00:00.123`. `is` and the top of a
 * `TO` range hold over the whole span, so a value written to the second
 * matches file times that carry milliseconds.
 *
 * @example
 * ```ts
 * import { dateTextSpan } from "./value_types.ts";
 * dateTextSpan("2020-01-01"); // 86400000
 * dateTextSpan("2020-01-01T10:00:00Z"); // 1000
 * ```
 */
export function dateTextSpan(text: string): number {
  const match = isoDate.exec(text.trim());
  if (!match) return 1;
  const [, , , , hour, , second, fraction] = match;
  if (hour === undefined) return 86_400_000;
  if (second === undefined) return 60_000;
  if (fraction === undefined) return 1000;
  return Math.max(1, 10 ** (3 - Math.min(3, fraction.length)));
}

/** The number of days of `month` (1–12) in `year`, leap years included. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Reads an observed date: a Date, ISO 8601 text, or a number of epoch milliseconds. */
export function observedDate(value: ScalarValue): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return parseDateText(value);
  return undefined;
}

const isoDuration =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Parses a duration in seconds: a plain number of seconds or ISO 8601 `PnDTnHnMnS`. */
export function parseDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+-]?\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = isoDuration.exec(trimmed);
  if (!match || trimmed.toUpperCase() === "P" || trimmed.toUpperCase().endsWith("T")) {
    return undefined;
  }
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** Reads an observed duration in seconds: a number or duration text. */
export function observedDuration(value: ScalarValue): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return parseDurationText(value);
  return undefined;
}

/** Normalises a boolean to `true`/`false`: booleans, `true/false/1/0/yes/no` in any case. */
export function normaliseBool(value: ScalarValue): "true" | "false" | undefined {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "bigint") {
    const number = Number(value);
    return number === 1 ? "true" : number === 0 ? "false" : undefined;
  }
  if (typeof value !== "string") return undefined;
  switch (value.trim().toLowerCase()) {
    case "true":
    case "1":
    case "yes":
      return "true";
    case "false":
    case "0":
    case "no":
      return "false";
  }
  return undefined;
}

const hexDigits = /^[0-9a-f]+$/i;
const lowerHexDigits = /^[0-9a-f]+$/;

/** Normalises a hash to trimmed lower-case hex; undefined when it is not hex. */
export function normaliseHash(text: string): string | undefined {
  // Digests the collectors compute are already in this form: one test, no copies.
  if (lowerHexDigits.test(text)) return text;
  const trimmed = text.trim();
  return hexDigits.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function canonicalIpv4(text: string): string | undefined {
  const match = ipv4.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets.join(".") : undefined;
}

/**
 * The canonical form of an IPv4 or IPv6 address, so that equal addresses
 * compare equal whatever their spelling: IPv4 without leading zeros; IPv6
 * lower-case, without leading zeros, with the longest run of two or more zero
 * groups compressed to `::` (RFC 5952); an IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`) becomes the IPv4 address. Undefined when not an address.
 *
 * @example
 * ```ts
 * import { canonicalIp } from "./value_types.ts";
 * canonicalIp("2001:DB8:0:0:0:0:0:1"); // "2001:db8::1"
 * ```
 */
export function canonicalIp(text: string): string | undefined {
  let trimmed = text.trim();
  if (trimmed.startsWith("[") && trimmed.endsWith("]")) trimmed = trimmed.slice(1, -1);
  const zone = trimmed.indexOf("%");
  if (zone >= 0) trimmed = trimmed.slice(0, zone);
  if (!trimmed.includes(":")) return canonicalIpv4(trimmed);
  const groups = ipv6Groups(trimmed.toLowerCase());
  if (groups === undefined) return undefined;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [a = 0, b = 0] = groups.slice(6);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return compressIpv6(groups);
}

/** An IP network in CIDR form (`10.0.0.0/8`, `2001:db8::/32`). */
export interface IpNetwork {
  v4: boolean;
  /** The address bits above the prefix length. */
  prefix: bigint;
  bits: number;
}

/**
 * Reads CIDR notation. IPv4-mapped IPv6 networks count as IPv4, as addresses do.
 *
 * @example
 * ```ts
 * import { ipInNetwork, parseCidr } from "./value_types.ts";
 * const network = parseCidr("10.0.0.0/8")!;
 * ipInNetwork(network, "10.20.30.40"); // true
 * ipInNetwork(network, "11.0.0.1"); // false
 * ```
 */
export function parseCidr(text: string): IpNetwork | undefined {
  const match = /^(.+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const address = ipNumber(match[1]!);
  const bits = Number(match[2]);
  if (address === undefined || bits > (address.v4 ? 32 : 128)) return undefined;
  return { v4: address.v4, prefix: address.value >> BigInt((address.v4 ? 32 : 128) - bits), bits };
}

/** Whether an observed address lies in `network`. */
export function ipInNetwork(network: IpNetwork, text: string): boolean {
  const address = ipNumber(text);
  if (address === undefined || address.v4 !== network.v4) return false;
  return address.value >> BigInt((address.v4 ? 32 : 128) - network.bits) === network.prefix;
}

function ipNumber(text: string): { v4: boolean; value: bigint } | undefined {
  const canonical = canonicalIp(text);
  if (canonical === undefined) return undefined;
  if (!canonical.includes(":")) {
    const value = canonical.split(".").reduce((number, part) => (number << 8n) | BigInt(part), 0n);
    return { v4: true, value };
  }
  const groups = ipv6Groups(canonical);
  if (groups === undefined) return undefined;
  return {
    v4: false,
    value: groups.reduce((number, group) => (number << 16n) | BigInt(group), 0n),
  };
}

function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes(".")) {
        const v4 = canonicalIpv4(piece);
        if (v4 === undefined) return undefined;
        const [a = 0, b = 0, c = 0, d = 0] = v4.split(".").map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function compressIpv6(groups: number[]): string {
  let bestStart = -1, bestLength = 0;
  for (let start = 0; start < groups.length;) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** The parts of a Lucene-style inclusive range `A TO B` or `[A TO B]`. */
export interface RangeText {
  low: string;
  high: string;
}

const rangePattern = /^\s*\[?\s*(\S.*?)\s+TO\s+(\S.*?)\s*\]?\s*$/;

/** Splits `A TO B` / `[A TO B]` into its bounds; undefined when the text is not a range. */
export function parseRangeText(text: string): RangeText | undefined {
  const match = rangePattern.exec(text);
  if (!match) return undefined;
  return { low: match[1] ?? "", high: match[2] ?? "" };
}
