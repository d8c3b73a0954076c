/**
 * FireEye HX real-time event documents (processEvent, imageLoadEvent,
 * fileWriteEvent, regKeyEvent, dnsLookupEvent, ipv4NetworkEvent) read back
 * from Sysmon and Security events. docs/eventlog.md has the full table.
 *
 * @module
 */
import type { ObservedFields, ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import { eventKey, eventProvenance } from "./event_log_item.ts";
import { normalizeHiveName, splitRegistryEventPath } from "./registry_path.ts";
import { dataValue, type WindowsEvent } from "./windows_event.ts";

/** The HX event documents this mapping produces. */
export const hxEventDocuments: readonly string[] = [
  "processEvent",
  "imageLoadEvent",
  "fileWriteEvent",
  "regKeyEvent",
  "dnsLookupEvent",
  "ipv4NetworkEvent",
];

const sysmonProvider = "microsoft-windows-sysmon";
const securityProvider = "microsoft-windows-security-auditing";

const sysmonDocuments: ReadonlyMap<number, string> = new Map([
  [1, "processEvent"],
  [5, "processEvent"],
  [7, "imageLoadEvent"],
  [11, "fileWriteEvent"],
  [15, "fileWriteEvent"],
  [23, "fileWriteEvent"],
  [12, "regKeyEvent"],
  [13, "regKeyEvent"],
  [14, "regKeyEvent"],
  [22, "dnsLookupEvent"],
  [3, "ipv4NetworkEvent"],
]);

/**
 * The HX document an event maps to, or undefined. Cheap: looks at the
 * provider and event id only.
 */
export function hxDocumentFor(
  event: Pick<WindowsEvent, "provider" | "eventId">,
): string | undefined {
  const provider = event.provider.toLowerCase();
  if (provider === sysmonProvider) return sysmonDocuments.get(event.eventId);
  if (provider === securityProvider && event.eventId === 4688) return "processEvent";
  return undefined;
}

/** The hashes of Sysmon's `Hashes` field (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`), lower-cased. */
export function parseSysmonHashes(
  text: string | undefined,
): { md5?: string; sha1?: string; sha256?: string } {
  const out: { md5?: string; sha1?: string; sha256?: string } = {};
  if (!text) return out;
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().toLowerCase();
    if (name === "MD5") out.md5 = value;
    else if (name === "SHA1") out.sha1 = value;
    else if (name === "SHA256") out.sha256 = value;
  }
  return out;
}

/** The last segment of a Windows path. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf("\\"), path.lastIndexOf("/"));
  return cut < 0 ? path : path.slice(cut + 1);
}

/**
 * Splits a full file path the way FileItem does: `C:\Windows\x.dll` →
 * drive `C:`, filePath `Windows` (no drive, no file name, no slashes at the
 * ends), fileName `x.dll`, fileExtension `dll`.
 */
export function splitFilePath(fullPath: string): {
  drive: string;
  filePath: string;
  fileName: string;
  fileExtension: string;
} {
  const fileName = baseName(fullPath);
  let dir = fullPath.slice(0, fullPath.length - fileName.length);
  let drive = "";
  const m = /^([A-Za-z]:)[\\/]?/.exec(dir);
  if (m) {
    drive = m[1]!;
    dir = dir.slice(m[0].length);
  }
  dir = dir.replace(/[\\/]+$/, "");
  const dot = fileName.lastIndexOf(".");
  return { drive, filePath: dir, fileName, fileExtension: dot > 0 ? fileName.slice(dot + 1) : "" };
}

/**
 * The folder of a Windows path as HX writes an acting process's folder:
 * `C:\Windows\System32\wbem\WmiPrvSE.exe` → `C:\Windows\System32\wbem`, a drive's
 * root as `C:\`. Undefined for a bare name (Sysmon's `System`), which has no folder.
 */
export function folderOf(path: string): string | undefined {
  const cut = Math.max(path.lastIndexOf("\\"), path.lastIndexOf("/"));
  if (cut < 0) return undefined;
  const folder = path.slice(0, cut);
  return /^[A-Za-z]:$/.test(folder) ? path.slice(0, cut + 1) : folder;
}

/**
 * What `processPath` holds in each HX document. Real IOCs write the acting
 * process's folder in regKeyEvent, fileWriteEvent and imageLoadEvent
 * (`processPath is C:\Windows\System32\wbem`, `ends-with :\Windows`) and the
 * executable's full path in processEvent (`ends-with \WerFault.exe`);
 * docs/eventlog.md has the counts. dnsLookupEvent and ipv4NetworkEvent, which
 * no corpus IOC tests, keep the full path.
 */
const processPathForms: Readonly<Record<string, "folder" | "full">> = {
  processEvent: "full",
  imageLoadEvent: "folder",
  fileWriteEvent: "folder",
  regKeyEvent: "folder",
  dnsLookupEvent: "full",
  ipv4NetworkEvent: "full",
};

/** An integer from decimal or `0x` hex text. */
function toInt(text: string | undefined): number | undefined {
  if (text === undefined || text === "" || text === "-") return undefined;
  const n = /^0x/i.test(text) ? parseInt(text, 16) : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Sysmon's `UtcTime` (`2019-05-12 13:30:32.916`) as ISO-8601. */
export function sysmonTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z?$/.exec(text.trim());
  return m ? `${m[1]}T${m[2]}Z` : undefined;
}

function set(fields: ObservedFields, name: string, value: string | number | undefined): void {
  if (value !== undefined && value !== "") fields[name] = value;
}

function processFields(
  fields: ObservedFields,
  image: string | undefined,
  event: WindowsEvent,
): void {
  if (image) {
    set(fields, "process", baseName(image));
    const document = hxDocumentFor(event);
    const form = document === undefined ? "full" : processPathForms[document] ?? "full";
    set(fields, "processPath", form === "folder" ? folderOf(image) : image);
  }
  set(fields, "pid", toInt(dataValue(event, "ProcessId")));
  const user = dataValue(event, "User");
  if (user && user !== "-") set(fields, "username", user);
}

function fileFields(fields: ObservedFields, fullPath: string | undefined): void {
  if (!fullPath) return;
  const parts = splitFilePath(fullPath);
  fields.fullPath = fullPath;
  set(fields, "fileName", parts.fileName);
  set(fields, "filePath", parts.filePath);
  set(fields, "fileExtension", parts.fileExtension);
  set(fields, "drive", parts.drive);
}

function hashFields(fields: ObservedFields, text: string | undefined): void {
  const hashes = parseSysmonHashes(text);
  set(fields, "md5", hashes.md5);
  set(fields, "sha1", hashes.sha1);
  set(fields, "sha256", hashes.sha256);
}

/** Sysmon 12/13/14 `EventType` → HX regKeyEvent eventType. */
const registryEventTypes: ReadonlyMap<string, number> = new Map([
  ["createkey", 1],
  ["deletekey", 2],
  ["setvalue", 3],
  ["deletevalue", 4],
  ["renamekey", 5],
  ["renamevalue", 5],
]);

/**
 * Sysmon 13's `Details` → HX regKeyEvent `valueType`, the Windows `REG_*` code
 * as decimal text (the corpus's HX IOCs write `1`, `3`, `5`). Sysmon spells out
 * only integer types (`DWORD (0x00000001)`, `QWORD (0x00000000-0x00000001)`);
 * REG_SZ and REG_EXPAND_SZ data appear as the text itself, and REG_BINARY,
 * REG_MULTI_SZ and the other types alike as `Binary Data`, so for those the
 * type is not known (docs/eventlog.md, "regKeyEvent valueType").
 */
const sysmonValueTypes: readonly { readonly details: RegExp; readonly valueType: string }[] = [
  { details: /^DWORD \(0x[0-9a-f]{8}\)$/i, valueType: "4" },
  { details: /^QWORD \(0x[0-9a-f]{8}-0x[0-9a-f]{8}\)$/i, valueType: "11" },
];

/** Why a regKeyEvent carries no valueType, by what Sysmon wrote. */
const valueTypeUnknown = {
  noValue: "Sysmon events 12 and 14 (keys created, deleted or renamed) carry no value type",
  notSpelled:
    "Sysmon's Details does not tell the value type here: text is REG_SZ or REG_EXPAND_SZ, " +
    "'Binary Data' any non-integer type (REG_BINARY, REG_MULTI_SZ…)",
  noDetails: "the Sysmon event carries no Details, so no value type",
} as const;

/**
 * The `valueType` of the regKeyEvent built from a Sysmon 12/13/14 event: the
 * REG_* code where Sysmon tells it, else the reason it is not known.
 */
export function sysmonValueType(
  event: WindowsEvent,
): { valueType: string } | { unevaluated: string } {
  if (event.eventId !== 13) return { unevaluated: valueTypeUnknown.noValue };
  const details = dataValue(event, "Details");
  if (details === undefined) return { unevaluated: valueTypeUnknown.noDetails };
  const known = sysmonValueTypes.find((entry) => entry.details.test(details));
  return known ? { valueType: known.valueType } : { unevaluated: valueTypeUnknown.notSpelled };
}

function sysmonEvent(event: WindowsEvent): ObservedFields | undefined {
  const fields: ObservedFields = {};
  const timestamp = sysmonTime(dataValue(event, "UtcTime")) ?? event.timeCreated;
  set(fields, "timestamp", timestamp);
  const image = dataValue(event, "Image");
  switch (event.eventId) {
    case 1: {
      processFields(fields, image, event);
      set(fields, "processCmdLine", dataValue(event, "CommandLine"));
      const parent = dataValue(event, "ParentImage");
      if (parent && parent !== "-") {
        set(fields, "parentProcess", baseName(parent));
        set(fields, "parentProcessPath", parent);
      }
      set(fields, "parentPid", toInt(dataValue(event, "ParentProcessId")));
      set(fields, "startTime", timestamp);
      fields.eventType = "start";
      hashFields(fields, dataValue(event, "Hashes"));
      return fields;
    }
    case 5:
      processFields(fields, image, event);
      fields.eventType = "end";
      return fields;
    case 7:
      processFields(fields, image, event);
      fileFields(fields, dataValue(event, "ImageLoaded"));
      hashFields(fields, dataValue(event, "Hashes"));
      return fields;
    case 11:
    case 15:
    case 23:
      processFields(fields, image, event);
      fileFields(fields, dataValue(event, "TargetFilename"));
      hashFields(fields, dataValue(event, "Hashes") ?? dataValue(event, "Hash"));
      return fields;
    case 12:
    case 13:
    case 14: {
      processFields(fields, image, event);
      const target = dataValue(event, "TargetObject");
      if (!target) return fields;
      const path = normalizeHiveName(target);
      const kind = (dataValue(event, "EventType") ?? "").toLowerCase();
      const hasValue = event.eventId === 13 || kind === "deletevalue" || kind === "renamevalue";
      const parts = splitRegistryEventPath(path, hasValue);
      fields.path = path;
      fields.hive = parts.hive;
      fields.keyPath = parts.keyPath;
      set(fields, "valueName", parts.valueName);
      set(
        fields,
        "text",
        event.eventId === 14 ? dataValue(event, "NewName") : dataValue(event, "Details"),
      );
      set(fields, "eventType", registryEventTypes.get(kind));
      const valueType = sysmonValueType(event);
      if ("valueType" in valueType) fields.valueType = valueType.valueType;
      return fields;
    }
    case 22:
      processFields(fields, image, event);
      set(fields, "hostname", dataValue(event, "QueryName"));
      return fields;
    case 3: {
      if ((dataValue(event, "SourceIsIpv6") ?? "false").toLowerCase() === "true") return undefined;
      processFields(fields, image, event);
      // Sysmon's Source is the side that initiated; for inbound connections that is the peer.
      const inbound = (dataValue(event, "Initiated") ?? "true").toLowerCase() === "false";
      const [local, remote] = inbound ? ["Destination", "Source"] : ["Source", "Destination"];
      set(fields, "localIP", dataValue(event, `${local}Ip`));
      set(fields, "localPort", toInt(dataValue(event, `${local}Port`)));
      set(fields, "remoteIP", dataValue(event, `${remote}Ip`));
      set(fields, "remotePort", toInt(dataValue(event, `${remote}Port`)));
      set(fields, "protocol", dataValue(event, "Protocol"));
      return fields;
    }
  }
  return undefined;
}

function securityProcessStart(event: WindowsEvent): ObservedFields {
  const fields: ObservedFields = {};
  const image = dataValue(event, "NewProcessName");
  if (image) {
    set(fields, "process", baseName(image));
    set(fields, "processPath", image);
  }
  set(fields, "processCmdLine", dataValue(event, "CommandLine"));
  set(fields, "pid", toInt(dataValue(event, "NewProcessId")));
  set(fields, "parentPid", toInt(dataValue(event, "ProcessId")));
  const parent = dataValue(event, "ParentProcessName");
  if (parent && parent !== "-") {
    set(fields, "parentProcess", baseName(parent));
    set(fields, "parentProcessPath", parent);
  }
  const target = dataValue(event, "TargetUserName");
  const [user, domain] = target && target !== "-"
    ? [target, dataValue(event, "TargetDomainName")]
    : [dataValue(event, "SubjectUserName"), dataValue(event, "SubjectDomainName")];
  if (user) set(fields, "username", domain && domain !== "-" ? `${domain}\\${user}` : user);
  set(fields, "startTime", event.timeCreated);
  set(fields, "timestamp", event.timeCreated);
  fields.eventType = "start";
  return fields;
}

/**
 * The HX event object an event maps to, or undefined when it maps to none
 * (or to a document not in `documents`).
 *
 * @example
 * ```ts
 * import { toHxEvent } from "./hx_events.ts";
 * const item = toHxEvent({
 *   channel: "Microsoft-Windows-Sysmon/Operational", provider: "Microsoft-Windows-Sysmon",
 *   eventId: 22, recordId: 9, origin: "x.evtx",
 *   data: [{ name: "QueryName", value: "evil.example" }, { name: "Image", value: "C:\\x\\a.exe" }],
 * });
 * // item?.document === "dnsLookupEvent", item?.fields.hostname === "evil.example"
 * ```
 */
export function toHxEvent(
  event: WindowsEvent,
  documents?: ReadonlySet<string>,
): ObservedItem | undefined {
  const document = hxDocumentFor(event);
  if (document === undefined || (documents && !documents.has(document))) return undefined;
  const fields = event.eventId === 4688 && event.provider.toLowerCase() === securityProvider
    ? securityProcessStart(event)
    : sysmonEvent(event);
  if (!fields) return undefined;
  const item: ObservedItem = {
    document,
    key: eventKey(event),
    fields,
    provenance: eventProvenance(event),
  };
  const unevaluated = unevaluatedOf(document, event);
  if (unevaluated) item.unevaluated = unevaluated;
  return item;
}

/** The fields of an HX event that its source event cannot tell. */
function unevaluatedOf(document: string, event: WindowsEvent): Unevaluated | undefined {
  if (document !== "regKeyEvent") return undefined;
  const valueType = sysmonValueType(event);
  return "unevaluated" in valueType ? { valueType: valueType.unevaluated } : undefined;
}
