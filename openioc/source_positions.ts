/**
 * Turning offsets into the 1-based line and column people see in an editor.
 *
 * @module
 */
import type { SourcePosition } from "./model.ts";

/**
 * Maps offsets in a decoded text to lines and columns. Lines end at `\n`, `\r\n`
 * or a lone `\r`; columns count UTF-16 code units from 1.
 *
 * @example
 * ```ts
 * import { LineIndex } from "./source_positions.ts";
 * const index = new LineIndex("<a>\r\n  <b/>");
 * index.positionOf(7); // { line: 2, column: 3 }
 * ```
 */
export class LineIndex {
  readonly #lineStarts: number[] = [0];

  /** Indexes the line starts of `text` once; lookups are then logarithmic. */
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a) this.#lineStarts.push(i + 1);
      else if (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.#lineStarts.push(i + 1);
    }
  }

  /** The line and column of `offset` (clamped to the text). */
  positionOf(offset: number): SourcePosition {
    const starts = this.#lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: Math.max(0, offset - starts[low]!) + 1 };
  }
}

/**
 * The line and column of a byte offset in raw bytes that could not be decoded,
 * counting columns in bytes (the bytes are not valid text, so there are no characters).
 */
export function bytePositionOf(bytes: Uint8Array, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, bytes.length);
  for (let i = 0; i < end; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
