import { deepStrictEqual as assertEquals } from "node:assert/strict";
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
  assertEquals(canonicalIp(" 10.0.0.1 "), "10.0.0.1");
  assertEquals(canonicalIp("010.000.000.001"), "10.0.0.1");
  assertEquals(canonicalIp("256.0.0.1"), undefined);
  assertEquals(canonicalIp("10.0.0"), undefined);
  assertEquals(canonicalIp("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  assertEquals(canonicalIp("2001:db8::0:1"), "2001:db8::1");
  assertEquals(canonicalIp("2001:0db8:0000:0001:0000:0000:0000:0001"), "2001:db8:0:1::1");
  assertEquals(canonicalIp("::"), "::");
  assertEquals(canonicalIp("::1"), "::1");
  assertEquals(canonicalIp("fe80::1%eth0"), "fe80::1");
  assertEquals(canonicalIp("[::1]"), "::1");
  assertEquals(canonicalIp("::ffff:192.0.2.1"), "192.0.2.1");
  assertEquals(canonicalIp("1:0:1:0:1:0:1:0"), "1:0:1:0:1:0:1:0");
  assertEquals(canonicalIp("1::2::3"), undefined);
  assertEquals(canonicalIp("12345::"), undefined);
  assertEquals(canonicalIp("not an ip"), undefined);
});

Deno.test("parseDateText() reads ISO 8601, UTC when no zone is given", () => {
  const utc = Date.UTC(2011, 3, 20, 10, 28, 55);
  assertEquals(parseDateText("2011-04-20T10:28:55Z"), utc);
  assertEquals(parseDateText("2011-04-20T10:28:55"), utc);
  assertEquals(parseDateText("2011-04-20 10:28:55"), utc);
  assertEquals(parseDateText("2011-04-20T12:28:55+02:00"), utc);
  assertEquals(parseDateText("2011-04-20T05:28:55-0500"), utc);
  assertEquals(parseDateText("2011-04-20T10:28:55.5Z"), utc + 500);
  assertEquals(parseDateText("2011-04-20"), Date.UTC(2011, 3, 20));
  assertEquals(new Date(parseDateText("0001-01-01T00:00:00")!).getUTCFullYear(), 1);
  assertEquals(parseDateText("2011-13-01"), undefined);
  assertEquals(parseDateText("yesterday"), undefined);
});

Deno.test("observedDate() takes Date objects, ISO text and epoch milliseconds", () => {
  const time = Date.UTC(2020, 0, 1);
  assertEquals(observedDate(new Date(time)), time);
  assertEquals(observedDate("2020-01-01T00:00:00Z"), time);
  assertEquals(observedDate(time), time);
  assertEquals(observedDate(new Date(NaN)), undefined);
});

Deno.test("parseIntegerText() and observedInteger() read decimal and hex integers", () => {
  assertEquals(parseIntegerText(" 42 "), 42n);
  assertEquals(parseIntegerText("-7"), -7n);
  assertEquals(parseIntegerText("0x10"), 16n);
  assertEquals(parseIntegerText("4.2"), undefined);
  assertEquals(parseIntegerText("12KB"), undefined);
  assertEquals(observedInteger(42), 42n);
  assertEquals(observedInteger(4.5), undefined);
  assertEquals(observedInteger(2n ** 70n), 2n ** 70n);
  assertEquals(observedInteger("99"), 99n);
});

Deno.test("parseDurationText() reads seconds and ISO 8601 durations", () => {
  assertEquals(parseDurationText("90"), 90);
  assertEquals(parseDurationText("PT1M30S"), 90);
  assertEquals(parseDurationText("P1DT1H"), 90000);
  assertEquals(parseDurationText("P"), undefined);
  assertEquals(parseDurationText("soon"), undefined);
});

Deno.test("parseRangeText() reads A TO B and [A TO B]", () => {
  assertEquals(parseRangeText("101000 TO 120000"), { low: "101000", high: "120000" });
  assertEquals(parseRangeText("[154192 TO 154192]"), { low: "154192", high: "154192" });
  assertEquals(
    parseRangeText("2011-04-20T10:28:55Z TO 2012-12-14T19:09:00Z"),
    { low: "2011-04-20T10:28:55Z", high: "2012-12-14T19:09:00Z" },
  );
  assertEquals(parseRangeText("TOTO"), undefined);
  assertEquals(parseRangeText("42"), undefined);
});

Deno.test("normaliseHash(), normaliseBool() and textOf() normalise values", () => {
  assertEquals(normaliseHash(" ABCDEF01 "), "abcdef01");
  assertEquals(normaliseHash("xyz"), undefined);
  // Lower-case hex comes back as it is; anything else is trimmed and lowered, or refused.
  assertEquals(normaliseHash("abcdef01"), "abcdef01");
  assertEquals(normaliseHash("abcdef01\n"), "abcdef01");
  assertEquals(normaliseHash("abc def"), undefined);
  assertEquals(normaliseHash(""), undefined);
  assertEquals(normaliseBool("TRUE"), "true");
  assertEquals(normaliseBool(0), "false");
  assertEquals(normaliseBool("maybe"), undefined);
  assertEquals(textOf(12n), "12");
  assertEquals(textOf(false), "false");
  assertEquals(textOf(new Date(0)), "1970-01-01T00:00:00.000Z");
});

Deno.test("parseDateText() rejects days that the month does not have and times past 24:00", () => {
  assertEquals(parseDateText("2020-02-31T00:00:00Z"), undefined);
  assertEquals(parseDateText("2021-02-29"), undefined);
  assertEquals(parseDateText("2020-04-31"), undefined);
  assertEquals(parseDateText("2020-01-01T24:30:00Z"), undefined);
  assertEquals(parseDateText("2020-02-29"), Date.UTC(2020, 1, 29));
  // 24:00 is the end of the day, which ISO 8601 allows: the next midnight.
  assertEquals(parseDateText("2020-01-01T24:00:00Z"), Date.UTC(2020, 0, 2));
});
