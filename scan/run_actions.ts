/**
 * Running a scan's response actions once its detections are known (docs/actions.md): each
 * selected action in the order of scan/action_list.ts, every `action` event stamped with the run,
 * handed to the sink and kept for the store, a `failed` one also reported as a warning so that an
 * unattended run shows it.
 *
 * @module
 */
import type { ActionEvent, DetectionEvent, WarningEvent } from "../contracts/events.ts";
import type { ActionBuildContext } from "./action_descriptor.ts";
import { actionDescriptor, actionDescriptors } from "./action_list.ts";
import type { ScanTask } from "./scan_task.ts";

/** What the actions of one scan are told. */
export interface RunActionsInput {
  readonly task: ScanTask;
  readonly detections: readonly DetectionEvent[];
  readonly runId?: number;
  readonly signal: AbortSignal;
  readonly protectedPaths: readonly string[];
  readonly offline: boolean;
  readonly platform?: string;
  readonly env?: (name: string) => string | undefined;
  /** The scan's results store, open, with its location (absent with `noStore`). */
  readonly results?: ActionBuildContext["results"];
  /** Each action event, as it happens. */
  event(event: ActionEvent): void;
  /** Each warning of the actions. */
  warning(warning: WarningEvent): void;
}

/** The names of the task's actions, in run order (the list's), each once. */
export function selectedActions(task: ScanTask): string[] {
  const named = new Set((task.actions ?? []).map((name) => actionDescriptor(name)?.name));
  return actionDescriptors.filter((action) => named.has(action.name)).map((action) => action.name);
}

/**
 * Runs the task's actions on the detections and returns every action event they reported.
 * An action that cannot be built here, or that throws, becomes an `action-failed` warning; the
 * next action still runs.
 */
export async function runActions(input: RunActionsInput): Promise<ActionEvent[]> {
  const events: ActionEvent[] = [];
  const context: ActionBuildContext = {
    protectedPaths: input.protectedPaths,
    offline: input.offline,
    platform: input.platform ?? Deno.build.os,
    env: input.env ?? ((name) => Deno.env.get(name)),
    warning: (warning) => input.warning(warning),
    ...(input.results === undefined ? {} : { results: input.results }),
  };
  for (const name of selectedActions(input.task)) {
    if (input.signal.aborted) {
      input.warning({
        type: "warning",
        code: "actions-not-run",
        message: `action ${name} did not run: the scan was interrupted`,
      });
      continue;
    }
    const descriptor = actionDescriptor(name)!;
    try {
      const built = await descriptor.build(input.task, context);
      if ("unusable" in built) {
        input.warning({
          type: "warning",
          code: "action-failed",
          message: `action ${name} cannot run here: ${built.unusable}`,
        });
        continue;
      }
      await built.action.respond({
        ...(input.runId === undefined ? {} : { runId: input.runId }),
        detections: input.detections,
        whatIf: input.task.whatIf === true,
        signal: input.signal,
        report(reported) {
          const event: ActionEvent = input.runId === undefined
            ? { ...reported }
            : { ...reported, runId: input.runId };
          events.push(event);
          input.event(event);
          if (event.outcome === "failed") {
            input.warning({
              type: "warning",
              code: "action-failed",
              message: `${event.action} failed on ${event.object}: ${event.reason ?? "failed"}${
                event.detail ? ` (${event.detail})` : ""
              }`,
            });
          }
        },
      });
    } catch (error) {
      input.warning({
        type: "warning",
        code: "action-failed",
        message: `action ${name} stopped: ${error instanceof Error ? error.message : error}`,
      });
    }
  }
  return events;
}

/** The action events counted by outcome (`{ quarantined: 3, refused: 1 }`), for the summary. */
export function countActionOutcomes(events: readonly ActionEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.outcome] = (counts[event.outcome] ?? 0) + 1;
  return counts;
}
