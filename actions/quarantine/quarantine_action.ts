/**
 * The `quarantine` response action: quarantines the files a scan's detections name (one per
 * real path), at most `maxActions` of them (the rest `refused: max-actions`: a bad IOC must not
 * delete a fleet's worth of files), and reports one `action` event per file. With `whatIf` it
 * says what it would do (what the checks before the open would refuse as `refused`) and changes
 * nothing, not even creating the store.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import type { ActionEvent } from "../../contracts/events.ts";
import type { ResponseAction } from "../action.ts";
import type {
  QuarantineOutcome,
  QuarantinePlatform,
  QuarantinePolicy,
  QuarantineTarget,
} from "./contract.ts";
import { defaultMaxActions, defaultQuarantinePolicy } from "./quarantine_defaults.ts";
import {
  openQuarantineStore,
  type OpenQuarantineStoreOptions,
  quarantineRefusal,
} from "./quarantine_store.ts";
import { quarantineTargets } from "./quarantine_targets.ts";

/** The action's name (`--action quarantine`, events' `action`). */
export const QUARANTINE_ACTION = "quarantine";

/** Options of {@linkcode createQuarantineAction}. */
export interface QuarantineActionOptions {
  /** The store's folder ({@linkcode defaultQuarantineDir} by default in the CLI). */
  readonly dir: string;
  readonly policy?: QuarantinePolicy;
  /** Objects acted on at most per run (default 50). */
  readonly maxActions?: number;
  readonly platform?: QuarantinePlatform;
  /** Passed to the store (tests: `faultAfterStep`, `hooks`). */
  readonly storeOptions?: Omit<OpenQuarantineStoreOptions, "dir" | "platform">;
}

/** The quarantine as a response action of a scan. */
export function createQuarantineAction(options: QuarantineActionOptions): ResponseAction {
  const policy = options.policy ?? defaultQuarantinePolicy;
  const maxActions = options.maxActions ?? defaultMaxActions;
  return {
    name: QUARANTINE_ACTION,
    async respond(context) {
      const time = () => new Date().toISOString();
      const report = (
        object: string,
        iocs: QuarantineTarget["iocs"],
        fields: Omit<ActionEvent, "type" | "action" | "object" | "time" | "runId" | "iocs">,
      ) =>
        context.report({
          type: "action",
          ...(context.runId === undefined ? {} : { runId: context.runId }),
          action: QUARANTINE_ACTION,
          object,
          ...fields,
          iocs: iocs.map(({ id, sha256 }) => ({ id, sha256 })),
          time: time(),
        });
      const { targets, untouched } = quarantineTargets(context.detections, context.runId);
      for (const evidence of untouched) {
        report(evidence.object, evidence.iocs, {
          outcome: "refused",
          reason: evidence.reason,
          detail: evidence.detail,
        });
      }
      const distinct = await byRealPath(targets);
      const acted = distinct.slice(0, Math.max(0, maxActions));
      const over = distinct.slice(acted.length);
      if (context.whatIf) {
        for (const target of acted) {
          // What the real run would refuse before opening the file is said as refused.
          const refusal = await quarantineRefusal(target, policy, {
            dir: options.dir,
            ...(options.platform === undefined ? {} : { platform: options.platform }),
          });
          if (refusal !== undefined) {
            report(target.path, target.iocs, {
              ...eventFields(refusal),
              detail: `would be refused: ${refusal.detail}`,
            });
            continue;
          }
          const size = await Deno.lstat(target.path).then(
            (info) => `${info.size} bytes`,
            () => "size unknown",
          );
          report(target.path, target.iocs, {
            outcome: "what-if",
            detail: `would quarantine ${target.path} (${size})`,
          });
        }
      } else if (acted.length > 0) {
        await quarantineAll(
          acted,
          options,
          policy,
          context.signal,
          (target, outcome) => report(target.path, target.iocs, eventFields(outcome)),
        );
      }
      for (const target of over) {
        report(target.path, target.iocs, {
          outcome: "refused",
          reason: "max-actions",
          detail:
            `over the limit of ${maxActions} objects per run (${over.length} refused); --max-actions raises it`,
        });
      }
    },
  };
}

async function quarantineAll(
  targets: readonly QuarantineTarget[],
  options: QuarantineActionOptions,
  policy: QuarantinePolicy,
  signal: AbortSignal,
  report: (target: QuarantineTarget, outcome: QuarantineOutcome) => void,
): Promise<void> {
  let store;
  try {
    store = await openQuarantineStore({
      ...options.storeOptions,
      dir: options.dir,
      ...(options.platform === undefined ? {} : { platform: options.platform }),
    });
  } catch (error) {
    const detail = `the quarantine store ${options.dir} could not be opened: ${
      error instanceof Error ? error.message : String(error)
    }`;
    for (const target of targets) {
      report(target, { path: target.path, outcome: "failed", reason: "store", detail });
    }
    return;
  }
  try {
    for (const target of targets) {
      if (signal.aborted) {
        report(target, {
          path: target.path,
          outcome: "refused",
          reason: "interrupted",
          detail: "the scan was interrupted before this file; it was not touched",
        });
        continue;
      }
      let outcome: QuarantineOutcome;
      try {
        outcome = await store.quarantine(target, policy);
      } catch (error) {
        // The store itself failed (its disk, its journal): said for this file, the next is tried.
        outcome = {
          path: target.path,
          outcome: "failed",
          reason: "store",
          detail: `the quarantine store failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        };
      }
      report(target, outcome);
    }
  } finally {
    await store.close();
  }
}

function eventFields(outcome: QuarantineOutcome) {
  return {
    outcome: outcome.outcome,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    ...(outcome.entryId === undefined ? {} : { entry: outcome.entryId }),
    ...(outcome.sha256 === undefined ? {} : { sha256: outcome.sha256 }),
  };
}

/** One target per real file location (a folder reached through a link is one place). */
async function byRealPath(targets: readonly QuarantineTarget[]): Promise<QuarantineTarget[]> {
  const merged = new Map<string, QuarantineTarget>();
  for (const target of targets) {
    let real = target.path;
    try {
      real = join(await Deno.realPath(dirname(target.path)), basename(target.path));
    } catch {
      // The named path stands; the quarantine reports what is wrong with it.
    }
    const known = merged.get(real);
    if (known === undefined) {
      merged.set(real, target);
      continue;
    }
    const iocs = new Map(
      [...known.iocs, ...target.iocs].map((ioc) => [`${ioc.id}\u0000${ioc.sha256}`, ioc]),
    );
    merged.set(real, {
      ...known,
      iocs: [...iocs.values()],
      pids: [...new Set([...known.pids, ...target.pids])],
    });
  }
  return [...merged.values()];
}
