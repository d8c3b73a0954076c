/**
 * One Windows event in a source-neutral form: what the offline EVTX parser and
 * the live `wevtutil` reader both produce, and what the EventLogItem and HX
 * event mappings read.
 *
 * @module
 */
import type { EvtxDataField, EvtxRecord } from "../../formats/evtx/mod.ts";

/** A Windows event with its System fields and named event data. */
export interface WindowsEvent {
  /** The channel (`Security`, `Microsoft-Windows-Sysmon/Operational`…). */
  channel: string;
  /** Provider name (`EventSourceName` for classic sources when present). */
  provider: string;
  /** `EventID`. */
  eventId: number;
  /** `EventID/@Qualifiers` (classic sources). */
  qualifiers?: number;
  /** `Version`. */
  version?: number;
  /** `Level`. */
  level?: number;
  /** `Task` (category number). */
  task?: number;
  /** `Opcode`. */
  opcode?: number;
  /** `Keywords`, hex text. */
  keywords?: string;
  /** `TimeCreated/@SystemTime`, ISO-8601 UTC. */
  timeCreated?: string;
  /** When the record was written to the log (the EVTX record header), ISO-8601 UTC. */
  writtenTime?: string;
  /** `EventRecordID`. */
  recordId: number;
  /** `Computer`. */
  computer?: string;
  /** `Security/@UserID`, a SID. */
  userId?: string;
  /** `Execution/@ProcessID`. */
  processId?: number;
  /** `Execution/@ThreadID`. */
  threadId?: number;
  /** `Correlation/@ActivityID`. */
  activityId?: string;
  /** `Correlation/@RelatedActivityID`. */
  relatedActivityId?: string;
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
  const result: WindowsEvent = {
    channel: system.channel ?? "",
    provider: system.eventSourceName || system.providerName || "",
    eventId: system.eventId ?? 0,
    recordId: system.eventRecordId ?? record.recordId,
    writtenTime: record.writtenTime,
    data: record.data(),
    origin,
  };
  if (system.qualifiers !== undefined) result.qualifiers = system.qualifiers;
  if (system.version !== undefined) result.version = system.version;
  if (system.level !== undefined) result.level = system.level;
  if (system.task !== undefined) result.task = system.task;
  if (system.opcode !== undefined) result.opcode = system.opcode;
  if (system.keywords !== undefined) result.keywords = system.keywords;
  if (system.timeCreated !== undefined) result.timeCreated = system.timeCreated;
  if (system.computer !== undefined) result.computer = system.computer;
  if (system.userId !== undefined) result.userId = system.userId;
  if (system.processId !== undefined) result.processId = system.processId;
  if (system.threadId !== undefined) result.threadId = system.threadId;
  if (system.activityId !== undefined) result.activityId = system.activityId;
  if (system.relatedActivityId !== undefined) result.relatedActivityId = system.relatedActivityId;
  return result;
}

/** The first value of the named event-data field (case-insensitive), or undefined. */
export function dataValue(event: WindowsEvent, name: string): string | undefined {
  for (const field of event.data) if (field.name === name) return field.value;
  const lower = name.toLowerCase();
  for (const field of event.data) if (field.name.toLowerCase() === lower) return field.value;
  return undefined;
}
