/**
 * What a scanning command (`scan`, `critical-scan`) writes while and after it runs: with
 * `--json`, every event as NDJSON (progress flushed at once: a front end shows it, and it tells a
 * caller the scan is alive); otherwise a progress bar on a terminal, warnings and rejected IOC
 * files on stderr, then findings, detections, actions, the summary table and where the run is
 * stored. Every value is escaped by report/ before it reaches the terminal.
 *
 * @module
 */
import type { ActionEvent, IocScanEvent, SummaryEvent } from "../../contracts/events.ts";
import {
  escapeTerminalText,
  formatActionEvents,
  formatDetections,
  formatFindings,
  formatSummaryTable,
  ProgressBar,
} from "../../report/mod.ts";
import type { ScanEventSink, ScanOutcome } from "../../scan/run_scan.ts";
import { OutputWriter } from "./output_writer.ts";

/** The output of one scanning command. */
export class ScanConsole {
  readonly #json: boolean;
  readonly #writer = new OutputWriter();
  readonly #bar: ProgressBar | undefined;
  readonly #actions: ActionEvent[] = [];
  #summary: SummaryEvent | undefined;

  /** Where the scan's events go; `observe` sees each first (live forwarding). */
  readonly sink: ScanEventSink;

  constructor(json: boolean, observe?: (event: IocScanEvent) => void) {
    this.#json = json;
    this.#bar = !json && Deno.stderr.isTerminal() ? new ProgressBar(Deno.stderr) : undefined;
    this.sink = { event: (event) => this.#event(event, observe) };
  }

  #event(event: IocScanEvent, observe?: (event: IocScanEvent) => void): void {
    observe?.(event);
    if (this.#json) {
      this.#writer.event(event);
      if (event.type === "progress") this.#writer.flush();
      return;
    }
    if (event.type === "progress") return this.#bar?.update(event);
    if (event.type === "summary") this.#summary = event;
    if (event.type === "action") this.#actions.push(event);
    if (event.type === "warning") {
      this.#bar?.clear();
      console.error(
        escapeTerminalText(`warning: ${event.file ? `${event.file}: ` : ""}${event.message}`),
      );
    }
    if (event.type === "rejected") {
      this.#bar?.clear();
      console.error(escapeTerminalText(`rejected: ${event.file}: ${event.error}`));
    }
  }

  /** Writes the human report of a finished scan (nothing more with `--json`) and flushes. */
  finish(outcome: ScanOutcome): void {
    if (!this.#json) {
      this.#bar?.clear();
      // Findings (docs/critical-scan.md) come from collectors such as process-modules or driver.
      if (outcome.findings.length > 0) this.#writer.line(formatFindings(outcome.findings));
      this.#writer.line(formatDetections(outcome.detections, outcome.incomplete));
      if (this.#actions.length > 0) this.#writer.line(formatActionEvents(this.#actions));
      if (this.#summary) this.#writer.line(formatSummaryTable(this.#summary));
      // A fleet run is named by the fleet store's id (docs/fleet.md), else the local store's.
      const stored = outcome.fleet?.runId !== undefined
        ? { database: outcome.fleet.database, runId: outcome.fleet.runId }
        : outcome.databasePath === undefined
        ? undefined
        : { database: outcome.databasePath, runId: outcome.runId };
      if (stored) {
        const database = escapeTerminalText(stored.database);
        this.#writer.line(
          `Results stored in ${database} (run ${stored.runId}). ` +
            `Show them with: iocscan results --db ${database} --run ${stored.runId}`,
        );
      }
    }
    this.#writer.flush();
  }

  /** Writes what is buffered (a scan that stopped with an error). */
  flush(): void {
    this.#writer.flush();
  }
}
