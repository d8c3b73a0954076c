/**
 * Text from IOC files, evidence, stores and task definitions made safe to
 * show on a terminal. File, key, IOC and event names are chosen by whoever
 * wrote them: an escape sequence among them recolours the output or moves the
 * cursor, a carriage return or newline forges a line of evidence, and a bidi
 * override (U+202E) shows `exe.txt` as `txt.exe`. Every human output of the CLI
 * passes such text through {@linkcode escapeTerminalText}; NDJSON output does
 * not (JSON escapes control characters itself and stays exact).
 *
 * @module
 */

/**
 * The characters escaped: C0 controls (newline and tab included), DEL, C1
 * controls, the Arabic letter mark, the left-to-right and right-to-left marks,
 * the line and paragraph separators, the bidi embeddings and overrides
 * (U+202A–U+202E) and the bidi isolates (U+2066–U+2069).
 */
const TERMINAL_UNSAFE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

/**
 * Spells every terminal-unsafe character of `text` visibly: ASCII controls
 * as `\xHH`, the others as `\u{HHHH}`. Everything else, backslashes included,
 * stays as it is (human output is for reading; NDJSON is the exact form).
 *
 * @example
 * ```ts
 * import { escapeTerminalText } from "./terminal_text.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(escapeTerminalText("a\x1b[31mb\nc\u202e"), "a\\x1b[31mb\\x0ac\\u{202e}");
 * ```
 */
export function escapeTerminalText(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (character) => {
    const code = character.codePointAt(0)!;
    return code < 0x80
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u{${code.toString(16).padStart(4, "0")}}`;
  });
}

/**
 * Escapes each line of composed, multi-line `text` (see
 * {@linkcode escapeTerminalText}), keeping its newlines: a last guard where
 * values were already escaped one by one, so that a newline inside a value
 * cannot survive to this point.
 */
export function escapeTerminalLines(text: string): string {
  return text.split("\n").map(escapeTerminalText).join("\n");
}
