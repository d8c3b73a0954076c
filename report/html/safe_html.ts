/**
 * Markup built so that no value can become markup: the {@linkcode markup} tag (not named `html`,
 * which `deno fmt` would reformat as HTML) escapes every
 * interpolated value through {@linkcode escapeHtml} unless it is itself {@linkcode SafeHtml}
 * built by the tag. Arrays are joined, each element treated the same way.
 *
 * @module
 */
import { escapeHtml } from "./escape_html.ts";

/** Markup made by {@linkcode markup}: the only values inserted unescaped. */
export class SafeHtml {
  /** The markup. */
  readonly markup: string;
  /** Wraps markup; only {@linkcode markup} and constants of this folder call it. */
  constructor(markup: string) {
    this.markup = markup;
  }
  /** The markup. */
  toString(): string {
    return this.markup;
  }
}

function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(piece).join("");
  return escapeHtml(value);
}

/**
 * A template tag for markup: `markup\`<td>${name}</td>\`` escapes `name`.
 *
 * @example
 * ```ts
 * import { markup } from "./safe_html.ts";
 * markup`<b>${"<i>"}</b>`.markup; // "<b>&lt;i&gt;</b>"
 * ```
 */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, index) => {
    markup += piece(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(markup);
}
