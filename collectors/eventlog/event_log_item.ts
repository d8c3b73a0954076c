/**
 * The EventLogItem document: one Windows event record as the MIR/HX term
 * catalogue names its fields (`EventLogItem/EID`, `EventLogItem/message`…).
 *
 * @module
 */
import type { ObservedFields, ObservedItem, Provenance } from "../../contracts/observed_item.ts";
import { liveOriginPrefix, type WindowsEvent } from "./windows_event.ts";

/** The EventLogItem fields this mapping fills, in catalogue spelling. */
export const eventLogItemFields: readonly string[] = [
  "log",
  "source",
  "EID",
  "index",
  "type",
  "category",
  "categoryNum",
  "genTime",
  "writeTime",
  "user",
  "machine",
  "message",
  "unformattedMessage",
  "ExecutionProcessId",
  "ExecutionThreadId",
  "CorrelationActivityId",
  "CorrelationRelatedActivityId",
];

/**
 * The event type as Event Viewer names it: `Success Audit` / `Failure Audit`
 * from the audit keywords, else from the level (0 and 4 `Information`,
 * 1 `Critical`, 2 `Error`, 3 `Warning`, 5 `Verbose`).
 */
export function eventTypeName(
  event: Pick<WindowsEvent, "keywords" | "level" | "levelName">,
): string {
  const keywords = event.keywords;
  if (keywords !== undefined && keywords.length === 18 && keywords.startsWith("0x")) {
    // Bits 53 (audit success) and 52 (audit failure) are the third hex digit.
    const digit = parseInt(keywords[4]!, 16);
    if (digit & 0x2) return "Success Audit";
    if (digit & 0x1) return "Failure Audit";
  }
  switch (event.level) {
    case 1:
      return "Critical";
    case 2:
      return "Error";
    case 3:
      return "Warning";
    case 5:
      return "Verbose";
    case 0:
    case 4:
      return "Information";
    default:
      return event.levelName ?? "";
  }
}

/**
 * The offline message: with no message template at hand, the event data as
 * `Name: Value` lines.
 */
export function dataAsMessage(event: WindowsEvent): string {
  let s = "";
  for (const field of event.data) s += `${s === "" ? "" : "\n"}${field.name}: ${field.value}`;
  return s;
}

/** One 16-bit half of a legacy event id. */
const halfWordMask = 0xffff;
/** The factor that moves Qualifiers into the high half (`<< 16` without 32-bit sign trouble). */
const highHalf = 0x10000;

/**
 * The full 32-bit event id of a classic (legacy) event source: `Qualifiers << 16 | EventID`,
 * e.g. DCOM's 10009 with Qualifiers 49152 is 3221235481 (0xC0002719), as MIR audits and
 * Mandiant's IOCs write it. Undefined when the event has no Qualifiers or they are zero, where
 * the full id equals the short one.
 */
export function legacyEventId(
  event: Pick<WindowsEvent, "eventId" | "qualifiers">,
): number | undefined {
  const qualifiers = (event.qualifiers ?? 0) & halfWordMask;
  if (qualifiers === 0) return undefined;
  return qualifiers * highHalf + (event.eventId & halfWordMask);
}

/** The identity used in evidence: `<channel>#<record id>`. */
export function eventKey(event: WindowsEvent): string {
  return `${event.channel || event.provider}#${event.recordId}`;
}

/**
 * Where an event was read, for evidence: its .evtx file (none for live
 * channels), its time (`TimeCreated`, else when it was written) and its
 * computer.
 */
export function eventProvenance(event: WindowsEvent): Provenance {
  const provenance: Provenance = {};
  if (!event.origin.startsWith(liveOriginPrefix)) provenance.source = event.origin;
  const time = event.timeCreated ?? event.writtenTime;
  if (time !== undefined) provenance.time = time;
  if (event.computer) provenance.computer = event.computer;
  return provenance;
}

/**
 * Maps an event to an EventLogItem. With `wanted`, only those top-level
 * fields are filled (the message is the only costly one). `EID` is the
 * short `EventID`, or, for classic sources with Qualifiers, both it and the
 * {@linkcode legacyEventId} (so `is` matches either spelling).
 *
 * @example
 * ```ts
 * import { toEventLogItem } from "./event_log_item.ts";
 * const item = toEventLogItem({
 *   channel: "Security", provider: "Microsoft-Windows-Security-Auditing", eventId: 4624,
 *   recordId: 7, data: [{ name: "TargetUserName", value: "bob" }], origin: "Security.evtx",
 * });
 * // item.key === "Security#7", item.fields.message === "TargetUserName: bob"
 * ```
 */
export function toEventLogItem(event: WindowsEvent, wanted?: ReadonlySet<string>): ObservedItem {
  const want = (name: string) => wanted === undefined || wanted.has(name);
  const legacy = legacyEventId(event);
  const fields: ObservedFields = {
    log: event.channel,
    source: event.provider,
    EID: legacy === undefined ? event.eventId : [event.eventId, legacy],
    index: event.recordId,
    type: eventTypeName(event),
    category: event.taskName ?? (event.task !== undefined ? String(event.task) : ""),
    categoryNum: event.task !== undefined ? String(event.task) : "",
    genTime: event.timeCreated ?? event.writtenTime,
    writeTime: event.writtenTime ?? event.timeCreated,
    user: event.userId ?? "",
    machine: event.computer ?? "",
  };
  if (want("message")) fields.message = event.message ?? dataAsMessage(event);
  if (want("unformattedMessage")) {
    fields.unformattedMessage = { string: event.data.map((field) => field.value) };
  }
  if (event.processId !== undefined) fields.ExecutionProcessId = event.processId;
  if (event.threadId !== undefined) fields.ExecutionThreadId = event.threadId;
  if (event.activityId !== undefined) fields.CorrelationActivityId = event.activityId;
  if (event.relatedActivityId !== undefined) {
    fields.CorrelationRelatedActivityId = event.relatedActivityId;
  }
  return {
    document: "EventLogItem",
    key: eventKey(event),
    fields,
    provenance: eventProvenance(event),
  };
}
