/**
 * Sends a scan's detections and its end to every destination (`--syslog`, `--journald`,
 * `--windows-event-log`), in order, each destination on its own so that one that fails does not stop the
 * others. Failures are reported through `complain` (stderr), never thrown.
 *
 * @module
 */
import type { IocScanEvent } from "../../contracts/events.ts";
import type { ForwardRecord, LogSink } from "./log_sink.ts";

/** Forwards records to sinks; `observe` takes the scan's events as they come. */
export class Forwarder {
  readonly #sinks: readonly LogSink[];
  readonly #host: string;
  readonly #complain: (message: string) => void;
  readonly #pending: Promise<void>[];
  readonly #failed = new Set<LogSink>();
  /** Records written per sink, by name. */
  readonly sent = new Map<string, number>();

  /** Forwards to `sinks`; `host` names the run-end record. */
  constructor(sinks: readonly LogSink[], host: string, complain: (message: string) => void) {
    this.#sinks = sinks;
    this.#host = host;
    this.#complain = complain;
    this.#pending = sinks.map(() => Promise.resolve());
  }

  /** Takes one scan event: detections and the summary are forwarded. */
  observe(event: IocScanEvent): void {
    if (event.type === "detection") this.#send({ kind: "detection", detection: event });
    if (event.type === "summary") {
      this.#send({
        kind: "run-end",
        summary: event,
        host: this.#host,
        time: new Date().toISOString(),
      });
    }
  }

  #send(record: ForwardRecord): void {
    this.#sinks.forEach((sink, index) => {
      this.#pending[index] = this.#pending[index]!.then(async () => {
        if (this.#failed.has(sink)) return;
        try {
          await sink.write(record);
          this.sent.set(sink.name, (this.sent.get(sink.name) ?? 0) + 1);
        } catch (error) {
          this.#failed.add(sink);
          this.#complain(`${sink.name}: ${(error as Error).message}; nothing more is sent there`);
        }
      });
    });
  }

  /** Waits for every record to be sent, then closes the sinks. */
  async close(): Promise<void> {
    await Promise.all(this.#pending);
    await Promise.all(this.#sinks.map((sink) => sink.close().catch(() => {})));
  }
}
