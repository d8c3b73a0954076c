import { ok, strictEqual } from "node:assert/strict";
import type { DetectionEvent } from "../contracts/events.ts";
import { detectionMessage, runEndMessage, SYSLOG_VALUE_CHARS } from "./syslog_message.ts";

const detection = (name: string, object: string): DetectionEvent => ({
  type: "detection",
  runId: 3,
  host: "ws 01\u001b",
  time: "2026-12-01T00:00:00.000Z",
  severity: "medium",
  ioc: { id: "x", sha256: "ab", name, file: "/iocs/x.ioc", version: "1.1" },
  evidence: [{ document: "FileItem", object, indicator: "i", items: [] }],
});

Deno.test("detectionMessage: header fields printable, SD values escaped, long values clipped", () => {
  const message = detectionMessage(detection(`a"b]c\\d\nnext`, "x".repeat(10_000)));
  ok(message.startsWith("<132>1 2026-12-01T00:00:00.000Z ws_01_ iocscan "), message.slice(0, 60));
  ok(message.includes(` detection [iocscan@32473 runId="3" iocId="x" `));
  ok(message.includes(`iocName="a\\"b\\]c\\\\d next"`), message);
  ok(!message.split("\uFEFF")[1]!.includes("\n"), "no line break in MSG");
  ok(new TextEncoder().encode(message).length < 2048);
  ok(message.includes(`${"x".repeat(SYSLOG_VALUE_CHARS - 1)}…`));
});

Deno.test("runEndMessage: notice when clean, warning otherwise", () => {
  const clean = runEndMessage(
    { type: "summary", runId: 3, status: "completed", complete: true, detections: 0 },
    "h",
    "t",
  );
  strictEqual(clean.slice(0, 5), "<133>");
  const hit = runEndMessage(
    { type: "summary", runId: 3, status: "completed", complete: true, detections: 1 },
    "h",
    "t",
  );
  strictEqual(hit.slice(0, 5), "<132>");
});
