/**
 * Text as both databases can keep it.
 *
 * @module
 */

/**
 * Makes `text` storable in a text column of SQLite and PostgreSQL alike: NUL
 * characters become U+2400 (␀), because SQLite cuts the text short at a NUL
 * when reading it back and PostgreSQL refuses it outright. (Lone UTF-16
 * surrogates, from odd file names, are turned into U+FFFD by both drivers.)
 * JSON columns need nothing: JSON escapes NUL as `\u0000`.
 *
 * @example
 * ```ts
 * import { storableText } from "./storable_text.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(storableText("a\u0000b"), "a\u2400b");
 * ```
 */
export function storableText(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\u2400") : text;
}

/** {@linkcode storableText} for optional values. */
export function storableOptionalText(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : storableText(text);
}
