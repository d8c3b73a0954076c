/**
 * A Windows task XML file (`%SystemRoot%\System32\Tasks\…`, the Task
 * Scheduler 2.0 schema) read into a task record. The file is attacker-shaped
 * input: it is decoded by its byte-order mark (UTF-16 LE is what Windows
 * writes), capped in size by the caller, and parsed by the project's strict
 * XML reader (openioc/xml_tree.ts), which is linear, refuses any DOCTYPE (so
 * no entity expansion or external entity) and nests no deeper than a limit.
 *
 * @module
 */
import {
  localName,
  parseXml,
  textOf,
  type XmlElement,
  type XmlNode,
} from "../../openioc/xml_tree.ts";
import type { TaskAction, TaskRecord, TaskTrigger } from "./task_record.ts";

/** The deepest nesting a task XML may have (real ones go 5 deep). */
export const maxTaskXmlDepth = 32;

/** What a task XML file tells, before the file's own name and place are added. */
export type TaskXmlFacts = Omit<TaskRecord, "kind" | "name" | "file" | "openFile">;

/** How a program path's `%VARIABLES%` are expanded (identity when none are known). */
export type ExpandVariables = (text: string) => string;

/** `SendEmail` and `ShowMessage` children → TaskItem's `ActionList/Action/…` field. */
const messageFields: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  SendEmail: {
    Server: "EmailServer",
    Subject: "EmailSubject",
    To: "EmailTo",
    Cc: "EmailCC",
    Bcc: "EmailBCC",
    ReplyTo: "EmailReplyTo",
    From: "EmailFrom",
    Body: "EmailBody",
    Attachments: "EmailAttachments",
  },
  ShowMessage: { Title: "ShowMessageTitle", Body: "ShowMessageBody" },
};

/** How often a trigger fires, by its element (calendar triggers say it in a child). */
const triggerFrequency: Readonly<Record<string, string>> = {
  TimeTrigger: "once",
  BootTrigger: "at boot",
  LogonTrigger: "at logon",
  IdleTrigger: "on idle",
  EventTrigger: "on event",
  RegistrationTrigger: "at registration",
  SessionStateChangeTrigger: "on session state change",
  WnfStateChangeTrigger: "on state change",
};

/** A calendar trigger's schedule element → its frequency word. */
const calendarFrequency: Readonly<Record<string, string>> = {
  ScheduleByDay: "daily",
  ScheduleByWeek: "weekly",
  ScheduleByMonth: "monthly",
  ScheduleByMonthDayOfWeek: "monthly",
};

/**
 * Decodes a task file's bytes: UTF-16 LE or BE by their byte-order mark (or
 * LE by a NUL second byte, as files without a mark have), else UTF-8.
 * Invalid sequences become U+FFFD, which the XML reader accepts as text.
 */
export function decodeTaskText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  }
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) {
    return new TextDecoder("utf-16le").decode(bytes);
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/**
 * Reads a task XML document.
 *
 * @throws {import("../../openioc/xml_error.ts").XmlSyntaxError} when the text
 * is not well-formed XML, has a DOCTYPE or nests deeper than
 * {@linkcode maxTaskXmlDepth}; `Error` when its root is not `Task`.
 *
 * @example
 * ```ts
 * import { parseTaskXml } from "./task_xml.ts";
 * const facts = parseTaskXml(
 *   "<Task><Actions><Exec><Command>C:\\x.exe</Command></Exec></Actions></Task>",
 *   (text) => text,
 * );
 * // facts.actions[0].programPath === "C:\\x.exe"
 * ```
 */
export function parseTaskXml(text: string, expand: ExpandVariables): TaskXmlFacts {
  const { root } = parseXml(text, { maxDepth: maxTaskXmlDepth });
  if (localName(root.name) !== "Task") {
    throw new Error(`the root element is <${root.name}>, not <Task>`);
  }
  const registration = child(root, "RegistrationInfo");
  const principal = child(child(root, "Principals"), "Principal");
  const settings = child(root, "Settings");
  const enabled = booleanOf(childText(settings, "Enabled"));
  const hidden = booleanOf(childText(settings, "Hidden"));
  const actions = elements(child(root, "Actions")).flatMap((element) =>
    actionOf(element, expand) ?? []
  );
  const triggers = elements(child(root, "Triggers")).map(triggerOf);
  const flags = [
    ...(hidden ? ["TASK_FLAG_HIDDEN"] : []),
    ...(enabled === false ? ["TASK_FLAG_DISABLED"] : []),
  ];
  return compactRecord({
    // Settings/Enabled defaults to true in the schema.
    enabled: enabled ?? true,
    hidden: hidden ?? false,
    author: childText(registration, "Author"),
    description: childText(registration, "Description"),
    creationDate: childText(registration, "Date"),
    account: childText(principal, "UserId") ?? childText(principal, "GroupId"),
    logonType: childText(principal, "LogonType"),
    runLevel: childText(principal, "RunLevel"),
    priority: childText(settings, "Priority"),
    maxRunTime: childText(settings, "ExecutionTimeLimit"),
    actions,
    triggers,
    flags,
    virtualPath: childText(registration, "URI"),
  });
}

function actionOf(element: XmlElement, expand: ExpandVariables): TaskAction | undefined {
  const type = localName(element.name);
  if (type === "Exec") {
    const command = childText(element, "Command");
    return compactRecord({
      type,
      programPath: command === undefined ? undefined : expand(command),
      arguments: childText(element, "Arguments"),
      workingDirectory: childText(element, "WorkingDirectory"),
    });
  }
  if (type === "ComHandler") {
    return compactRecord({
      type,
      comClassId: childText(element, "ClassId"),
      comData: childText(element, "Data"),
    });
  }
  const fields = messageFields[type];
  if (fields === undefined) return { type };
  const message: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = name === "Attachments"
      ? elements(child(element, name)).map(textOf).join("; ")
      : childText(element, name);
    if (value !== undefined && value !== "") message[field] = value;
  }
  return { type, message };
}

function triggerOf(element: XmlElement): TaskTrigger {
  const type = localName(element.name);
  const schedule = elements(element).find((part) => localName(part.name) in calendarFrequency);
  const interval = childText(child(element, "Repetition"), "Interval");
  const base = schedule ? calendarFrequency[localName(schedule.name)] : triggerFrequency[type];
  const frequency = [base, interval && `repeat every ${interval}`].filter(Boolean).join(", ");
  return compactRecord({
    type,
    enabled: booleanOf(childText(element, "Enabled")) ?? true,
    begin: childText(element, "StartBoundary"),
    end: childText(element, "EndBoundary"),
    frequency: frequency === "" ? undefined : frequency,
    username: childText(element, "UserId"),
    delay: childText(element, "Delay") ?? childText(element, "RandomDelay"),
    maxRunTime: childText(element, "ExecutionTimeLimit"),
    sessionChangeType: childText(element, "StateChange"),
    subscription: childText(element, "Subscription"),
  });
}

function elements(element: XmlElement | undefined): XmlElement[] {
  if (element === undefined) return [];
  return element.children.filter((node: XmlNode): node is XmlElement => node.kind === "element");
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return elements(element).find((node) => localName(node.name) === name);
}

function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  if (found === undefined) return undefined;
  const text = textOf(found).trim();
  return text === "" ? undefined : text;
}

function booleanOf(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  return undefined;
}

/** The record without its undefined members (exactOptionalPropertyTypes). */
function compactRecord<T extends object>(record: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) if (value !== undefined) out[name] = value;
  return out as T;
}
