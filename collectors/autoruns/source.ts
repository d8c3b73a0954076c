/**
 * The small interface between the autoruns collector and where its entries
 * come from (the registry places, the Startup folders, the Linux files, WMI,
 * and the entry lists of the service, driver and task collectors), so that
 * the collector logic is tested on recorded data.
 *
 * @module
 */
import type { SkipReason } from "../../contracts/skip_reason.ts";
import type { AutorunEntry } from "./autorun_entry.ts";

/** A problem a source worked around. */
export interface AutorunWarning {
  code: string;
  message: string;
  file?: string;
  place?: string;
}

/** Something a source could not read, and why. */
export interface AutorunSkip {
  object: string;
  reason: SkipReason;
  detail: string;
  /** Set when the source could not be read at all: the AutorunItem document is then unread. */
  whole?: boolean;
}

/** What one source read. */
export interface AutorunRead {
  entries: AutorunEntry[];
  warnings: AutorunWarning[];
  skips: AutorunSkip[];
}

/** One source of autostart entries. */
export interface AutorunSource {
  /** A short name for statistics and skips (`registry`, `startup-folders`, `linux-files`…). */
  readonly name: string;
  read(signal?: AbortSignal): Promise<AutorunRead>;
}

/** An empty read, to fill. */
export function emptyRead(): AutorunRead {
  return { entries: [], warnings: [], skips: [] };
}
