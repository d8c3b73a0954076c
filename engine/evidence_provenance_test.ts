/**
 * Evidence names where its object was read: the file on the scanning machine,
 * the time it was recorded and the computer, when the collector knows them.
 */
import { deepStrictEqual } from "node:assert/strict";
import { detect, ioc, item } from "./_model_fixtures.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";

const event: ObservedItem = {
  document: "EventLogItem",
  key: "Security#42",
  fields: { EID: 4624, machine: "WS01" },
  provenance: {
    source: "/cases/img/Windows/System32/winevt/Logs/Security.evtx",
    time: "2024-01-01T10:00:00.000Z",
    computer: "WS01.corp.example",
  },
};

Deno.test("MatchSession evidence carries the object's provenance", async () => {
  const [detection] = await detect(ioc(item("EventLogItem/EID", "is", "4624")), [event]);
  const evidence = detection!.evidence[0]!;
  deepStrictEqual(
    [evidence.object, evidence.source, evidence.time, evidence.computer],
    [
      "Security#42",
      "/cases/img/Windows/System32/winevt/Logs/Security.evtx",
      "2024-01-01T10:00:00.000Z",
      "WS01.corp.example",
    ],
  );
});

Deno.test("MatchSession evidence without provenance has no provenance keys", async () => {
  const bare: ObservedItem = {
    document: "FileItem",
    key: "/tmp/x.exe",
    fields: { FileName: "x.exe" },
  };
  const [detection] = await detect(ioc(item("FileItem/FileName", "is", "x.exe")), [bare]);
  deepStrictEqual(Object.keys(detection!.evidence[0]!).sort(), [
    "document",
    "indicator",
    "items",
    "object",
  ]);
});
