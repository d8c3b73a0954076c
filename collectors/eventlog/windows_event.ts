/**
 * One Windows event in a source-neutral form: what the offline EVTX parser and
 * the live `wevtutil` reader both produce, and what the EventLogItem and HX
 * event mappings read.
 *
 * @module
 */
import {
  carriedSystemFields,
  type EvtxCarriedSystem,
  type EvtxDataField,
  type EvtxRecord,
  type EvtxSystem,
} from "../../formats/evtx/mod.ts";

/**
 * A Windows event with its System fields and named event data: the fields of
 * {@linkcode EvtxCarriedSystem} as the source gave them, and these.
 */
export interface WindowsEvent extends EvtxCarriedSystem {
  /** The channel (`Security`, `Microsoft-Windows-Sysmon/Operational`…). */
  channel: string;
  /** Provider name (`EventSourceName` for classic sources when present). */
  provider: string;
  /** `EventID`. */
  eventId: number;
  /** When the record was written to the log (the EVTX record header), ISO-8601 UTC. */
  writtenTime?: string;
  /** `EventRecordID`. */
  recordId: number;
  /** EventData/UserData values in document order (`Data1`… for unnamed `<Data>`). */
  data: EvtxDataField[];
  /** The rendered message, when the source has one (live channels). */
  message?: string;
  /** Rendered level, task and opcode names (live channels). */
  levelName?: string;
  /** The rendered task (category) name. */
  taskName?: string;
  /** Where the event came from: the .evtx path, or {@linkcode liveOriginPrefix} + channel. */
  origin: string;
}

/** How {@linkcode WindowsEvent.origin} starts for an event read from a live channel. */
export const liveOriginPrefix = "live:";

/** What a source knows of an event besides its System fields. */
export interface EventOrigin {
  /** The record id when the System section has no `EventRecordID`. */
  recordId: number;
  /** When the record was written, when the source knows. */
  writtenTime?: string;
  /** The event data. */
  data: EvtxDataField[];
  /** Where the event came from. */
  origin: string;
}

/**
 * Builds a {@linkcode WindowsEvent} from System fields, whichever reader
 * picked them: the channel, provider, event and record ids, then every
 * {@linkcode carriedSystemFields} entry that is present.
 */
export function windowsEvent(system: EvtxSystem, from: EventOrigin): WindowsEvent {
  const result: WindowsEvent = {
    channel: system.channel ?? "",
    provider: system.eventSourceName || system.providerName || "",
    eventId: system.eventId ?? 0,
    recordId: system.eventRecordId ?? from.recordId,
    data: from.data,
    origin: from.origin,
  };
  if (from.writtenTime !== undefined) result.writtenTime = from.writtenTime;
  const target = result as Record<keyof EvtxCarriedSystem, unknown>;
  for (const field of carriedSystemFields) {
    const value = system[field];
    if (value !== undefined) target[field] = value;
  }
  return result;
}

/**
 * Builds a {@linkcode WindowsEvent} from a parsed EVTX record. Decodes the
 * record body; throws when it is damaged (the caller turns that into a
 * warning).
 */
export function eventFromRecord(record: EvtxRecord, origin: string): WindowsEvent {
  // system() and data() use the template's compiled plan; asking for the
  // element tree first would force the slower general path.
  const system = record.system();
  if (
    system.eventId === undefined && system.channel === undefined &&
    system.eventRecordId === undefined
  ) {
    throw new Error("record holds no event");
  }
  return windowsEvent(system, {
    recordId: record.recordId,
    writtenTime: record.writtenTime,
    data: record.data(),
    origin,
  });
}

/** The first value of the named event-data field (case-insensitive), or undefined. */
export function dataValue(event: WindowsEvent, name: string): string | undefined {
  for (const field of event.data) if (field.name === name) return field.value;
  const lower = name.toLowerCase();
  for (const field of event.data) if (field.name.toLowerCase() === lower) return field.value;
  return undefined;
}
