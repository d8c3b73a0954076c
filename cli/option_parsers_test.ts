import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { InvalidArgumentError } from "@commander-js/extra-typings";
import {
  checkTimeWindow,
  toAllowSpecs,
  toByteCount,
  toByteSize,
  toCollectorTypes,
  toCount,
  toDatabaseFlag,
  toDays,
  toEntryId,
  toIsolationDuration,
  toProbeTarget,
  toRegistryView,
  toRunId,
  toTimeBound,
} from "./option_parsers.ts";
import { UsageError } from "./usage_error.ts";

const invalid = (error: unknown) => error instanceof InvalidArgumentError;

Deno.test("toTimeBound() and checkTimeWindow() follow the one time rule", () => {
  strictEqual(toTimeBound("2026-11-01T10:00").toISOString(), "2026-11-01T10:00:00.000Z");
  throws(() => toTimeBound("2026-02-30"), invalid);
  checkTimeWindow(new Date("2026-11-01"), new Date("2026-11-01"));
  checkTimeWindow(undefined, new Date("2026-11-01"));
  throws(
    () => checkTimeWindow(new Date("2026-11-02"), new Date("2026-11-01")),
    (error: unknown) => error instanceof UsageError && error.message.includes("--since"),
  );
});

Deno.test("toCollectorTypes() refuses an empty list and unknown names", () => {
  deepStrictEqual(toCollectorTypes("File, eventlog"), ["file", "eventlog"]);
  for (const text of [",", "", " , ", "file,evtlog"]) throws(() => toCollectorTypes(text), invalid);
});

Deno.test("the number parsers refuse what is not a whole number in range", () => {
  deepStrictEqual([toCount("0"), toByteCount("10"), toRunId("7"), toDays("0.5")], [0, 10, 7, 0.5]);
  for (
    const [parse, text] of [
      [toCount, "-1"],
      [toCount, "1e3"],
      [toByteCount, "0"],
      [
        toRunId,
        "0",
      ],
      [toRunId, "x"],
      [toDays, ""],
      [toDays, "-2"],
    ] as const
  ) {
    throws(() => parse(text), invalid, `${parse.name}(${text})`);
  }
  deepStrictEqual([toRegistryView("32"), toRegistryView("64")], [32, 64]);
  throws(() => toRegistryView("16"), invalid);
  throws(() => toDatabaseFlag(" "), invalid);
});

Deno.test("toIsolationDuration reads 1 minute to 9,999 hours and refuses the rest", () => {
  strictEqual(toIsolationDuration("8h"), 8 * 3_600_000);
  strictEqual(toIsolationDuration("1m"), 60_000);
  strictEqual(toIsolationDuration("90s"), 90_000);
  strictEqual(toIsolationDuration("2d"), 2 * 86_400_000);
  strictEqual(toIsolationDuration("1h30m"), 5_400_000);
  strictEqual(toIsolationDuration("9999h"), 9_999 * 3_600_000);
  for (const bad of ["59s", "10000h", "0m", "8", "h", "-1h", "8 hours", ""]) {
    throws(() => toIsolationDuration(bad), InvalidArgumentError, bad);
  }
});

Deno.test("toAllowSpecs collects --allow entries; toProbeTarget wants a TCP HOST:PORT", () => {
  deepStrictEqual(toAllowSpecs("b:53/udp", toAllowSpecs("a.example")), [
    { host: "a.example" },
    { host: "b", port: 53, protocol: "udp" },
  ]);
  throws(() => toAllowSpecs("a:99999"), InvalidArgumentError);
  throws(() => toAllowSpecs("bad host"), InvalidArgumentError);
  deepStrictEqual(toProbeTarget("[fd00::1]:443"), { host: "fd00::1", port: 443 });
  throws(() => toProbeTarget("10.0.0.1"), InvalidArgumentError);
});

Deno.test("toByteSize reads whole bytes and binary units, and refuses the rest", () => {
  deepStrictEqual(
    [toByteSize("1048576"), toByteSize("100MB"), toByteSize("1.5k"), toByteSize("2 GiB")],
    [1048576, 100 * 1024 * 1024, 1536, 2 * 1024 ** 3],
  );
  for (const text of ["0", "", "-1", "10 parsecs", "MB", "0.1b"]) {
    throws(() => toByteSize(text), InvalidArgumentError);
  }
});

Deno.test("toEntryId takes a quarantine entry id and refuses anything else", () => {
  strictEqual(toEntryId(" 20261207T055143Z-8b4da513 "), "20261207T055143Z-8b4da513");
  for (const text of ["", "../x", "20261207T055143Z-8b4da513/../y", "nope"]) {
    throws(() => toEntryId(text), InvalidArgumentError);
  }
});
