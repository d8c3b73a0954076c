import { deepStrictEqual, ok } from "node:assert/strict";
import {
  buildEvtx,
  element,
  filetime,
  le,
  type Token,
  utf16,
} from "../../formats/evtx/_fixtures.ts";
import { byteSourceFromBytes, carriedSystemFields, readEvtx } from "../../formats/evtx/mod.ts";
import { eventFromRenderedXml } from "./rendered_xml.ts";
import { eventFromRecord } from "./windows_event.ts";

const written = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

/** An event whose System section holds every field a WindowsEvent carries. */
const fullSystem: Token[] = element("Event", [["xmlns", [{
  text: "http://schemas.microsoft.com/win/2004/08/events/event",
}]]], [
  ...element("System", [], [
    ...element("Provider", [
      ["Name", [{ text: "Microsoft-Windows-Test" }]],
      ["Guid", [{ text: "{54849625-5478-4994-A5BA-3E3B0328C30D}" }]],
      ["EventSourceName", [{ text: "TestSource" }]],
    ], []),
    ...element("EventID", [["Qualifiers", [{ text: "16384" }]]], [{ text: "7045" }]),
    ...element("Version", [], [{ text: "2" }]),
    ...element("Level", [], [{ text: "4" }]),
    ...element("Task", [], [{ text: "12544" }]),
    ...element("Opcode", [], [{ text: "1" }]),
    ...element("Keywords", [], [{ text: "0x8020000000000000" }]),
    ...element("TimeCreated", [["SystemTime", [{ sub: 0, type: 0x11 }]]], []),
    ...element("EventRecordID", [], [{ sub: 1, type: 0x0a }]),
    ...element("Correlation", [
      ["ActivityID", [{ text: "{11111111-2222-3333-4444-555555555555}" }]],
      ["RelatedActivityID", [{ text: "{66666666-7777-8888-9999-AAAAAAAAAAAA}" }]],
    ], []),
    ...element("Execution", [["ProcessID", [{ text: "636" }]], ["ThreadID", [{
      text: "4120",
    }]]], []),
    ...element("Channel", [], [{ text: "System" }]),
    ...element("Computer", [], [{ text: "HOST.example" }]),
    ...element("Security", [["UserID", [{ text: "S-1-5-18" }]]], []),
  ]),
  ...element("EventData", [], [
    ...element("Data", [["Name", [{ text: "ServiceName" }]]], [{ sub: 2, type: 0x01 }]),
  ]),
]);

Deno.test("eventFromRecord and eventFromRenderedXml carry every System field alike", async () => {
  const file = buildEvtx({
    template: fullSystem,
    records: [{
      id: 42,
      writtenMs: written,
      values: [
        { type: 0x11, bytes: filetime(written) },
        { type: 0x0a, bytes: le(42, 8) },
        { type: 0x01, bytes: utf16("evil\0") },
      ],
    }],
  });
  const records = [];
  for await (const record of readEvtx(byteSourceFromBytes(file))) records.push(record);
  deepStrictEqual(records.length, 1);
  const offline = eventFromRecord(records[0]!, "System.evtx");
  const live = eventFromRenderedXml(records[0]!.toXml(), "System.evtx");
  // The live reader has no record header: its written time is TimeCreated,
  // which this record makes equal to the header's.
  deepStrictEqual(live, offline);
  for (const field of carriedSystemFields) ok(offline[field] !== undefined, field);
  deepStrictEqual(
    { provider: offline.provider, channel: offline.channel, eventId: offline.eventId },
    { provider: "TestSource", channel: "System", eventId: 7045 },
  );
  deepStrictEqual(offline.data, [{ name: "ServiceName", value: "evil" }]);
});
