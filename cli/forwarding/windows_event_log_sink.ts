/**
 * The Windows Application log: one entry per record under the source `iocscan`, which must exist
 * (the PowerShell module's documented one-time step, docs/reports.md: it needs administrators).
 * The entry is written by Windows PowerShell's `[System.Diagnostics.EventLog]::WriteEntry`, the
 * message read from stdin so that no value is an argument; the writer is an interface so that the
 * record-to-entry rule is tested everywhere. Not yet run on Windows.
 *
 * @module
 */
import { DEFAULT_SEVERITY } from "../../contracts/severity.ts";
import type { ForwardRecord, LogSink } from "./log_sink.ts";

/** The event source every entry is written under. */
export const EVENT_LOG_SOURCE = "iocscan";

/** Event ids: 1000 a detection, 1001 the end of a run. */
export const EVENT_LOG_IDS = { detection: 1000, "run-end": 1001 } as const;

/** One Application log entry. */
export interface EventLogEntry {
  id: number;
  type: "Error" | "Warning" | "Information";
  message: string;
}

/** What writes an entry (Windows PowerShell on Windows; a recorder in tests). */
export interface EventLogWriter {
  write(entry: EventLogEntry): Promise<void>;
}

/** The entry of one record: critical and high detections are errors, the rest warnings. */
export function eventLogEntry(record: ForwardRecord): EventLogEntry {
  if (record.kind === "run-end") {
    const { summary } = record;
    return {
      id: EVENT_LOG_IDS["run-end"],
      type: "Information",
      message: `iocscan run ${summary.runId ?? "-"} ended ${summary.status}: ` +
        `${summary.detections ?? 0} detection(s)\nhost: ${record.host}`,
    };
  }
  const { detection } = record;
  const severity = detection.severity ?? DEFAULT_SEVERITY;
  return {
    id: EVENT_LOG_IDS.detection,
    type: severity === "critical" || severity === "high" ? "Error" : "Warning",
    message: [
      `iocscan ${severity} detection: ${detection.ioc.name}`,
      `run: ${detection.runId ?? "-"}`,
      `host: ${detection.host ?? ""}`,
      `time: ${detection.time ?? ""}`,
      `IOC: ${detection.ioc.id} (${detection.ioc.file}, sha256 ${detection.ioc.sha256})`,
      ...detection.evidence.map((evidence) => `${evidence.document}: ${evidence.object}`),
    ].join("\n"),
  };
}

/** Writes entries with Windows PowerShell (`powershell.exe`), the message on stdin. */
export class PowerShellEventLogWriter implements EventLogWriter {
  async write(entry: EventLogEntry): Promise<void> {
    const script = "$m = [Console]::In.ReadToEnd(); " +
      `[System.Diagnostics.EventLog]::WriteEntry('${EVENT_LOG_SOURCE}', $m, ` +
      `[System.Diagnostics.EventLogEntryType]::${entry.type}, ${entry.id})`;
    const child = new Deno.Command("powershell.exe", {
      args: ["-NoProfile", "-NonInteractive", "-Command", script],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(entry.message));
    await writer.close();
    const output = await child.output();
    if (!output.success) throw new Error(new TextDecoder().decode(output.stderr).trim());
  }
}

/** The Application log as a forwarding destination. */
export class WindowsEventLogSink implements LogSink {
  readonly name = "Windows Application log";
  readonly #writer: EventLogWriter;

  /** Writes through `writer` (default: Windows PowerShell). */
  constructor(writer: EventLogWriter = new PowerShellEventLogWriter()) {
    this.#writer = writer;
  }

  async write(record: ForwardRecord): Promise<void> {
    await this.#writer.write(eventLogEntry(record));
  }

  async close(): Promise<void> {}
}
