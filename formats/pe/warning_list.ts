/**
 * A capped list of parser warnings: a hostile file can produce thousands of
 * problems, and the caller needs the first few plus a count.
 *
 * @module
 */

/** Collects warnings up to a limit and counts the rest. */
export class WarningList {
  readonly #limit: number;
  readonly #items: string[] = [];
  #dropped = 0;

  /** Keeps at most `limit` warnings. */
  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Adds a warning (dropped, but counted, past the limit). */
  add(message: string): void {
    if (this.#items.length < this.#limit) this.#items.push(message);
    else this.#dropped++;
  }

  /** The warnings, with a closing note when some were dropped. */
  toArray(): string[] {
    return this.#dropped === 0
      ? [...this.#items]
      : [...this.#items, `${this.#dropped} more warnings not shown`];
  }
}
