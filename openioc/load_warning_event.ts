/**
 * Loader warnings as `warning` events of the NDJSON stream.
 *
 * @module
 */
import type { WarningEvent } from "../contracts/events.ts";
import type { LoadWarning } from "./model.ts";

/**
 * The `{"type":"warning"}` event for a loader warning; fields the warning
 * does not carry are left out rather than written as null.
 *
 * @example
 * ```ts
 * import { loadWarningEvent } from "./load_warning_event.ts";
 * const event = loadWarningEvent({ file: "a.ioc", code: "empty-content", message: "…", line: 3 });
 * // event: { type: "warning", code: "empty-content", message: "…", file: "a.ioc", line: 3 }
 * ```
 */
export function loadWarningEvent(warning: LoadWarning): WarningEvent {
  const event: WarningEvent = {
    type: "warning",
    code: warning.code,
    message: warning.message,
    file: warning.file,
  };
  if (warning.line !== undefined) event.line = warning.line;
  if (warning.column !== undefined) event.column = warning.column;
  if (warning.iocId !== undefined) event.iocId = warning.iocId;
  if (warning.itemId !== undefined) event.itemId = warning.itemId;
  return event;
}
