/**
 * The action descriptor: one per response action (docs/actions.md), shaped like a collector's
 * descriptor (scan/collector_descriptor.ts). It declares the action's name (`--action`, the task
 * file's `actions`, `-Action`), the task options it reads (from which the task file's keys,
 * `scan`'s flags and the PowerShell parameters are built) and `build()`, which makes the
 * {@linkcode ResponseAction} for one scan or says why it cannot act here. The actions themselves
 * never read the task: only their descriptor does.
 *
 * @example An action that only lists what the detections name
 * ```ts
 * import type { ActionDescriptor } from "./action_descriptor.ts";
 * const listOnly: ActionDescriptor = {
 *   name: "list-only",
 *   help: "list the objects of detections",
 *   options: [],
 *   build: () => Promise.resolve({
 *     action: { name: "list-only", respond: () => Promise.resolve() },
 *   }),
 * };
 * ```
 *
 * @module
 */
import type { ResponseAction } from "../actions/action.ts";
import type { WarningEvent } from "../contracts/events.ts";
import type { ResultStore } from "../store/mod.ts";
import type { TaskOption } from "./collector_descriptor.ts";
import type { ScanTask } from "./scan_task.ts";

/** What a scan tells an action's descriptor besides the task. */
export interface ActionBuildContext {
  /**
   * Paths no action may touch: the results database (and its `-wal`, `-shm`, `-journal`), the IOC
   * files and the task file. An action adds its own (the quarantine store).
   */
  readonly protectedPaths: readonly string[];
  /** Whether the scan read offline evidence (then nothing it names is this machine's to change). */
  readonly offline: boolean;
  /** `Deno.build.os` of the machine the scan runs on. */
  readonly platform: string;
  /** Reads an environment variable (`IOCSCAN_QUARANTINE_DIR`…). */
  env(name: string): string | undefined;
  /** Reports a warning of the run (the store still over its limit after retention…). */
  warning(warning: WarningEvent): void;
  /**
   * The scan's results store, open (the isolation keeps its state and audit there), with its
   * location as stored (never a password; a `postgres://` URL's host is allowed by the
   * isolation) and whether the task named it (`databasePath`, else this machine's default).
   * Absent when the scan runs without a store (`noStore`).
   */
  readonly results?: {
    readonly store: ResultStore;
    readonly location: string;
    readonly named: boolean;
  };
}

/** What `build()` gives: the action, or why it cannot run here (a usage error, exit code 2). */
export type ActionBuildOutcome =
  | { readonly action: ResponseAction }
  | { readonly unusable: string };

/** Everything the scan, the task file and the front ends know of one response action. */
export interface ActionDescriptor {
  /** The action's name: `--action`, the task file's `actions`, `-Action`, events' `action`. */
  readonly name: string;
  /** One line of help (`scan --help`, docs). */
  readonly help: string;
  /** The task options it reads, in help order. */
  readonly options: readonly TaskOption[];
  /**
   * What is wrong with the task's values of this action's options (a usage error, exit code 2,
   * before anything runs), for options whose kind alone does not check them (`--isolation-allow`).
   */
  check?(task: ScanTask): string | undefined;
  /**
   * Collectors the scan also runs when this action is selected, in addition to what the IOCs
   * select and to `types` (the critical-areas sweep of `critical-scan`).
   */
  readonly alsoCollect?: readonly string[];
  /** Makes the action for one scan; its modules load here, only when it is selected. */
  build(task: ScanTask, context: ActionBuildContext): Promise<ActionBuildOutcome>;
}
