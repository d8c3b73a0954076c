/**
 * The human form of response actions' events (docs/actions.md): one line per step, as `scan`
 * shows them after its detections and `results --run` after a run's. Every path, reason and
 * detail is escaped for the terminal.
 *
 * @module
 */
import type { ActionEvent } from "../contracts/events.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";
import { alignedRows, type TableColumn } from "./text_table.ts";

/** The columns of the action table. */
const actionColumns: readonly TableColumn[] = ["ACTION", "OUTCOME", "REASON", "OBJECT", "ENTRY"]
  .map((title) => ({ title, numeric: false }));

/**
 * The action events as a table with a count by outcome, then each event's detail when it has one.
 *
 * @example
 * ```ts
 * import { formatActionEvents } from "./action_lines.ts";
 * const text = formatActionEvents([{
 *   type: "action", action: "quarantine", object: "/tmp/x", outcome: "quarantined",
 *   entry: "q1", time: "2026-12-07T00:00:00Z",
 * }]);
 * // text.startsWith("Actions: 1 (quarantined 1)") === true
 * ```
 */
export function formatActionEvents(events: readonly ActionEvent[]): string {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.outcome, (counts.get(event.outcome) ?? 0) + 1);
  const tally = [...counts].map(([outcome, count]) => `${outcome} ${count}`).join(", ");
  const rows = events.map((event) => [
    safe(event.action),
    safe(event.outcome),
    safe(event.reason ?? "-"),
    safe(event.object),
    safe(event.entry ?? "-"),
  ]);
  const details = events.flatMap((event) =>
    event.detail === undefined ? [] : [`  ${safe(event.object)}: ${safe(event.detail)}`]
  );
  return [
    `Actions: ${events.length} (${tally})`,
    ...alignedRows(actionColumns, rows),
    ...(details.length > 0 ? ["", "Details:", ...details] : []),
    "",
  ].join("\n");
}
