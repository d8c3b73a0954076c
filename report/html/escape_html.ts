/**
 * The one escaper of the HTML report: every value that reaches the page goes through
 * {@linkcode escapeHtml}. IOC names, file names, event fields and registry values are
 * attacker-controlled; escaped, they are text, never markup.
 *
 * @module
 */
import { escapeTerminalText } from "../terminal_text.ts";

const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * `value` as HTML text, safe in element content and in quoted attribute values: control and bidi
 * characters spelt out as in the terminal (`\x1b`, `\u{202e}`), then `& < > " '` as entities.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./escape_html.ts";
 * escapeHtml("<script>"); // "&lt;script&gt;"
 * ```
 */
export function escapeHtml(value: unknown): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : String(value);
  return escapeTerminalText(text).replace(/[&<>"']/g, (character) => entities[character]!);
}
