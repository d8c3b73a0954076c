/**
 * A one-line progress display for terminals: objects, objects/s and MB/s.
 *
 * @module
 */
import type { ProgressEvent } from "../contracts/events.ts";
import { escapeTerminalText } from "./terminal_text.ts";

/** Draws progress on a terminal line, rewriting it in place. */
export class ProgressBar {
  readonly #encoder = new TextEncoder();
  #drawn = false;

  constructor(private readonly out: { writeSync(bytes: Uint8Array): number }) {}

  /** Redraws the line with the newest figures; the object's name escaped for the terminal. */
  update(event: ProgressEvent): void {
    const seconds = Math.max(event.elapsedMs / 1000, 0.001);
    const rate = Math.round(event.objects / seconds);
    const megabytes = event.bytes === undefined
      ? ""
      : `  ${(event.bytes / 1e6 / seconds).toFixed(1)} MB/s`;
    const current = event.current ? `  ${shorten(escapeTerminalText(event.current), 50)}` : "";
    const text = `\r\x1b[2K${
      escapeTerminalText(event.collector)
    }: ${event.objects} objects  ${rate}/s${megabytes}${current}`;
    this.out.writeSync(this.#encoder.encode(text));
    this.#drawn = true;
  }

  /** Clears the line so later output starts clean. */
  clear(): void {
    if (this.#drawn) this.out.writeSync(this.#encoder.encode("\r\x1b[2K"));
    this.#drawn = false;
  }
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}
