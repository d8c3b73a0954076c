/**
 * A memory search's result as a process object's `StringList` field, its
 * `unevaluated` entry when a pattern not found is not known to be absent,
 * and the skip record of a process whose memory could not be read.
 *
 * @module
 */
import type { ObservedFields, Unevaluated } from "../../../contracts/observed_item.ts";
import type { SkippedObject } from "../../collector.ts";
import type { MemorySearchResult } from "./memory_search.ts";

/** What a search result puts on a process object. */
export interface StringListOutcome {
  /** `{ StringList: { string: [...] } }`: the strings found (possibly none). */
  readonly fields: ObservedFields;
  /** `{ StringList: why }` when the search was incomplete, else undefined. */
  readonly unevaluated?: Unevaluated;
  /** The skip record when the memory could not be read at all, else undefined. */
  readonly skipped?: SkippedObject;
}

/**
 * Turns a search result into the process object's `StringList` and, when
 * the search was cut, could not read everything, or some item could not be
 * searched for (`unanswerable` items, see string_list_patterns.ts), an
 * `unevaluated` entry saying why. An unreadable process gives no field, a
 * `StringList` that is unevaluated, and a skip naming the process.
 *
 * @param object How the process is named in a skip (`pid 4242 powershell.exe`).
 */
export function stringListField(
  result: MemorySearchResult,
  options: { collector: string; object: string; unanswerable?: number },
): StringListOutcome {
  if (!result.ok) {
    const why = `memory not read: ${result.error.message}`;
    return {
      fields: {},
      unevaluated: { StringList: why },
      skipped: {
        collector: options.collector,
        object: `${options.object} (memory)`,
        reason: result.error.reason,
        detail: result.error.message,
      },
    };
  }
  const fields: ObservedFields = { StringList: { string: [...result.strings] } };
  const gaps: string[] = [];
  if (result.truncatedBy !== undefined) {
    gaps.push(
      `the memory search stopped at its ${result.truncatedBy} limit after ${result.bytesRead} bytes and ${result.elapsedMs} ms`,
    );
  }
  if (result.regionsTruncated !== undefined) {
    gaps.push(`the region list was cut: ${result.regionsTruncated}`);
  }
  if (result.regionsSkipped > 0) {
    gaps.push(
      `${result.regionsSkipped} readable regions (${result.bytesSkipped} bytes) could not be read`,
    );
  }
  if ((options.unanswerable ?? 0) > 0) {
    gaps.push(
      `${options.unanswerable} StringList items have a condition a memory search cannot answer`,
    );
  }
  return gaps.length === 0 ? { fields } : { fields, unevaluated: { StringList: gaps.join("; ") } };
}
