/**
 * Turns a collector's frequent progress reports into at most one progress
 * event per interval, so a fast walk does not flood the event stream.
 *
 * @module
 */
import type { CollectorProgress } from "../collectors/collector.ts";
import type { ProgressEvent } from "../contracts/events.ts";

/** Emits a progress event at most every `intervalMs`, plus a final one on {@linkcode flush}. */
export class ProgressThrottle {
  #last = 0;
  #pending: CollectorProgress | undefined;
  readonly #started = performance.now();

  constructor(
    private readonly emit: (event: ProgressEvent) => void,
    private readonly intervalMs = 250,
  ) {}

  /** Records the newest figures and emits them when the interval has passed. */
  report(progress: CollectorProgress): void {
    this.#pending = progress;
    const now = performance.now();
    if (now - this.#last >= this.intervalMs) {
      this.#last = now;
      this.flush();
    }
  }

  /** Emits the newest figures not yet emitted. */
  flush(): void {
    const progress = this.#pending;
    if (progress === undefined) return;
    this.#pending = undefined;
    const event: ProgressEvent = {
      type: "progress",
      collector: progress.collector,
      objects: progress.objects,
      elapsedMs: Math.round(performance.now() - this.#started),
    };
    if (progress.bytes !== undefined) event.bytes = progress.bytes;
    if (progress.current !== undefined) event.current = progress.current;
    this.emit(event);
  }
}
