/**
 * Live forwarding of a scan's results (docs/reports.md, "Live forwarding"): each destination is a
 * {@linkcode LogSink} that gets one record per detection and one at the run's end, as they
 * happen. A destination that fails is reported on stderr; it never changes the scan's verdict or
 * exit code (the run is stored whatever happens to forwarding).
 *
 * @module
 */
import type { DetectionEvent, SummaryEvent } from "../../contracts/events.ts";

/** One record to forward: a detection, or the end of the run. */
export type ForwardRecord =
  | { kind: "detection"; detection: DetectionEvent }
  | { kind: "run-end"; summary: SummaryEvent; host: string; time: string };

/** A destination of forwarded records. */
export interface LogSink {
  /** What it is, for messages: `syslog tcp://siem:514`. */
  readonly name: string;
  /** Sends one record; rejects when it cannot. */
  write(record: ForwardRecord): Promise<void>;
  /** Ends the connection after what was written. */
  close(): Promise<void>;
}
