import { deepStrictEqual } from "node:assert/strict";
import type { DetectionEvent } from "../contracts/events.ts";
import { formatDetections } from "./scan_summary.ts";

const detection = (evidence: DetectionEvent["evidence"]): DetectionEvent => ({
  type: "detection",
  ioc: { id: "i1", name: "Logon", file: "a.ioc", version: "1.1", sha256: "ab".repeat(32) },
  evidence,
});

const item = {
  id: "x",
  search: "EventLogItem/EID",
  condition: "is",
  negate: false,
  preserveCase: false,
  expected: "4624",
  observed: 4624,
};

Deno.test("formatDetections shows where each evidence object was read", () => {
  const text = formatDetections([detection([{
    document: "EventLogItem",
    object: "Security#42",
    source: "/cases/Security.evtx",
    time: "2024-01-01T10:00:00.0000000Z",
    computer: "WS01",
    indicator: "top",
    items: [item],
  }])]);
  deepStrictEqual(text.split("\n").slice(2, 6), [
    "■ Logon  [i1 sha256 abababababab]  (OpenIOC 1.1, a.ioc)",
    "    EventLogItem: Security#42",
    "      source: /cases/Security.evtx  time: 2024-01-01T10:00:00.0000000Z  computer: WS01",
    '      EventLogItem/EID is "4624" ← 4624',
  ]);
});

Deno.test("formatDetections adds no provenance line when evidence has none", () => {
  const text = formatDetections([detection([{
    document: "EventLogItem",
    object: "Security#42",
    indicator: "top",
    items: [item],
  }])]);
  deepStrictEqual(text.split("\n").slice(3, 5), [
    "    EventLogItem: Security#42",
    '      EventLogItem/EID is "4624" ← 4624',
  ]);
});

Deno.test("formatDetections escapes line breaks in a source file name", () => {
  const text = formatDetections([detection([{
    document: "FileItem",
    object: "C:\\x.exe",
    source: "/mnt/img/a\nFileItem: C:\\fake.exe",
    indicator: "top",
    items: [item],
  }])]);
  deepStrictEqual(text.split("\n")[4], "      source: /mnt/img/a\\x0aFileItem: C:\\fake.exe");
});
