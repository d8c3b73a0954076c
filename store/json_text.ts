/**
 * JSON text for the store's JSON columns (options, counts, evidence, warning
 * details), written the way the NDJSON event stream writes the same values.
 *
 * @module
 */

/**
 * Serialises `value` to JSON: bigints as numbers when they are safe integers
 * and as decimal strings otherwise, byte arrays as lower-case hex, and circular
 * references as the string `"[circular]"`, so that whatever a collector
 * observed can be stored.
 *
 * @param value Any value.
 * @returns JSON text (`null` for `undefined`).
 *
 * @example
 * ```ts
 * import { toJsonText } from "./json_text.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(toJsonText({ size: 5n, bytes: new Uint8Array([1, 255]) }), '{"size":5,"bytes":"01ff"}');
 * ```
 */
export function toJsonText(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, function (_key, item: unknown) {
    if (typeof item === "bigint") {
      return item <= BigInt(Number.MAX_SAFE_INTEGER) && item >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(item)
        : item.toString();
    }
    if (item instanceof Uint8Array) {
      return Array.from(item, (byte) => byte.toString(16).padStart(2, "0")).join("");
    }
    if (item !== null && typeof item === "object") {
      if (seen.has(item)) return "[circular]";
      seen.add(item);
    }
    return item;
  }) ?? "null";
}

/**
 * Parses a JSON column; text that is not JSON (a damaged row) comes back as
 * the text itself rather than throwing, so one bad row cannot hide a run.
 */
export function fromJsonText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
