/**
 * The EVTX record model: the System fields and event data that a record
 * yields, as the parser produces them and as event-log collectors read them.
 * Types and data only: where each System field sits in the event XML, and the
 * one list of fields an event carries unchanged from its source. The parsing
 * lives in binxml.ts, template_plan.ts and record.ts.
 *
 * @module
 */

/**
 * The `<System>` fields that every reader of Windows events keeps as they are
 * (the offline parser and the live `wevtutil` reader alike). Absent fields are
 * undefined.
 */
export interface EvtxCarriedSystem {
  /** `EventID/@Qualifiers` (classic sources). */
  qualifiers?: number;
  /** `Version`. */
  version?: number;
  /** `Level` (1 critical … 5 verbose, 0 log-always). */
  level?: number;
  /** `Task` (the event category). */
  task?: number;
  /** `Opcode`. */
  opcode?: number;
  /** `Keywords`, as hex text (`0x8020000000000000`). */
  keywords?: string;
  /** `TimeCreated/@SystemTime`, ISO-8601 UTC. */
  timeCreated?: string;
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
}

/** The `<System>` fields of an event. Absent fields are undefined. */
export interface EvtxSystem extends EvtxCarriedSystem {
  /** `Provider/@Name`. */
  providerName?: string;
  /** `Provider/@Guid`. */
  providerGuid?: string;
  /** `Provider/@EventSourceName` (classic event sources). */
  eventSourceName?: string;
  /** `EventID` (the low 16 bits for classic sources). */
  eventId?: number;
  /** `EventRecordID`. */
  eventRecordId?: number;
  /** `Channel`. */
  channel?: string;
}

/** One named value of `<EventData>` or `<UserData>`, in document order. */
export interface EvtxDataField {
  /** The `Name` attribute, `DataN` for unnamed `<Data>`, or the element name. */
  name: string;
  /** The value as text. */
  value: string;
}

/** How a System value is stored: as text, as a number, or as text only when non-empty. */
export const SystemValueKind = {
  /** Text, even when empty (`Channel`, `Keywords`…). */
  Text: 0,
  /** A number (`EventID`, `Level`, `ProcessID`…); text that is no number is left out. */
  Number: 1,
  /** Text, left out when empty (`Correlation/@ActivityID`, `Security/@UserID`). */
  NonEmptyText: 2,
} as const;

/** One of the {@linkcode SystemValueKind} values. */
export type SystemValueKindCode = typeof SystemValueKind[keyof typeof SystemValueKind];

const { Text, Number: Num, NonEmptyText } = SystemValueKind;

/**
 * The `<System>` elements whose text is a field: element name → field and
 * kind. A Map, so that names chosen by evidence (`constructor`) find nothing.
 */
export const systemElementTexts: ReadonlyMap<
  string,
  readonly [keyof EvtxSystem, SystemValueKindCode]
> = new Map([
  ["EventID", ["eventId", Num]],
  ["Version", ["version", Num]],
  ["Level", ["level", Num]],
  ["Task", ["task", Num]],
  ["Opcode", ["opcode", Num]],
  ["Keywords", ["keywords", Text]],
  ["EventRecordID", ["eventRecordId", Num]],
  ["Channel", ["channel", Text]],
  ["Computer", ["computer", Text]],
]);

/** The `<System>` attributes that are fields: element name → (attribute, field, kind) list. */
export const systemElementAttributes: ReadonlyMap<
  string,
  readonly (readonly [string, keyof EvtxSystem, SystemValueKindCode])[]
> = new Map([
  ["Provider", [
    ["Name", "providerName", Text],
    ["Guid", "providerGuid", Text],
    ["EventSourceName", "eventSourceName", Text],
  ]],
  ["EventID", [["Qualifiers", "qualifiers", Num]]],
  ["TimeCreated", [["SystemTime", "timeCreated", Text]]],
  ["Correlation", [
    ["ActivityID", "activityId", NonEmptyText],
    ["RelatedActivityID", "relatedActivityId", NonEmptyText],
  ]],
  ["Execution", [["ProcessID", "processId", Num], ["ThreadID", "threadId", Num]]],
  ["Security", [["UserID", "userId", NonEmptyText]]],
]);

/** Every key of {@linkcode EvtxCarriedSystem}, once (the type checker holds it complete). */
const carried: { readonly [K in keyof EvtxCarriedSystem]-?: true } = {
  qualifiers: true,
  version: true,
  level: true,
  task: true,
  opcode: true,
  keywords: true,
  timeCreated: true,
  computer: true,
  userId: true,
  processId: true,
  threadId: true,
  activityId: true,
  relatedActivityId: true,
};

/** The names of the {@linkcode EvtxCarriedSystem} fields, in declaration order. */
export const carriedSystemFields: readonly (keyof EvtxCarriedSystem)[] = Object.keys(
  carried,
) as (keyof EvtxCarriedSystem)[];
