/**
 * The NDJSON event stream that every `--json` command writes to stdout, one
 * event a line. This file is the one definition of the event shapes;
 * docs/events.md describes them for users and the PowerShell module reads them.
 *
 * @module
 */
import type { SkipReason } from "./skip_reason.ts";
import type { Provenance } from "./observed_item.ts";
import type { Severity } from "./severity.ts";

/** One IndicatorItem that held on an object, with what was observed. */
export interface EvidenceItem {
  /** The IndicatorItem id. */
  id: string;
  /** `Context/@search` as written in the IOC. */
  search: string;
  condition: string;
  negate: boolean;
  preserveCase: boolean;
  /** `Content` as written in the IOC. */
  expected: string;
  /** The observed value(s) the condition was tested on; absent means the field was missing. */
  observed?: unknown;
  /**
   * For an item read on one record of a list of the object (a port of a process,
   * docs/matching.md 4a): the list and that record as an analyst writes it,
   * `PortList/PortItem: TCP 10.0.0.5:49812 → 1.2.3.4:443 ESTABLISHED`.
   */
  element?: string;
}

/**
 * One object that satisfied a same-object group of items. `source`, `time`,
 * `computer` and `autostart` ({@linkcode Provenance}) are there when the
 * collector knows them.
 */
export interface Evidence extends Provenance {
  document: string;
  /** The object's identity (full path, event record, registry path…). */
  object: string;
  /** The id of the Indicator node whose same-object group this object satisfied. */
  indicator: string;
  items: EvidenceItem[];
}

/**
 * The identity of an IOC in events: its `id` and `sha256` together. Files may share an id (copied
 * and edited IOCs keep it): such files are different IOCs, told apart by the hash of their bytes.
 */
export interface IocRef {
  /** `ioc/@id` (or `OpenIOC/@id`) as written. */
  id: string;
  /** SHA-256 (lower-case hex) of the IOC file's bytes as loaded. */
  sha256: string;
  name: string;
  file: string;
  version: string;
}

/** `{"type":"ioc"}`: a document `indicators` loaded. */
export interface IocEvent {
  type: "ioc";
  file: string;
  id: string;
  /** SHA-256 (lower-case hex) of the file's bytes: with `id`, the IOC's identity. */
  sha256: string;
  version: string;
  name: string;
  items: number;
  /** Items a scan evaluates: a collector exists, fills the term, and the content reads. */
  evaluable: number;
  /**
   * The other items, by reason (`no-collector`, `not-produced`, `unsupported-term`,
   * `empty-content`, `invalid-value`); one reason per item, as `scan` reports them.
   */
  notEvaluated: Record<string, number>;
  /** Whether the IOC can fire at all through the items that are evaluated. */
  canFire: boolean;
  /** Search terms that are not supported (`Yara/TextString`…), each once. */
  unsupported: string[];
  warnings: number;
  /**
   * True when the file is a byte-identical copy of a file listed before it: a scan evaluates the
   * IOC once. Files that share an id with different bytes are not duplicates.
   */
  duplicate?: boolean;
  /**
   * With `indicators --explain`: how its items bind (docs/matching.md 4, 4a), e.g.
   * `one ProcessItem (ProcessItem/name is "x.exe" AND one PortList/PortItem (PortItem/remoteIP is "1.2.3.4"))`.
   */
  binding?: string;
}

/** `{"type":"rejected"}`: a file that could not be loaded at all. */
export interface RejectedEvent {
  type: "rejected";
  file: string;
  error: string;
  line?: number;
  column?: number;
}

/** `{"type":"warning"}`: something was worked around; never changes the exit code. */
export interface WarningEvent {
  type: "warning";
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  place?: string;
  iocId?: string;
  itemId?: string;
  collector?: string;
}

/** `{"type":"detection"}`: one IOC that hit, with its evidence. */
export interface DetectionEvent {
  type: "detection";
  runId?: number;
  ioc: IocRef;
  evidence: Evidence[];
  /** The host the detection was made on (a stored run's host when read from the store). */
  host?: string;
  /** When the detection was observed, ISO 8601 UTC (when it was stored, for a stored run). */
  time?: string;
  /** The IOC's severity: its parameters or links, else `medium` (openioc/severity.ts). */
  severity?: Severity;
}

/** `{"type":"skipped"}`: one object a collector did not evaluate. */
export interface SkippedEvent {
  type: "skipped";
  collector: string;
  object: string;
  reason: SkipReason;
  detail?: string;
  /** The documents the skip leaves unread as a whole (collectors/collector.ts). */
  unreadDocuments?: readonly string[];
}

/** `{"type":"not-evaluated"}`: IOC items that could not be evaluated, and why. */
export interface NotEvaluatedEvent {
  type: "not-evaluated";
  ioc: IocRef;
  itemId: string;
  search: string;
  /**
   * One reason per item: `unsupported-term`, `no-collector`, `not-produced`, `empty-content`,
   * `invalid-value` (the plan's), else `type-not-selected` or `no-source` (the run's).
   */
  reason: string;
  /**
   * For `no-source`: why the collector had nothing to read, as its descriptor says
   * (`endpoint network matching is opt-in: --endpoint-network`).
   */
  detail?: string;
}

/**
 * What a response action did, or would do, to one object: `quarantined`, `pending-reboot`
 * (deletion scheduled at the next reboot), `refused` (a safety rule said no: `reason` names it),
 * `failed` (`reason` names the step), `what-if` (`--what-if`: what would happen, nothing changed;
 * `detail` says what). `iocscan quarantine` adds `restored` (a copy brought back) and `purged`
 * (a copy removed by `quarantine purge`), the scan's retention `evicted` (a copy removed because
 * the store is past its age or size limit). Isolation adds its own (`isolated`, `released`…).
 * docs/actions.md lists the outcomes and reasons of each action.
 */
export type ActionOutcome =
  | "quarantined"
  | "pending-reboot"
  | "refused"
  | "failed"
  | "what-if"
  | "restored"
  | "purged"
  | "evicted"
  | "isolated"
  | "extended"
  | "released"
  | "rolled-back";

/** `{"type":"action"}`: one step a response action took on one object (docs/actions.md). */
export interface ActionEvent {
  type: "action";
  /** The run the action belongs to; absent for actions outside a scan (`quarantine restore`). */
  runId?: number;
  /** The response: `quarantine`, `isolate`, `critical-scan`. */
  action: string;
  /** What it acted on: a file's full path, the host. */
  object: string;
  outcome: ActionOutcome;
  /** A stable code: why it was refused or failed (`too-large`, `symlink`, `permission`…). */
  reason?: string;
  /** Words for a human: the error, the rule, what `--what-if` would do. */
  detail?: string;
  /** The IOCs whose detections named the object. */
  iocs?: { id: string; sha256: string }[];
  /** The quarantine entry or isolation the action made or changed. */
  entry?: string;
  /** SHA-256 of the object's content, when read. */
  sha256?: string;
  /** When the step ended, ISO 8601 UTC. */
  time: string;
}

/**
 * `{"type":"quarantine-entry"}`: one entry of the quarantine store (`iocscan quarantine list
 * --json`, `show --json`): the store's record of it (`QuarantineEntry` of
 * actions/quarantine/contract.ts; docs/quarantine.md) with `type` added.
 */
export interface QuarantineEntryEvent {
  type: "quarantine-entry";
  id: string;
  originalPath: string;
  sha256: string;
  /** `deleting`, `quarantined`, `pending-reboot`, `kept-original`, `restored`, `purged`. */
  state: string;
  [field: string]: unknown;
}

/**
 * How a finding weighs on the run (docs/critical-scan.md): `detection` makes the exit code 1 as an
 * IOC detection does (an antivirus's verdict); `incomplete` says an area was not covered (no
 * antivirus, files it could not scan): the run is incomplete, never clean; `notice` is listed and
 * stored but changes no exit code (executable memory of a JIT, an out-of-tree kernel module).
 */
export type FindingSeverity = "detection" | "incomplete" | "notice";

/**
 * `{"type":"finding"}`: a result that comes from a source other than an IOC: an antivirus's
 * verdict, executable memory not backed by a file, a driver of unknown origin
 * (docs/critical-scan.md lists the kinds).
 */
export interface FindingEvent {
  type: "finding";
  runId?: number;
  /** Who found it: a collector (`process-modules`, `driver`) or an engine (`clamav`, `defender`). */
  source: string;
  /** A stable code: `antivirus`, `anonymous-executable-memory`, `unknown-origin-driver`… */
  kind: string;
  /** What it is about: a file's path, `pid 1234 [7f00…-7f01…]`, a module's name. */
  object: string;
  severity: FindingSeverity;
  /** Words for a human. */
  detail: string;
  /** When it was found, ISO 8601 UTC. */
  time: string;
  /** The kind's own facts (pid, process, range, size, engine, signature…), as data. */
  data?: Record<string, string | number | boolean>;
}

/** `{"type":"progress"}`: periodic progress of a collector. */
export interface ProgressEvent {
  type: "progress";
  collector: string;
  objects: number;
  bytes?: number;
  current?: string;
  elapsedMs: number;
}

/** `{"type":"item"}`: one collected object (`collect` commands). */
export interface ItemEvent {
  type: "item";
  document: string;
  key: string;
  [field: string]: unknown;
}

/** `{"type":"run"}`: one stored run (`results`). */
export interface RunEvent {
  type: "run";
  id: number;
  taskName: string | null;
  host: string;
  user: string;
  started: string;
  finished: string | null;
  status: string;
  counts: Record<string, number>;
  options?: unknown;
}

/** `{"type":"summary"}`: the last event of every command; fields depend on the command. */
export interface SummaryEvent {
  type: "summary";
  [figure: string]: unknown;
}

/** Any event of the stream. */
export type IocScanEvent =
  | IocEvent
  | RejectedEvent
  | WarningEvent
  | DetectionEvent
  | SkippedEvent
  | NotEvaluatedEvent
  | ProgressEvent
  | ItemEvent
  | ActionEvent
  | QuarantineEntryEvent
  | FindingEvent
  | RunEvent
  | SummaryEvent;
