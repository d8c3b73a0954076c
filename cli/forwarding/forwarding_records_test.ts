import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { DetectionEvent } from "../../contracts/events.ts";
import { Forwarder } from "./forwarder.ts";
import { journalFields } from "./journald_sink.ts";
import type { ForwardRecord, LogSink } from "./log_sink.ts";
import { type EventLogEntry, WindowsEventLogSink } from "./windows_event_log_sink.ts";

const detection: DetectionEvent = {
  type: "detection",
  runId: 7,
  host: "ws-01",
  time: "2026-12-01T00:00:00.000Z",
  severity: "critical",
  ioc: { id: "x", sha256: "ab", name: "Evil\nsecond line", file: "/iocs/x.ioc", version: "1.1" },
  evidence: [{ document: "FileItem", object: "/srv/evil.exe", indicator: "i", items: [] }],
};

Deno.test("WindowsEventLogSink: a critical detection is an Error entry 1000 naming run, host, IOC, object", async () => {
  const entries: EventLogEntry[] = [];
  const sink = new WindowsEventLogSink({
    write: (entry) => Promise.resolve(void entries.push(entry)),
  });
  await sink.write({ kind: "detection", detection });
  await sink.write({
    kind: "run-end",
    summary: { type: "summary", runId: 7, status: "completed", detections: 1 },
    host: "ws-01",
    time: "2026-12-01T00:00:01.000Z",
  });
  strictEqual(entries[0]?.id, 1000);
  strictEqual(entries[0]?.type, "Error");
  for (const text of ["run: 7", "host: ws-01", "x (/iocs/x.ioc, sha256 ab)", "/srv/evil.exe"]) {
    ok(entries[0]?.message.includes(text), text);
  }
  deepStrictEqual([entries[1]?.id, entries[1]?.type], [1001, "Information"]);
});

Deno.test("journalFields: one line per field, the syslog priority of the severity", () => {
  const fields = journalFields({ kind: "detection", detection });
  strictEqual(fields.PRIORITY, "2");
  strictEqual(fields.IOCSCAN_RUN_ID, "7");
  strictEqual(fields.IOCSCAN_SEVERITY, "critical");
  ok(!fields.MESSAGE!.includes("\n"));
});

Deno.test("Forwarder: a failing destination is reported once and does not stop the others", async () => {
  const written: string[] = [];
  const complaints: string[] = [];
  const good: LogSink = {
    name: "good",
    write: (record: ForwardRecord) => Promise.resolve(void written.push(record.kind)),
    close: () => Promise.resolve(),
  };
  const bad: LogSink = {
    name: "bad",
    write: () => Promise.reject(new Error("refused")),
    close: () => Promise.resolve(),
  };
  const forwarder = new Forwarder([bad, good], "ws-01", (message) => complaints.push(message));
  forwarder.observe(detection);
  forwarder.observe({ type: "summary", runId: 7, status: "completed" });
  await forwarder.close();
  deepStrictEqual(written, ["detection", "run-end"]);
  strictEqual(complaints.length, 1);
  ok(complaints[0]!.startsWith("bad: refused"));
});
