/**
 * The response actions a scan can run (docs/actions.md): one descriptor each, in the order they
 * run. Everything that names actions reads this list: `--action` and its flags, the task file's
 * `actions` and option keys, and (through the generated `powershell/IocScan/Data/Actions.psd1`)
 * the module's `-Action` values and parameters.
 *
 * Adding an action: its folder under actions/, a descriptor under scan/actions/, and one entry
 * below.
 *
 * @module
 */
import type { ActionDescriptor } from "./action_descriptor.ts";
import type { TaskOption } from "./collector_descriptor.ts";
import type { ScanTask } from "./scan_task.ts";
import { criticalScanActionDescriptor } from "./actions/critical_scan.ts";
import { isolateActionDescriptor } from "./actions/isolate.ts";
import { quarantineActionDescriptor } from "./actions/quarantine.ts";

/**
 * The actions, in the order a scan runs them: `critical-scan` first (its sweep runs with the
 * scan's collectors, so its detections are there for the others), then `quarantine` (the copy is
 * taken while the host is still on the network, and before anything else changes), then
 * `isolate`.
 */
export const actionDescriptors: readonly ActionDescriptor[] = [
  criticalScanActionDescriptor,
  quarantineActionDescriptor,
  isolateActionDescriptor,
];

/** The names of every action, in run order. */
export const scanActions: readonly string[] = actionDescriptors.map((action) => action.name);

/** The options every action reads (the action context's `whatIf`), declared once. */
export const sharedActionOptions: readonly TaskOption[] = [
  {
    key: "whatIf",
    kind: "flag",
    flag: "--what-if",
    help: "say what the actions would do (action events with outcome what-if), change nothing",
  },
];

/** Every task option of the actions: the shared ones, then each action's. */
export const actionOptions: readonly TaskOption[] = [
  ...sharedActionOptions,
  ...actionDescriptors.flatMap((action) => action.options),
];

/** The descriptor of an action, by name (any case). */
export function actionDescriptor(name: string): ActionDescriptor | undefined {
  const lower = name.trim().toLowerCase();
  return actionDescriptors.find((action) => action.name === lower);
}

/** The collectors the selected actions also run (`alsoCollect`), each once. */
export function alsoCollected(actions: readonly string[]): string[] {
  const names = new Set(actions.map((name) => actionDescriptor(name)?.name));
  return [
    ...new Set(
      actionDescriptors.filter((action) => names.has(action.name))
        .flatMap((action) => action.alsoCollect ?? []),
    ),
  ];
}

/** The problems of the selected actions' option values (`check`), each naming its flag. */
export function actionOptionProblems(task: ScanTask): string[] {
  const names = new Set((task.actions ?? []).map((name) => actionDescriptor(name)?.name));
  return actionDescriptors.filter((action) => names.has(action.name))
    .map((action) => action.check?.(task))
    .filter((problem): problem is string => problem !== undefined);
}

/** The names among `names` that are no action, as written. */
export function unknownActions(names: readonly string[]): string[] {
  return names.filter((name) => actionDescriptor(name) === undefined);
}
