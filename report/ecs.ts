/**
 * The ECS report (Elastic Common Schema 8.11, docs/reports.md): NDJSON, one document per
 * detection (`event.kind: alert`) and one for the run (`event.kind: event`), so that Elastic,
 * Splunk or Sentinel ingest it without a mapping. Fields outside ECS sit under `iocscan.*`.
 *
 * @module
 */
import type { DetectionEvent, Evidence } from "../contracts/events.ts";
import { DEFAULT_SEVERITY, NUMERIC_SEVERITY } from "../contracts/severity.ts";
import { observedText } from "./evidence_rows.ts";
import type { RunReport } from "./run_report.ts";

/** The ECS version the documents follow (`ecs.version`). */
export const ECS_VERSION = "8.11.0";

/** `event.category` of each OpenIOC document; documents not listed are `host`. */
const documentCategories: Readonly<Record<string, string>> = {
  FileItem: "file",
  ProcessItem: "process",
  RegistryItem: "registry",
  ServiceItem: "host",
  PortItem: "network",
  DnsEntryItem: "network",
  ArpEntryItem: "network",
  RouteEntryItem: "network",
  UrlHistoryItem: "web",
  EventLogItem: "host",
  DriverItem: "driver",
  UserItem: "iam",
};

/** `threat.indicator.type` (STIX 2 cyber-observable names, as ECS lists them) per category. */
const indicatorTypes: Readonly<Record<string, string>> = {
  file: "file",
  process: "process",
  registry: "windows-registry-key",
  network: "ipv4-addr",
  web: "url",
  iam: "user-account",
};

/** The fields read from the observed values of an item, by its search term (case-insensitive). */
const fieldsBySearch: Readonly<Record<string, readonly string[]>> = {
  "fileitem/md5sum": ["file", "hash", "md5"],
  "fileitem/sha1sum": ["file", "hash", "sha1"],
  "fileitem/sha256sum": ["file", "hash", "sha256"],
  "fileitem/filename": ["file", "name"],
  "fileitem/sizeinbytes": ["file", "size"],
  "processitem/name": ["process", "name"],
  "processitem/pid": ["process", "pid"],
  "processitem/path": ["process", "executable"],
  "processitem/arguments": ["process", "command_line"],
  "registryitem/valuename": ["registry", "value"],
  "registryitem/hive": ["registry", "hive"],
  "registryitem/text": ["registry", "data", "strings"],
  "registryitem/type": ["registry", "data", "type"],
  "portitem/remoteip": ["destination", "ip"],
  "portitem/remoteport": ["destination", "port"],
  "portitem/localip": ["source", "ip"],
  "portitem/localport": ["source", "port"],
  "dnsentryitem/host": ["dns", "question", "name"],
  "urlhistoryitem/url": ["url", "full"],
  "useritem/username": ["user", "name"],
};

/** The object's identity field per category (an evidence's `object`). */
const objectFields: Readonly<Record<string, readonly string[]>> = {
  file: ["file", "path"],
  registry: ["registry", "path"],
};

/** Fields whose ECS type is a number. */
const numericFields = new Set(["file.size", "process.pid", "destination.port", "source.port"]);

/** Fields whose ECS type is an array of keywords. */
const arrayFields = new Set(["registry.data.strings"]);

type Document = Record<string, unknown>;

/** The `event.category` of an OpenIOC document. */
export function ecsCategory(document: string): string {
  return documentCategories[document] ?? "host";
}

/** Sets `path` in `target`, keeping the first value given. */
function setField(target: Document, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== "object") node[key] = {};
    node = node[key] as Document;
  }
  const last = path[path.length - 1]!;
  if (node[last] === undefined) node[last] = value;
}

function firstValue(observed: unknown): string {
  return Array.isArray(observed) ? observedText(observed[0]) : observedText(observed);
}

/** The ECS fields of one evidence object: its identity and the observed values of its items. */
function evidenceFields(target: Document, evidence: Evidence): void {
  const category = ecsCategory(evidence.document);
  const objectField = objectFields[category];
  if (objectField) setField(target, objectField, evidence.object);
  for (const item of evidence.items) {
    const path = fieldsBySearch[item.search.toLowerCase()];
    if (path === undefined || item.observed === undefined || item.observed === null) continue;
    const name = path.join(".");
    const text = firstValue(item.observed);
    if (text === "") continue;
    const value = numericFields.has(name) ? Number(text) : arrayFields.has(name) ? [text] : text;
    if (typeof value === "number" && !Number.isFinite(value)) continue;
    setField(target, path, value);
  }
}

/** The alert document of one detection. */
export function ecsDetection(detection: DetectionEvent, report: RunReport): Document {
  const severity = detection.severity ?? DEFAULT_SEVERITY;
  const categories = [...new Set(detection.evidence.map((e) => ecsCategory(e.document)))];
  const host = detection.host ?? report.details.run.host;
  const document: Document = {
    "@timestamp": detection.time ?? report.details.run.started,
    ecs: { version: ECS_VERSION },
    message: `iocscan: ${detection.ioc.name} matched on ${host}`,
    event: {
      kind: "alert",
      category: categories,
      type: ["indicator"],
      module: "iocscan",
      dataset: "iocscan.detection",
      provider: "iocscan",
      severity: NUMERIC_SEVERITY[severity],
      created: report.generated,
    },
    host: { name: host },
    rule: {
      id: detection.ioc.id,
      name: detection.ioc.name,
      ...(uuidPattern.test(detection.ioc.id) ? { uuid: detection.ioc.id.toLowerCase() } : {}),
      ruleset: "OpenIOC",
      version: detection.ioc.version,
    },
    threat: {
      indicator: {
        type: indicatorTypes[categories[0] ?? ""] ?? "artifact",
        description: detection.ioc.name,
        provider: "iocscan",
      },
    },
  };
  for (const evidence of detection.evidence) evidenceFields(document, evidence);
  document.iocscan = {
    run_id: detection.runId ?? report.details.run.id,
    severity,
    ioc: {
      id: detection.ioc.id,
      sha256: detection.ioc.sha256,
      name: detection.ioc.name,
      file: detection.ioc.file,
      version: detection.ioc.version,
    },
    evidence: detection.evidence,
  };
  return document;
}

/** An IOC id that is a UUID (Mandiant's IOCs use them): it is also `rule.uuid`. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The run's document: what ran, when, how it ended. */
export function ecsRun(report: RunReport): Document {
  const { run } = report.details;
  return {
    "@timestamp": run.finished ?? run.started,
    ecs: { version: ECS_VERSION },
    message: `iocscan run ${run.id} on ${run.host}: ${run.status}, ` +
      `${report.details.detections.length} detection(s)`,
    event: {
      kind: "event",
      category: ["host"],
      type: ["info"],
      module: "iocscan",
      dataset: "iocscan.run",
      provider: "iocscan",
      start: run.started,
      ...(run.finished === null ? {} : { end: run.finished }),
      outcome: run.status === "completed"
        ? "success"
        : run.status === "running"
        ? "unknown"
        : "failure",
      created: report.generated,
    },
    host: { name: run.host },
    user: { name: run.user },
    iocscan: {
      run_id: run.id,
      task_name: run.taskName,
      status: run.status,
      complete: report.incomplete.length === 0 && run.status === "completed",
      incomplete: report.incomplete,
      counts: run.counts,
      detections: report.details.detections.length,
      actions: report.actions.length,
      ioc_files: report.details.iocFiles.map((file) => ({ file: file.file, sha256: file.sha256 })),
      collectors: report.collectors,
    },
  };
}

/** The run as ECS NDJSON: one line per detection, then the run's line. */
export function renderEcs(report: RunReport): string {
  const documents = [
    ...report.details.detections.map((detection) => ecsDetection(detection, report)),
    ecsRun(report),
  ];
  return documents.map((document) => `${JSON.stringify(document)}\n`).join("");
}
