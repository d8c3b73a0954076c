/**
 * journald on Linux: one journal entry per record, written by `logger --journald` (util-linux),
 * which reads the entry's fields from stdin (`FIELD=value`, one a line), so that no value is
 * an argument. Fields: `MESSAGE`, `PRIORITY` (the syslog severity), `SYSLOG_IDENTIFIER=iocscan`,
 * and `IOCSCAN_RUN_ID`, `IOCSCAN_IOC_ID`, `IOCSCAN_IOC_SHA256`, `IOCSCAN_SEVERITY`,
 * `IOCSCAN_HOST`, `IOCSCAN_STATUS`. Used when `/run/systemd/journal/socket` exists.
 *
 * @module
 */
import { DEFAULT_SEVERITY, SYSLOG_SEVERITY } from "../../contracts/severity.ts";
import type { ForwardRecord, LogSink } from "./log_sink.ts";

/** The socket journald listens on. */
export const JOURNALD_SOCKET = "/run/systemd/journal/socket";

/** How long `logger` may take for one entry. */
const LOGGER_DEADLINE_MS = 10_000;

/** A field value on one line: line breaks become spaces (logger reads one field a line). */
function oneLine(value: unknown): string {
  return String(value ?? "").replace(/[\r\n]+/g, " ");
}

/** The journal fields of one record. */
export function journalFields(record: ForwardRecord): Record<string, string> {
  if (record.kind === "detection") {
    const { detection } = record;
    const severity = detection.severity ?? DEFAULT_SEVERITY;
    return {
      MESSAGE: oneLine(`iocscan ${severity} detection: ${detection.ioc.name}`),
      PRIORITY: String(SYSLOG_SEVERITY[severity]),
      SYSLOG_IDENTIFIER: "iocscan",
      IOCSCAN_RUN_ID: oneLine(detection.runId ?? ""),
      IOCSCAN_IOC_ID: oneLine(detection.ioc.id),
      IOCSCAN_IOC_SHA256: oneLine(detection.ioc.sha256),
      IOCSCAN_SEVERITY: severity,
      IOCSCAN_HOST: oneLine(detection.host),
    };
  }
  const { summary } = record;
  return {
    MESSAGE: oneLine(`iocscan run ${summary.runId ?? "-"} ended ${summary.status}`),
    PRIORITY: "5",
    SYSLOG_IDENTIFIER: "iocscan",
    IOCSCAN_RUN_ID: oneLine(summary.runId ?? ""),
    IOCSCAN_STATUS: oneLine(summary.status),
    IOCSCAN_HOST: oneLine(record.host),
  };
}

/** Whether journald is there to write to. */
export function journaldAvailable(): boolean {
  try {
    return Deno.statSync(JOURNALD_SOCKET).isSocket === true;
  } catch {
    return false;
  }
}

/** Writes each record as one journal entry through `logger --journald`. */
export class JournaldSink implements LogSink {
  readonly name = "journald";

  async write(record: ForwardRecord): Promise<void> {
    const text = Object.entries(journalFields(record))
      .map(([field, value]) => `${field}=${value}\n`).join("");
    const child = new Deno.Command("logger", {
      args: ["--journald"],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), LOGGER_DEADLINE_MS);
    try {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(text));
      await writer.close();
      const output = await child.output();
      if (!output.success) {
        throw new Error(`logger --journald: ${new TextDecoder().decode(output.stderr).trim()}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}
