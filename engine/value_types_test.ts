import { deepStrictEqual } from "node:assert/strict";
import {
  canonicalIp,
  normaliseBool,
  normaliseHash,
  observedDate,
  observedInteger,
  parseDateText,
  parseDurationText,
  parseIntegerText,
  parseRangeText,
  textOf,
} from "./value_types.ts";

Deno.test("canonicalIp() normalises IPv4 and IPv6 spellings", () => {
  deepStrictEqual(canonicalIp(" 10.0.0.1 "), "10.0.0.1");
  deepStrictEqual(canonicalIp("010.000.000.001"), "10.0.0.1");
  deepStrictEqual(canonicalIp("256.0.0.1"), undefined);
  deepStrictEqual(canonicalIp("10.0.0"), undefined);
  deepStrictEqual(canonicalIp("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  deepStrictEqual(canonicalIp("2001:db8::0:1"), "2001:db8::1");
  deepStrictEqual(canonicalIp("2001:0db8:0000:0001:0000:0000:0000:0001"), "2001:db8:0:1::1");
  deepStrictEqual(canonicalIp("::"), "::");
  deepStrictEqual(canonicalIp("::1"), "::1");
  deepStrictEqual(canonicalIp("fe80::1%eth0"), "fe80::1");
  deepStrictEqual(canonicalIp("[::1]"), "::1");
  deepStrictEqual(canonicalIp("::ffff:192.0.2.1"), "192.0.2.1");
  deepStrictEqual(canonicalIp("1:0:1:0:1:0:1:0"), "1:0:1:0:1:0:1:0");
  deepStrictEqual(canonicalIp("1::2::3"), undefined);
  deepStrictEqual(canonicalIp("12345::"), undefined);
  deepStrictEqual(canonicalIp("not an ip"), undefined);
});

Deno.test("parseDateText() reads ISO 8601, UTC when no zone is given", () => {
  const utc = Date.UTC(2011, 3, 20, 10, 28, 55);
  deepStrictEqual(parseDateText("2011-04-20T10:28:55Z"), utc);
  deepStrictEqual(parseDateText("2011-04-20T10:28:55"), utc);
  deepStrictEqual(parseDateText("2011-04-20 10:28:55"), utc);
  deepStrictEqual(parseDateText("2011-04-20T12:28:55+02:00"), utc);
  deepStrictEqual(parseDateText("2011-04-20T05:28:55-0500"), utc);
  deepStrictEqual(parseDateText("2011-04-20T10:28:55.5Z"), utc + 500);
  deepStrictEqual(parseDateText("2011-04-20"), Date.UTC(2011, 3, 20));
  deepStrictEqual(new Date(parseDateText("0001-01-01T00:00:00")!).getUTCFullYear(), 1);
  deepStrictEqual(parseDateText("2011-13-01"), undefined);
  deepStrictEqual(parseDateText("yesterday"), undefined);
});

Deno.test("observedDate() takes Date objects, ISO text and epoch milliseconds", () => {
  const time = Date.UTC(2020, 0, 1);
  deepStrictEqual(observedDate(new Date(time)), time);
  deepStrictEqual(observedDate("2020-01-01T00:00:00Z"), time);
  deepStrictEqual(observedDate(time), time);
  deepStrictEqual(observedDate(new Date(NaN)), undefined);
});

Deno.test("parseIntegerText() and observedInteger() read decimal and hex integers", () => {
  deepStrictEqual(parseIntegerText(" 42 "), 42n);
  deepStrictEqual(parseIntegerText("-7"), -7n);
  deepStrictEqual(parseIntegerText("0x10"), 16n);
  deepStrictEqual(parseIntegerText("4.2"), undefined);
  deepStrictEqual(parseIntegerText("12KB"), undefined);
  deepStrictEqual(observedInteger(42), 42n);
  deepStrictEqual(observedInteger(4.5), undefined);
  deepStrictEqual(observedInteger(2n ** 70n), 2n ** 70n);
  deepStrictEqual(observedInteger("99"), 99n);
});

Deno.test("parseDurationText() reads seconds and ISO 8601 durations", () => {
  deepStrictEqual(parseDurationText("90"), 90);
  deepStrictEqual(parseDurationText("PT1M30S"), 90);
  deepStrictEqual(parseDurationText("P1DT1H"), 90000);
  deepStrictEqual(parseDurationText("P"), undefined);
  deepStrictEqual(parseDurationText("soon"), undefined);
});

Deno.test("parseRangeText() reads A TO B and [A TO B]", () => {
  deepStrictEqual(parseRangeText("101000 TO 120000"), { low: "101000", high: "120000" });
  deepStrictEqual(parseRangeText("[154192 TO 154192]"), { low: "154192", high: "154192" });
  deepStrictEqual(
    parseRangeText("2011-04-20T10:28:55Z TO 2012-12-14T19:09:00Z"),
    { low: "2011-04-20T10:28:55Z", high: "2012-12-14T19:09:00Z" },
  );
  deepStrictEqual(parseRangeText("TOTO"), undefined);
  deepStrictEqual(parseRangeText("42"), undefined);
});

Deno.test("normaliseHash(), normaliseBool() and textOf() normalise values", () => {
  deepStrictEqual(normaliseHash(" ABCDEF01 "), "abcdef01");
  deepStrictEqual(normaliseHash("xyz"), undefined);
  // Lower-case hex comes back as it is; anything else is trimmed and lowered, or refused.
  deepStrictEqual(normaliseHash("abcdef01"), "abcdef01");
  deepStrictEqual(normaliseHash("abcdef01\n"), "abcdef01");
  deepStrictEqual(normaliseHash("abc def"), undefined);
  deepStrictEqual(normaliseHash(""), undefined);
  deepStrictEqual(normaliseBool("TRUE"), "true");
  deepStrictEqual(normaliseBool(0), "false");
  deepStrictEqual(normaliseBool("maybe"), undefined);
  deepStrictEqual(textOf(12n), "12");
  deepStrictEqual(textOf(false), "false");
  deepStrictEqual(textOf(new Date(0)), "1970-01-01T00:00:00.000Z");
});

Deno.test("parseDateText() rejects days that the month does not have and times past 24:00", () => {
  deepStrictEqual(parseDateText("2020-02-31T00:00:00Z"), undefined);
  deepStrictEqual(parseDateText("2021-02-29"), undefined);
  deepStrictEqual(parseDateText("2020-04-31"), undefined);
  deepStrictEqual(parseDateText("2020-01-01T24:30:00Z"), undefined);
  deepStrictEqual(parseDateText("2020-02-29"), Date.UTC(2020, 1, 29));
  // 24:00 is the end of the day, which ISO 8601 allows: the next midnight.
  deepStrictEqual(parseDateText("2020-01-01T24:00:00Z"), Date.UTC(2020, 0, 2));
});
