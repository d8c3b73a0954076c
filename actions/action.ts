/**
 * The response action contract: what a scan does about its detections once they are known
 * (docs/actions.md). An action is told the run's detections and reports every step it takes as
 * an {@linkcode ActionEvent}; the scan stores the events with the run and counts them in the
 * summary. Actions never read the task file: their descriptor (`scan/action_list.ts`) does, as
 * a collector's descriptor does for its collector.
 *
 * @example An action that only says what it would touch
 * ```ts
 * import type { ResponseAction } from "./action.ts";
 * const listOnly: ResponseAction = {
 *   name: "list-only",
 *   async respond(context) {
 *     for (const detection of context.detections) {
 *       for (const evidence of detection.evidence) {
 *         context.report({
 *           type: "action",
 *           action: "list-only",
 *           object: evidence.object,
 *           outcome: "what-if",
 *           detail: "would be listed",
 *           time: new Date().toISOString(),
 *         });
 *       }
 *     }
 *   },
 * };
 * ```
 *
 * @module
 */
import type { ActionEvent, DetectionEvent } from "../contracts/events.ts";

/** What an action is told when a scan's detections are known. */
export interface ActionContext {
  /** The stored run, when the scan has a results store. */
  readonly runId?: number;
  /** The run's detections, with their evidence. */
  readonly detections: readonly DetectionEvent[];
  /** `--what-if`: report what would happen, change nothing. */
  readonly whatIf: boolean;
  /** Aborted when the scan is interrupted: an action stops between objects, never inside one. */
  readonly signal: AbortSignal;
  /** Reports one step on one object (the scan stores it with the run). */
  report(event: ActionEvent): void;
}

/** One response action of a scan (`quarantine`, `isolate`, `critical-scan`). */
export interface ResponseAction {
  /** The action's name: `--action`, the task file's `actions`, events' `action`. */
  readonly name: string;
  /** Acts on the run's detections; reports each step; never throws for one object's failure. */
  respond(context: ActionContext): Promise<void>;
}
