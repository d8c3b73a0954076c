/**
 * Event objects say where they were read: the .evtx file, the event time and
 * the computer, for the evidence of detections.
 */
import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element, utf16 } from "../../formats/evtx/_fixtures.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { createEventLogCollector } from "./collector.ts";
import { toEventLogItem } from "./event_log_item.ts";
import { toHxEvent } from "./hx_events.ts";

const reporter = { skipped() {}, warning() {}, progress() {} };

Deno.test("createEventLogCollector gives EVTX events their file, time and computer", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const template = element("Event", [], [
      ...element("System", [], [
        ...element("EventID", [], [{ text: "4624" }]),
        ...element("Channel", [], [{ text: "Security" }]),
        ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
        ...element("Computer", [], [{ sub: 1, type: 1 }]),
      ]),
    ]);
    const eightBytes = (n: number) => new Uint8Array([n, 0, 0, 0, 0, 0, 0, 0]);
    const file = join(dir, "Security.evtx");
    await Deno.writeFile(
      file,
      buildEvtx({
        template,
        records: [{
          id: 9,
          writtenMs: Date.UTC(2024, 0, 1, 10),
          values: [{ type: 0x0a, bytes: eightBytes(9) }, { type: 1, bytes: utf16("WS01") }],
        }],
      }),
    );
    const items: ObservedItem[] = [];
    const collector = createEventLogCollector({ evtx: [file] });
    for await (
      const item of collector.collect({ needs: new Map([["EventLogItem", new Set()]]), reporter })
    ) items.push(item);
    deepStrictEqual(items.map((item) => [item.key, item.provenance]), [[
      "Security#9",
      { source: file, time: "2024-01-01T10:00:00.0000000Z", computer: "WS01" },
    ]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("toEventLogItem and toHxEvent: live events have a time and computer, no source file", () => {
  const event = {
    channel: "Microsoft-Windows-Sysmon/Operational",
    provider: "Microsoft-Windows-Sysmon",
    eventId: 22,
    recordId: 9,
    timeCreated: "2024-05-01T08:00:00.123Z",
    computer: "WS02",
    origin: "live:Microsoft-Windows-Sysmon/Operational",
    data: [{ name: "QueryName", value: "evil.example" }, { name: "Image", value: "C:\\a.exe" }],
  };
  const expected = { time: "2024-05-01T08:00:00.123Z", computer: "WS02" };
  deepStrictEqual(toEventLogItem(event).provenance, expected);
  deepStrictEqual(toHxEvent(event)?.provenance, expected);
});

Deno.test("journalEntryToItem gives journal entries a time and computer", async () => {
  const { journalEntryToItem } = await import("./journal_source.ts");
  const item = journalEntryToItem({
    SYSLOG_IDENTIFIER: "sshd",
    MESSAGE: "Accepted publickey",
    _HOSTNAME: "web1",
    __REALTIME_TIMESTAMP: "1700000000000000",
  });
  deepStrictEqual(item.provenance, { time: "2023-11-14T22:13:20.0000000Z", computer: "web1" });
});
