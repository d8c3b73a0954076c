/**
 * Building blocks of the human tables: aligned columns and names clipped to
 * one line. Cells are escaped for the terminal by whoever builds them (or by
 * {@linkcode clip}).
 *
 * @module
 */
import { escapeTerminalText } from "./terminal_text.ts";

/** A column of an aligned table: its title and whether its cells are right-aligned figures. */
export interface TableColumn {
  title: string;
  numeric: boolean;
}

/**
 * A header and rows in aligned columns, two spaces apart, figures
 * right-aligned, trailing blanks trimmed. The cells are already escaped.
 *
 * @example
 * ```ts
 * import { alignedRows } from "./text_table.ts";
 * alignedRows([{ title: "ID", numeric: false }, { title: "N", numeric: true }], [["a", "10"]]);
 * // ["ID   N", "a   10"]
 * ```
 */
export function alignedRows(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = columns.map(({ title }, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length))
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) =>
      columns[column]!.numeric ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)
    ).join("  ").trimEnd();
  return [line(columns.map(({ title }) => title)), ...rows.map(line)];
}

/**
 * `text` on one line (runs of white space as one space), escaped for the
 * terminal, clipped to `width` characters with `…`.
 */
export function clip(text: string, width: number): string {
  const oneLine = escapeTerminalText(text.replace(/\s+/g, " "));
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}

/** `1 run`, `2 runs`. */
export function plural(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? "" : "s"}`;
}
