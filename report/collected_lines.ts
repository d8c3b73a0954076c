/**
 * The human lines of `iocscan collect <source>`: one line per collected
 * object on stdout, the skipped inputs and warnings on stderr, and a closing
 * line of figures. Everything from evidence (paths, keys, values, messages)
 * is escaped for the terminal.
 *
 * @module
 */
import type { CollectorWarning, SkippedObject } from "../collectors/collector.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { escapeTerminalText } from "./terminal_text.ts";

/** The fields an HX event object's line shows, the first one present. */
const eventObjectPathFields = ["processPath", "fullPath", "path", "hostname", "remoteIP"] as const;

/**
 * The line of one event-log object: an EventLogItem as `time key EID n
 * source`, an HX event object (processEvent…) indented under it with its path.
 */
export function formatEventLogLine(item: ObservedItem): string {
  const f = item.fields;
  if (item.document === "EventLogItem") {
    return escapeTerminalText(
      `${f.genTime ?? ""} ${item.key} EID ${f.EID ?? ""} ${f.source ?? ""}`,
    );
  }
  const field = eventObjectPathFields.find((name) => f[name] !== undefined && f[name] !== null);
  return escapeTerminalText(`  ${item.document} ${String(field === undefined ? "" : f[field])}`);
}

/** The line of one RegistryItem: `Path = Text (Type)`, or the key path of a value-less key. */
export function formatRegistryLine(item: ObservedItem): string {
  const f = item.fields;
  const text = Array.isArray(f.Text) ? f.Text.join(" | ") : String(f.Text);
  return escapeTerminalText(f.Type === undefined ? item.key : `${item.key} = ${text} (${f.Type})`);
}

/** The stderr line of an input not read: `skipped OBJECT: reason (detail)`. */
export function formatSkippedLine(entry: SkippedObject): string {
  return escapeTerminalText(
    `skipped ${entry.object}: ${entry.reason}${entry.detail ? ` (${entry.detail})` : ""}`,
  );
}

/**
 * The stderr line of a collector warning: `warning code: message`, with
 * `[file place]` after it when `withPlace` and the warning names a file.
 */
export function formatCollectorWarningLine(entry: CollectorWarning, withPlace: boolean): string {
  const place = withPlace && entry.file
    ? ` [${entry.file}${entry.place ? ` ${entry.place}` : ""}]`
    : "";
  return escapeTerminalText(`warning ${entry.code}: ${entry.message}${place}`);
}

/** The closing line of `collect eventlog`. */
export function formatEventLogFigures(
  stats: { records: number; files: number; warnings: number; outsideWindow: number },
): string {
  return `${stats.records} records from ${stats.files} file(s), ${stats.warnings} warning(s)` +
    (stats.outsideWindow > 0 ? `, ${stats.outsideWindow} outside the time window` : "");
}

/** The closing line of `collect registry`. */
export function formatRegistryFigures(
  stats: {
    hives: number;
    keys: number;
    values: number;
    items: number;
    recovered: boolean;
    warnings: number;
  },
): string {
  return `${stats.hives} hive(s): ${stats.keys} keys, ${stats.values} values, ${stats.items} items` +
    `${stats.recovered ? ", recovered from logs" : ""}, ${stats.warnings} warning(s)`;
}
