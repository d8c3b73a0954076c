/**
 * RFC 5424 syslog messages of a scan (docs/reports.md, "Live forwarding"): one per detection
 * (MSGID `detection`) and one at the run's end (MSGID `run-end`), with the run id, IOC id and
 * severity as structured data. Framing for a transport (RFC 6587 octet counting) is the sender's.
 *
 * @module
 */
import type { DetectionEvent, SummaryEvent } from "../contracts/events.ts";
import { DEFAULT_SEVERITY, type Severity, SYSLOG_SEVERITY } from "../contracts/severity.ts";

/** The facility of every message: local0 (16). */
export const SYSLOG_FACILITY = 16;

/** APP-NAME. */
export const SYSLOG_APP_NAME = "iocscan";

/**
 * The SD-ID of iocscan's structured data. iocscan has no IANA enterprise number of its own:
 * 32473 is the number RFC 5612 reserves for documentation and examples.
 */
export const SYSLOG_SD_ID = "iocscan@32473";

/**
 * The most characters of one IOC-supplied or evidence value (IOC name, object) in a message: with
 * them, a message stays far below the 2,048 octets RFC 5426 asks every UDP receiver to accept.
 */
export const SYSLOG_VALUE_CHARS = 256;

/** `value`, cut to {@linkcode SYSLOG_VALUE_CHARS} characters with `…` when longer. */
function clip(value: string): string {
  return value.length > SYSLOG_VALUE_CHARS ? `${value.slice(0, SYSLOG_VALUE_CHARS - 1)}…` : value;
}

/** The syslog severity of a run's end: notice (5), or warning (4) when it is not clean. */
const RUN_END_SEVERITY = { clean: 5, notClean: 4 } as const;

/** PRINTUSASCII without space, as HOSTNAME, APP-NAME, PROCID and MSGID must be (RFC 5424 6). */
function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, "_").slice(0, maxLength);
  return printable === "" ? "-" : printable;
}

/**
 * An SD-PARAM value: `"`, `\` and `]` escaped with a backslash (RFC 5424 6.3.3); line breaks
 * become spaces, for receivers that read a message a line.
 */
export function sdValue(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/["\\\]]/g, (character) => `\\${character}`);
}

function structuredData(params: Record<string, string | number | boolean | undefined>): string {
  const pairs = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${sdValue(String(value))}"`);
  return `[${SYSLOG_SD_ID}${pairs.join("")}]`;
}

/** The header and structured data of one message, and its UTF-8 text (BOM first, 6.4). */
function message(
  severity: number,
  time: string,
  host: string,
  msgid: string,
  data: string,
  text: string,
): string {
  const pri = SYSLOG_FACILITY * 8 + severity;
  return `<${pri}>1 ${headerField(time, 64)} ${headerField(host, 255)} ${SYSLOG_APP_NAME} ` +
    `${headerField(String(Deno.pid), 128)} ${msgid} ${data} \uFEFF${text.replace(/[\r\n]+/g, " ")}`;
}

/**
 * The message of one detection.
 *
 * @example
 * ```ts
 * import { detectionMessage } from "./syslog_message.ts";
 * detectionMessage({
 *   type: "detection", runId: 3, host: "ws-01", time: "2026-12-01T00:00:00.000Z",
 *   severity: "high", evidence: [],
 *   ioc: { id: "x", sha256: "ab", name: "Evil", file: "/iocs/x.ioc", version: "1.1" },
 * }).startsWith("<131>1 2026-12-01T00:00:00.000Z ws-01 iocscan "); // true
 * ```
 */
export function detectionMessage(detection: DetectionEvent): string {
  const severity: Severity = detection.severity ?? DEFAULT_SEVERITY;
  const first = detection.evidence[0];
  const objects = detection.evidence.length;
  return message(
    SYSLOG_SEVERITY[severity],
    detection.time ?? new Date().toISOString(),
    detection.host ?? "",
    "detection",
    structuredData({
      runId: detection.runId,
      iocId: clip(detection.ioc.id),
      iocSha256: detection.ioc.sha256,
      iocName: clip(detection.ioc.name),
      severity,
      objects,
    }),
    `${severity} detection: ${clip(detection.ioc.name)} on ${objects} object(s)` +
      (first ? `, first ${first.document} ${clip(first.object)}` : ""),
  );
}

/** The message at the end of a run, from its `summary` event. */
export function runEndMessage(summary: SummaryEvent, host: string, time: string): string {
  const detections = Number(summary.detections ?? 0);
  const complete = summary.complete === true;
  const status = String(summary.status ?? "unknown");
  const clean = detections === 0 && complete && status === "completed";
  return message(
    clean ? RUN_END_SEVERITY.clean : RUN_END_SEVERITY.notClean,
    time,
    host,
    "run-end",
    structuredData({
      runId: typeof summary.runId === "number" ? summary.runId : undefined,
      status,
      complete,
      detections,
    }),
    `run ${summary.runId ?? "-"} ended ${status}${complete ? "" : " (incomplete)"}: ` +
      `${detections} detection(s)`,
  );
}
