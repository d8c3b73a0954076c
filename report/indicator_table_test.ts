import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { IocEvent, IocRef, NotEvaluatedEvent } from "../contracts/events.ts";
import { formatIndicatorTable, formatLoadWarnings } from "./indicator_table.ts";

const hostile = "x\x1b]0;pwned\x07\u202e";
const ref: IocRef = {
  id: `id-${hostile}`,
  sha256: "ab".repeat(32),
  name: "n",
  file: "f",
  version: "1.1",
};
const ioc: IocEvent = {
  type: "ioc",
  file: ref.file,
  id: ref.id,
  sha256: ref.sha256,
  version: "1.1",
  name: `A long   name ${hostile} ${"y".repeat(60)}`,
  items: 3,
  evaluable: 1,
  notEvaluated: { "no-collector": 2 },
  canFire: true,
  unsupported: [],
  warnings: 1,
};
const notEvaluated = (search: string): NotEvaluatedEvent => ({
  type: "not-evaluated",
  ioc: ref,
  itemId: "i",
  search,
  reason: "no-collector",
});

Deno.test("formatIndicatorTable lays out the IOCs, rejected files, terms and totals, escaped", () => {
  const text = formatIndicatorTable({
    iocs: [
      { event: ioc, notEvaluated: [notEvaluated(`Port/${hostile}`), notEvaluated("")] },
      { event: { ...ioc, duplicate: true }, notEvaluated: [notEvaluated(`port/${hostile}`)] },
    ],
    rejected: [{ type: "rejected", file: `bad${hostile}.ioc`, error: "not XML", line: 3 }],
    summary: {
      type: "summary",
      files: 3,
      documents: 2,
      duplicates: 1,
      rejected: 1,
      warnings: 2,
      byVersion: { "1.0": 0, "1.1": 2 },
      items: 6,
      evaluable: 2,
      notEvaluated: { "no-collector": 4 },
      cannotFire: 0,
    },
  });
  // deno-lint-ignore no-control-regex
  ok(!/[\x00-\x08\x0b-\x1f\x7f\u202e]/.test(text), "no control character reaches the terminal");
  const lines = text.split("\n");
  strictEqual(
    lines[0],
    "IOC ID                               SHA256        NAME                                              VER  ITEMS  EVALUABLE  CAN FIRE  WARN",
  );
  ok(
    lines[1]!.startsWith(
      "id-x\\x1b]0;pwned\\x07\\u{202e}         abababababab  A long name x\\x1b",
    ),
  );
  ok(lines[1]!.includes("…  1.1      3        1/3  yes          1"), lines[1]);
  ok(lines[2]!.startsWith("id-x\\x1b]0;pwned\\x07\\u{202e} (copy)  "));
  deepStrictEqual(lines.slice(3), [
    "",
    "Rejected:",
    "  badx\\x1b]0;pwned\\x07\\u{202e}.ioc:3:1: not XML",
    "",
    "Not evaluated, no collector (search terms, by number of IOCs using them):",
    "     2  Port/x\\x1b]0;pwned\\x07\\u{202e}",
    "     1  (no search term)",
    "",
    "3 files: 2 IOCs (1.0: 0, 1.1: 2, 1 identical copies), 1 rejected, 6 items (2 evaluable), 2 warnings",
    "Not evaluated: no collector 4, term not produced 0, unsupported term 0, empty content 0, " +
    "invalid value 0; 0 IOC(s) cannot fire",
  ]);
});

Deno.test("formatLoadWarnings lists every warning or counts them by code", () => {
  const warnings = [
    {
      type: "warning" as const,
      code: "empty-content",
      message: `m${hostile}`,
      file: "a.ioc",
      line: 2,
    },
    { type: "warning" as const, code: "empty-content", message: "m", file: "b.ioc" },
  ];
  deepStrictEqual(formatLoadWarnings(warnings, true), [
    "warning empty-content: a.ioc:2:1: mx\\x1b]0;pwned\\x07\\u{202e}",
    "warning empty-content: b.ioc: m",
  ]);
  deepStrictEqual(formatLoadWarnings(warnings, false), [
    "warnings: empty-content ×2 (--warnings lists them, --json gives them as events)",
  ]);
  deepStrictEqual(formatLoadWarnings([], false), []);
});
