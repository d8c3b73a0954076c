/**
 * The human form of `iocscan indicators`: a table of the loaded IOCs, the
 * rejected files, the search terms not evaluated by reason and the totals,
 * built from the same events `--json` writes. Every name, id, path and
 * message is escaped for the terminal.
 *
 * @module
 */
import type {
  IocEvent,
  NotEvaluatedEvent,
  RejectedEvent,
  SummaryEvent,
  WarningEvent,
} from "../contracts/events.ts";
import type { NotEvaluatedReason } from "../engine/mod.ts";
import { escapeTerminalText } from "./terminal_text.ts";
import { alignedRows, clip, type TableColumn } from "./text_table.ts";

/** One listed IOC: its event and the events of its items that are not evaluated. */
export interface ListedIocEvents {
  /** The `ioc` event (with `duplicate` for an identical copy). */
  event: IocEvent;
  /** Its items a scan does not evaluate, in document order. */
  notEvaluated: readonly NotEvaluatedEvent[];
}

/** What `iocscan indicators` lists. */
export interface IndicatorListing {
  /** The IOCs, in the order of the table. */
  iocs: readonly ListedIocEvents[];
  /** The files that could not be loaded. */
  rejected: readonly RejectedEvent[];
  /** The `summary` event. */
  summary: SummaryEvent;
}

/** Hex digits of the SHA-256 the table shows: enough to tell same-id IOCs apart. */
const shortHashChars = 12;
/** Width of the NAME column; longer names are clipped with `…`. */
const nameWidth = 48;

/** The reasons an item is not evaluated, in the order the table shows them, with their titles. */
const reasonTitles: Readonly<Record<NotEvaluatedReason, string>> = {
  "no-collector": "no collector",
  "not-produced": "term not produced",
  "unsupported-term": "unsupported term",
  "empty-content": "empty content",
  "invalid-value": "invalid value",
};
const reasonOrder = Object.keys(reasonTitles) as NotEvaluatedReason[];

/** The table's columns: title and whether the cells are right-aligned figures. */
const columns: readonly TableColumn[] = [
  { title: "IOC ID", numeric: false },
  { title: "SHA256", numeric: false },
  { title: "NAME", numeric: false },
  { title: "VER", numeric: false },
  { title: "ITEMS", numeric: true },
  { title: "EVALUABLE", numeric: true },
  { title: "CAN FIRE", numeric: false },
  { title: "WARN", numeric: true },
];

/**
 * The whole stdout text of `iocscan indicators` (without a final newline).
 *
 * @example
 * ```ts
 * import { formatIndicatorTable } from "./indicator_table.ts";
 * formatIndicatorTable({ iocs: [], rejected: [], summary: { type: "summary" } }).startsWith("IOC ID");
 * ```
 */
export function formatIndicatorTable(listing: IndicatorListing): string {
  const rows = listing.iocs.map(({ event }) => [
    escapeTerminalText(event.id) + (event.duplicate ? " (copy)" : ""),
    event.sha256.slice(0, shortHashChars),
    clip(event.name, nameWidth),
    escapeTerminalText(event.version),
    String(event.items),
    `${event.evaluable}/${event.items}`,
    event.canFire ? "yes" : "NO",
    String(event.warnings),
  ]);
  const out: string[] = alignedRows(columns, rows);
  if (listing.rejected.length > 0) {
    out.push("", "Rejected:");
    for (const rejected of listing.rejected) {
      out.push(escapeTerminalText(`  ${rejected.file}${place(rejected)}: ${rejected.error}`));
    }
  }
  out.push(...notEvaluatedTerms(listing.iocs));
  const { summary } = listing;
  const byVersion = (summary.byVersion ?? {}) as Record<string, number>;
  const notEvaluated = (summary.notEvaluated ?? {}) as Partial<Record<NotEvaluatedReason, number>>;
  out.push(
    "",
    `${summary.files} files: ${summary.documents} IOCs (1.0: ${byVersion["1.0"]}, 1.1: ${
      byVersion["1.1"]
    }, ` +
      `${summary.duplicates} identical copies), ${summary.rejected} rejected, ${summary.items} items ` +
      `(${summary.evaluable} evaluable), ${summary.warnings} warnings`,
    `Not evaluated: ${
      reasonOrder.map((reason) => `${reasonTitles[reason]} ${notEvaluated[reason] ?? 0}`).join(", ")
    }; ${summary.cannotFire} IOC(s) cannot fire`,
  );
  return out.join("\n");
}

/**
 * The stderr lines about loader warnings: every warning when `listAll`, else
 * one line counting them by code (none when there are none).
 */
export function formatLoadWarnings(warnings: readonly WarningEvent[], listAll: boolean): string[] {
  if (listAll) {
    return warnings.map((warning) =>
      escapeTerminalText(
        `warning ${warning.code}: ${warning.file}${place(warning)}: ${warning.message}`,
      )
    );
  }
  if (warnings.length === 0) return [];
  const byCode = new Map<string, number>();
  for (const warning of warnings) byCode.set(warning.code, (byCode.get(warning.code) ?? 0) + 1);
  const counts = [...byCode].map(([code, count]) => `${code} ×${count}`).join(", ");
  return [
    escapeTerminalText(`warnings: ${counts} (--warnings lists them, --json gives them as events)`),
  ];
}

/** Per reason, the search terms of the items not evaluated, by number of IOCs using them. */
function notEvaluatedTerms(iocs: readonly ListedIocEvents[]): string[] {
  const terms = new Map<string, Map<string, { search: string; iocs: Set<ListedIocEvents> }>>();
  for (const entry of iocs) {
    for (const item of entry.notEvaluated) {
      let byTerm = terms.get(item.reason);
      if (byTerm === undefined) terms.set(item.reason, byTerm = new Map());
      const search = item.search.trim() === "" ? "(no search term)" : item.search;
      let term = byTerm.get(search.toLowerCase());
      if (term === undefined) byTerm.set(search.toLowerCase(), term = { search, iocs: new Set() });
      term.iocs.add(entry);
    }
  }
  const out: string[] = [];
  for (const reason of reasonOrder) {
    const byTerm = terms.get(reason);
    if (byTerm === undefined) continue;
    out.push(
      "",
      `Not evaluated, ${reasonTitles[reason]} (search terms, by number of IOCs using them):`,
    );
    const sorted = [...byTerm.values()].sort((a, b) =>
      b.iocs.size - a.iocs.size || (a.search < b.search ? -1 : 1)
    );
    for (const { search, iocs } of sorted) {
      out.push(`  ${String(iocs.size).padStart(4)}  ${escapeTerminalText(search)}`);
    }
  }
  return out;
}

function place(at: { line?: number; column?: number }): string {
  return at.line === undefined ? "" : `:${at.line}:${at.column ?? 1}`;
}
