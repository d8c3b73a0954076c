import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { DetectionEvent } from "../contracts/events.ts";
import { formatMatchDiagnostics, formatMatchReport } from "./match_report.ts";

const hostile = "\x1b[8m\u2066";
const summary = {
  type: "summary" as const,
  iocs: 2,
  objects: 9,
  detections: 1,
  warnings: 1,
  rejected: 1,
  notEvaluated: 2,
};
const figures = "2 IOC(s), 9 object(s), 1 detection(s), 1 warning(s), 1 rejected file(s), " +
  "2 item(s) not evaluated";

Deno.test("formatMatchReport tables the IOCs that hit, escaped, then the figures", () => {
  const detection: DetectionEvent = {
    type: "detection",
    ioc: {
      id: `id${hostile}`,
      sha256: "",
      name: `  Evil\n${hostile}  `,
      file: `f${hostile}.ioc`,
      version: "1.0",
    },
    evidence: [],
  };
  strictEqual(
    formatMatchReport([detection], summary),
    [
      "IOC ID             NAME                  FILE                  EVIDENCE",
      "id\\x1b[8m\\u{2066}  Evil \\x1b[8m\\u{2066}  f\\x1b[8m\\u{2066}.ioc         0",
      "",
      figures,
    ].join("\n"),
  );
  strictEqual(formatMatchReport([], summary), `No detections.\n\n${figures}`);
});

Deno.test("formatMatchDiagnostics gives rejected files, warnings and the items not evaluated", () => {
  deepStrictEqual(
    formatMatchDiagnostics(
      [{ type: "warning", code: "bad-item-line", message: `items:3: ${hostile}` }],
      [{ type: "rejected", file: `r${hostile}`, error: "not XML" }],
      [],
    ),
    ["rejected: r\\x1b[8m\\u{2066}: not XML", "warning: items:3: \\x1b[8m\\u{2066}"],
  );
});
