import { strictEqual } from "node:assert/strict";
import {
  formatCollectorWarningLine,
  formatEventLogFigures,
  formatEventLogLine,
  formatRegistryFigures,
  formatRegistryLine,
  formatSkippedLine,
} from "./collected_lines.ts";

const hostile = "a\x1b[2Jb\u202e";

Deno.test("formatEventLogLine shows EventLogItems and HX event objects, escaped", () => {
  strictEqual(
    formatEventLogLine({
      document: "EventLogItem",
      key: `Security:${hostile}`,
      fields: { genTime: "2026-01-01T00:00:00Z", EID: 4688, source: "Sec\nurity" },
    }),
    "2026-01-01T00:00:00Z Security:a\\x1b[2Jb\\u{202e} EID 4688 Sec\\x0aurity",
  );
  strictEqual(
    formatEventLogLine({
      document: "processEvent",
      key: "k",
      fields: { processPath: null, fullPath: `C:\\${hostile}` } as never,
    }),
    "  processEvent C:\\a\\x1b[2Jb\\u{202e}",
  );
  strictEqual(
    formatEventLogLine({ document: "dnsLookupEvent", key: "k", fields: {} }),
    "  dnsLookupEvent ",
  );
});

Deno.test("formatRegistryLine shows Path = Text (Type), lists joined, escaped", () => {
  strictEqual(
    formatRegistryLine({
      document: "RegistryItem",
      key: `HKEY_USERS\\S\\Run\\${hostile}`,
      fields: { Type: "REG_MULTI_SZ", Text: ["x", "y\r"] },
    }),
    "HKEY_USERS\\S\\Run\\a\\x1b[2Jb\\u{202e} = x | y\\x0d (REG_MULTI_SZ)",
  );
  strictEqual(
    formatRegistryLine({ document: "RegistryItem", key: "HKEY_USERS\\S", fields: {} }),
    "HKEY_USERS\\S",
  );
});

Deno.test("formatSkippedLine and formatCollectorWarningLine escape what evidence named", () => {
  strictEqual(
    formatSkippedLine({
      collector: "registry",
      object: hostile,
      reason: "corrupt",
      detail: "no\x07",
    }),
    "skipped a\\x1b[2Jb\\u{202e}: corrupt (no\\x07)",
  );
  const warning = {
    collector: "registry",
    code: "regf-bad-cell",
    message: "bad\x9b",
    file: hostile,
    place: "offset 0x20",
  };
  strictEqual(formatCollectorWarningLine(warning, false), "warning regf-bad-cell: bad\\u{009b}");
  strictEqual(
    formatCollectorWarningLine(warning, true),
    "warning regf-bad-cell: bad\\u{009b} [a\\x1b[2Jb\\u{202e} offset 0x20]",
  );
});

Deno.test("formatEventLogFigures and formatRegistryFigures close collect's text", () => {
  strictEqual(
    formatEventLogFigures({ records: 5, files: 1, warnings: 0, outsideWindow: 2 }),
    "5 records from 1 file(s), 0 warning(s), 2 outside the time window",
  );
  strictEqual(
    formatRegistryFigures({ hives: 1, keys: 2, values: 3, items: 4, recovered: true, warnings: 0 }),
    "1 hive(s): 2 keys, 3 values, 4 items, recovered from logs, 0 warning(s)",
  );
});
