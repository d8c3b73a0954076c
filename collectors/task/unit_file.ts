/**
 * systemd unit files (`*.timer`, `*.service`) read as sections of
 * `Key=Value` settings: comments (`#`, `;`), line continuations (`\` at the
 * end of a line) and repeated keys kept in order. Nothing is expanded or run.
 *
 * @module
 */

/** A unit file: section name → its settings in file order. */
export type UnitFile = ReadonlyMap<string, readonly (readonly [string, string])[]>;

/** The longest logical line read (continuations joined). */
const maxLogicalLine = 64 * 1024;

/**
 * Parses a unit file.
 *
 * @example
 * ```ts
 * import { parseUnitFile, unitValues } from "./unit_file.ts";
 * const unit = parseUnitFile("[Timer]\nOnCalendar=daily\n");
 * unitValues(unit, "Timer", "OnCalendar"); // ["daily"]
 * ```
 */
export function parseUnitFile(text: string): UnitFile {
  const sections = new Map<string, [string, string][]>();
  let current: [string, string][] | undefined;
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (pending === "" && /^\s*[#;]/.test(line)) continue;
    if (line.endsWith("\\") && pending.length < maxLogicalLine) {
      pending += line.slice(0, -1) + " ";
      continue;
    }
    const logical = (pending + line).trim();
    pending = "";
    if (logical === "") continue;
    const section = /^\[([^\]]+)\]$/.exec(logical);
    if (section) {
      current = sections.get(section[1]!) ?? [];
      sections.set(section[1]!, current);
      continue;
    }
    const equals = logical.indexOf("=");
    if (current === undefined || equals <= 0) continue;
    current.push([logical.slice(0, equals).trim(), logical.slice(equals + 1).trim()]);
  }
  return sections;
}

/** Every value of `key` in `section`, in order; an empty value resets the list, as systemd does. */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  let values: string[] = [];
  for (const [name, value] of unit.get(section) ?? []) {
    if (name !== key) continue;
    if (value === "") values = [];
    else values.push(value);
  }
  return values;
}
