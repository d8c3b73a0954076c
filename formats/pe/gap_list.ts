/**
 * The parts of an image whose facts the parser lost, and why: every table
 * reader that stops at a limit or at damage adds the `PEInfo` field paths it
 * could not fill, so that a scan treats them as unknown, not absent. Like the
 * warnings, the list is capped (a hostile file can lose thousands of names),
 * but no field path is ever dropped: past the limit, the paths of further
 * gaps gather in one closing gap per code.
 *
 * @module
 */
import type { PeGap, PeGapCode } from "./pe_info.ts";

/** Collects {@linkcode PeGap}s up to a limit; the fields of later ones are merged, never lost. */
export class GapList {
  readonly #limit: number;
  readonly #items: PeGap[] = [];
  readonly #overflow = new Map<PeGapCode, { count: number; fields: Set<string> }>();

  /** Keeps at most `limit` gaps with their own message. */
  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Adds a gap: `fields` are paths below `PEInfo` left unknown for that reason. */
  add(code: PeGapCode, message: string, fields: readonly string[]): void {
    if (this.#items.length < this.#limit) {
      this.#items.push({ code, message, fields });
      return;
    }
    const overflow = this.#overflow.get(code) ?? { count: 0, fields: new Set<string>() };
    overflow.count++;
    for (const field of fields) overflow.fields.add(field);
    this.#overflow.set(code, overflow);
  }

  /** The gaps, then one per code gathering the fields of those past the limit. */
  toArray(): PeGap[] {
    return [
      ...this.#items,
      ...[...this.#overflow].map(([code, { count, fields }]) => ({
        code,
        message: `${count} more ${code} gaps not shown`,
        fields: [...fields],
      })),
    ];
  }
}
