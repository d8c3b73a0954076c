/**
 * The quarantine action's descriptor (docs/actions.md): its task options, where its store is
 * (`--quarantine-dir`, else `IOCSCAN_QUARANTINE_DIR`, else the OS's default), and the action a
 * scan runs: the store's own (actions/quarantine/), refusing everything of a scan of offline
 * evidence, then the store's retention, whose evictions are action events too.
 *
 * @module
 */
import { resolve } from "node:path";
import type { ActionContext, ResponseAction } from "../../actions/action.ts";
import type { ActionEvent } from "../../contracts/events.ts";
import type { QuarantineEntry, QuarantineStore } from "../../actions/quarantine/contract.ts";
import {
  defaultMaxActions,
  defaultMaxFileBytes,
} from "../../actions/quarantine/quarantine_defaults.ts";
import { defaultQuarantineDir, QUARANTINE_DIR_ENV } from "../../actions/quarantine/store_folder.ts";
import { TEST_ABORT_AFTER_STEP_ENV } from "../../actions/quarantine/quarantine_steps.ts";
import type { ActionBuildContext, ActionDescriptor } from "../action_descriptor.ts";
import type { ScanTask } from "../scan_task.ts";

/**
 * The quarantine store's folder: the one given (flag or task file), else `IOCSCAN_QUARANTINE_DIR`,
 * else the OS's default; absolute.
 */
export function quarantineDirOf(
  given: string | undefined,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): string {
  return resolve(given ?? defaultQuarantineDir(env));
}

/** `IOCSCAN_TEST_ABORT_AFTER_STEP` as a step number, when set. */
export function faultAfterStepOf(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): number | undefined {
  const text = nonEmpty(env(TEST_ABORT_AFTER_STEP_ENV));
  const step = text === undefined ? NaN : Number(text);
  return Number.isSafeInteger(step) && step > 0 ? step : undefined;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text;
}

/** The quarantine: a neutered, restorable copy of each detected file, then the file deleted. */
export const quarantineActionDescriptor: ActionDescriptor = {
  name: "quarantine",
  help: "move a neutered, restorable copy of each detected file into the quarantine store and " +
    "delete the file",
  options: [
    {
      key: "quarantineDir",
      kind: "string",
      flag: "--quarantine-dir",
      value: "dir",
      help: `the quarantine store (default: ${QUARANTINE_DIR_ENV}, else the OS's)`,
      powerShellParameter: "QuarantinePath",
    },
    {
      key: "maxActions",
      kind: "count",
      flag: "--max-actions",
      value: "n",
      help: `act on at most this many objects per run (default ${defaultMaxActions})`,
    },
    {
      key: "maxQuarantineFileSize",
      kind: "size",
      flag: "--max-quarantine-size",
      value: "size",
      help: `refuse to quarantine files larger than this (default ${defaultMaxFileBytes} bytes)`,
      powerShellParameter: "MaxQuarantineSize",
    },
    {
      key: "force",
      kind: "flag",
      flag: "--force",
      help: "quarantine system-critical files too",
      powerShellParameter: "ForceAction",
    },
    {
      key: "terminate",
      kind: "flag",
      flag: "--terminate",
      help: "stop the processes running a detected image before deleting it",
    },
  ],
  async build(task, context) {
    const dir = quarantineDirOf(task.quarantineDir, context.env);
    const quarantine = await import("../../actions/quarantine/mod.ts");
    if (context.offline) return { action: offlineRefusal(quarantine.quarantineTargets) };
    const faultAfterStep = faultAfterStepOf(context.env);
    const inner = quarantine.createQuarantineAction({
      dir,
      maxActions: task.maxActions ?? defaultMaxActions,
      policy: {
        maxFileBytes: task.maxQuarantineFileSize ?? defaultMaxFileBytes,
        force: task.force === true,
        terminate: task.terminate === true,
        protectedPaths: context.protectedPaths,
      },
      ...(faultAfterStep === undefined ? {} : { storeOptions: { faultAfterStep } }),
    });
    return {
      action: withRetention(
        withRunningImageNote(inner, quarantine.quarantineTargets, task, context),
        dir,
        task,
        context,
      ),
    };
  },
};

/** A scan of offline evidence never changes the evidence: every target is refused. */
function offlineRefusal(
  targetsOf: (detections: ActionContext["detections"]) => {
    targets: readonly { path: string; iocs: readonly { id: string; sha256: string }[] }[];
    untouched: readonly { object: string; iocs: readonly { id: string; sha256: string }[] }[];
  },
): ResponseAction {
  return {
    name: "quarantine",
    respond(context) {
      const { targets, untouched } = targetsOf(context.detections);
      const objects = [
        ...untouched.map(({ object, iocs }) => ({ object, iocs })),
        ...targets.map(({ path, iocs }) => ({ object: path, iocs })),
      ];
      for (const target of objects) {
        context.report({
          type: "action",
          ...(context.runId === undefined ? {} : { runId: context.runId }),
          action: "quarantine",
          object: target.object,
          outcome: "refused",
          reason: "offline-evidence",
          detail: "a scan of offline evidence never changes the evidence",
          iocs: target.iocs.map(({ id, sha256 }) => ({ id, sha256 })),
          time: new Date().toISOString(),
        });
      }
      return Promise.resolve();
    },
  };
}

/**
 * On Linux a running image can be deleted: its processes keep running from the deleted file
 * until they exit. The event of a quarantined image of running processes says so (unless
 * `--terminate` stopped them).
 */
function withRunningImageNote(
  inner: ResponseAction,
  targetsOf: (detections: ActionContext["detections"]) => {
    targets: readonly { path: string; pids: readonly number[] }[];
  },
  task: ScanTask,
  build: ActionBuildContext,
): ResponseAction {
  if (build.platform !== "linux" || task.terminate === true) return inner;
  return {
    name: inner.name,
    async respond(context) {
      const pids = new Map(
        targetsOf(context.detections).targets.filter((target) => target.pids.length > 0)
          .map((target) => [target.path, target.pids]),
      );
      await inner.respond({
        ...context,
        report(event) {
          const running = pids.get(event.object);
          if (event.outcome !== "quarantined" || running === undefined) {
            return context.report(event);
          }
          const note = `the image of running process(es) ${running.join(", ")}: on Linux a ` +
            "running image can be deleted, and they keep running from the deleted file until " +
            "they exit (--terminate stops them)";
          context.report({ ...event, detail: event.detail ? `${event.detail}; ${note}` : note });
        },
      });
    },
  };
}

/**
 * Runs the store's action, then its retention (docs/actions.md, "Retention"): entries older than
 * the retention period, then the oldest, until the store is within its size limit, each eviction
 * an `evicted` action event; never a copy this run made; a warning when the store stays over.
 */
function withRetention(
  inner: ResponseAction,
  dir: string,
  _task: ScanTask,
  build: ActionBuildContext,
): ResponseAction {
  return {
    name: inner.name,
    async respond(context) {
      const made = new Set<string>();
      await inner.respond({
        ...context,
        report(event) {
          if (event.entry !== undefined) made.add(event.entry);
          context.report(event);
        },
      });
      if (context.whatIf || context.signal.aborted || made.size === 0) return;
      await applyRetention(dir, made, context, build);
    },
  };
}

async function applyRetention(
  dir: string,
  madeByThisRun: ReadonlySet<string>,
  context: ActionContext,
  build: ActionBuildContext,
): Promise<void> {
  const { openQuarantineStore, defaultRetentionDays, defaultRetentionBytes } = await import(
    "../../actions/quarantine/mod.ts"
  );
  const store: QuarantineStore = await openQuarantineStore({ dir });
  try {
    const now = Date.now();
    const kept = (await store.list())
      .filter((entry: QuarantineEntry) => entry.state !== "purged")
      .sort((a: QuarantineEntry, b: QuarantineEntry) =>
        a.quarantinedAt.localeCompare(b.quarantinedAt)
      );
    const cutoff = now - defaultRetentionDays * 86_400_000;
    let bytes = kept.reduce((sum, entry) => sum + entry.size, 0);
    for (const entry of kept) {
      if (madeByThisRun.has(entry.id)) continue;
      const old = Date.parse(entry.quarantinedAt) < cutoff;
      if (!old && bytes <= defaultRetentionBytes) continue;
      const { purged } = await store.purge({ id: entry.id });
      if (!purged.some((gone) => gone.id === entry.id)) continue;
      bytes -= entry.size;
      context.report(evictionEvent(entry, old ? "retention-age" : "retention-size", {
        days: defaultRetentionDays,
        bytes: defaultRetentionBytes,
      }));
    }
    if (bytes > defaultRetentionBytes) {
      build.warning({
        type: "warning",
        code: "quarantine-over-limit",
        message: `the quarantine store ${dir} holds ${bytes} bytes, more than its limit of ` +
          `${defaultRetentionBytes}, with only this run's copies left to evict (they are kept)`,
      });
    }
  } finally {
    await store.close();
  }
}

function evictionEvent(
  entry: {
    id: string;
    originalPath: string;
    sha256: string;
    iocs: readonly { id: string; sha256: string }[];
  },
  reason: "retention-age" | "retention-size",
  limits: { days: number; bytes: number },
): ActionEvent {
  return {
    type: "action",
    action: "quarantine",
    object: entry.originalPath,
    outcome: "evicted",
    reason,
    detail: reason === "retention-age"
      ? `copy older than ${limits.days} days removed (its record stays)`
      : `copy removed to keep the store within ${limits.bytes} bytes (its record stays)`,
    iocs: entry.iocs.map(({ id, sha256 }) => ({ id, sha256 })),
    entry: entry.id,
    sha256: entry.sha256,
    time: new Date().toISOString(),
  };
}
