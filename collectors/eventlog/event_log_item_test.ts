import { deepStrictEqual } from "node:assert/strict";
import { toEventLogItem } from "./event_log_item.ts";
import type { WindowsEvent } from "./windows_event.ts";

const dcom: WindowsEvent = {
  channel: "System",
  provider: "DCOM",
  eventId: 10009,
  qualifiers: 49152,
  level: 2,
  recordId: 7,
  data: [],
  origin: "System.evtx",
};

Deno.test("toEventLogItem gives EID both as the short id and as the legacy 32-bit id", () => {
  // Mandiant's duqu IOC writes DCOM's 10009 as 3221235481 = 0xC0002719 = 49152 << 16 | 10009.
  deepStrictEqual(toEventLogItem(dcom).fields.EID, [10009, 3221235481]);
});

Deno.test("toEventLogItem gives EID once when there are no qualifiers, or they are zero", () => {
  const { qualifiers: _, ...modern } = dcom;
  deepStrictEqual(toEventLogItem({ ...modern, eventId: 4624 }).fields.EID, 4624);
  deepStrictEqual(toEventLogItem({ ...dcom, qualifiers: 0 }).fields.EID, 10009);
});
