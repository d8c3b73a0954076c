/**
 * The Windows isolation backend: the Windows Filtering Platform through `fwpuclnt.dll`
 * (docs/isolation_windows.md). `apply` adds our provider, our sublayer and the filters of
 * wfp_filters.ts in one BFE transaction (`FwpmTransactionBegin0` … `Commit0`; any failure
 * aborts, so nothing changes), replacing an earlier rule set of ours in the same transaction;
 * the objects are static (no dynamic session, not persistent): they outlive iocscan and go
 * with a reboot, after which the boot task re-applies. Then it registers the release and boot
 * tasks (windows_release_tasks.ts); if that fails, the filters are removed again and `apply`
 * fails, because an isolation without its deadline must not stay. `release` deletes our
 * provider's filters (enumerated at our four layers, deleted by id), then the sublayer and the
 * provider, in one transaction, then the tasks. `state` enumerates our provider's filters.
 *
 * Every BFE call goes through {@linkcode WfpApi}, so this logic is tested with recorded results;
 * the FFI (wfp_api.ts) has not been run on Windows yet.
 *
 * @module
 */
import type { BackendState, IsolationBackend, IsolationPlan } from "./contract.ts";
import { engineSelfCommand } from "./engine_command.ts";
import { fwpuclntApi, type WfpApi, type WfpSession } from "./wfp_api.ts";
import {
  buildWfpFilters,
  decodeTag,
  encodeTag,
  providerRecord,
  renderWfpFilters,
  sublayerRecord,
  toFilterRecord,
  wfpIsolationLayers,
  wfpProviderKey,
  wfpRulesetHash,
  wfpSublayerKey,
} from "./wfp_filters.ts";
import { FwpActionType, WfpError, wfpLayers } from "../../windows/layouts/wfp.ts";
import type { DecodedFilter } from "../../windows/layouts/wfp_decode.ts";
import { type IsolationTaskScheduler, schtasksScheduler } from "./windows_release_tasks.ts";
import {
  type SeverPlatform,
  type SeverReport,
  severWindowsConnections,
  windowsSeverPlatform,
} from "./windows_sever.ts";

/** The mechanism name the audit records. */
export const wfpMechanism = "wfp";

/** A BFE call that failed: which step, and the code it returned. */
export class WfpCallError extends Error {
  constructor(readonly step: string, readonly status: number, detail = "") {
    super(
      `${step} failed with 0x${status.toString(16).padStart(8, "0")}${detail ? `: ${detail}` : ""}`,
    );
    this.name = "WfpCallError";
  }
}

/** What the backend runs on (defaults: the live host). */
export interface WfpBackendOptions {
  /** The BFE (default: `fwpuclnt.dll`). */
  readonly api?: WfpApi;
  /** The release and boot tasks (default: schtasks, starting this engine with `taskTail`). */
  readonly tasks?: IsolationTaskScheduler;
  /** Arguments the tasks add after `isolation release|boot` (`--db STORE`; never a password). */
  readonly taskTail?: readonly string[];
  /** Where connections are read and cut (default: iphlpapi). */
  readonly sever?: SeverPlatform;
}

/** The WFP backend, with the full severing report beside the contract's count. */
export interface WfpBackend extends IsolationBackend {
  /** Severs as `severConnections` does and says what was and was not cut (IPv6 is not). */
  severReport(plan: IsolationPlan): Promise<SeverReport>;
}

/** Results that mean "already gone" when deleting. */
const goneStatuses: ReadonlySet<number> = new Set([
  WfpError.filterNotFound,
  WfpError.sublayerNotFound,
  WfpError.providerNotFound,
  WfpError.notFound,
]);

function check(status: number, step: string): void {
  if (status !== WfpError.success) throw new WfpCallError(step, status);
}

function openSession(api: WfpApi): WfpSession {
  let opened;
  try {
    opened = api.open();
  } catch (error) {
    throw new Error(
      `the Windows Filtering Platform could not be reached (fwpuclnt.dll): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  if (opened.status !== WfpError.success || opened.session === undefined) {
    throw new WfpCallError(
      "FwpmEngineOpen0",
      opened.status,
      opened.status === WfpError.accessDenied ? "isolation needs an administrator or SYSTEM" : "",
    );
  }
  return opened.session;
}

/** Our provider's filters at every layer we use. */
function ourFilters(session: WfpSession): DecodedFilter[] {
  const filters: DecodedFilter[] = [];
  for (const layer of wfpIsolationLayers) {
    const listed = session.enumFilters(wfpProviderKey, wfpLayers[layer]);
    check(listed.status, `FwpmFilterEnum0 (${layer})`);
    filters.push(...listed.filters.filter((filter) => filter.providerKey === wfpProviderKey));
  }
  return filters;
}

/** Deletes our filters, then our sublayer and provider; inside the caller's transaction. */
function removeOurs(session: WfpSession): number {
  const filters = ourFilters(session);
  for (const filter of filters) {
    const status = session.deleteFilterById(filter.filterId);
    if (!goneStatuses.has(status)) check(status, `FwpmFilterDeleteById0 (${filter.filterId})`);
  }
  for (
    const [status, step] of [
      [session.deleteSublayer(wfpSublayerKey), "FwpmSubLayerDeleteByKey0"],
      [session.deleteProvider(wfpProviderKey), "FwpmProviderDeleteByKey0"],
    ] as const
  ) {
    if (!goneStatuses.has(status)) check(status, step);
  }
  return filters.length;
}

/** Runs `work` in one BFE transaction: committed when it returns, aborted when it throws. */
function inTransaction<T>(session: WfpSession, work: () => T): T {
  check(session.transactionBegin(), "FwpmTransactionBegin0");
  let result: T;
  try {
    result = work();
    check(session.transactionCommit(), "FwpmTransactionCommit0");
  } catch (error) {
    session.transactionAbort();
    throw error;
  }
  return result;
}

/** Removes our filters, sublayer and provider in one transaction. */
function removeFilters(api: WfpApi): number {
  const session = openSession(api);
  try {
    return inTransaction(session, () => removeOurs(session));
  } finally {
    session.close();
  }
}

/** What our filters say: applied when a block sits at each of our layers (a partly removed set is not in place). */
function readState(api: WfpApi): BackendState {
  const session = openSession(api);
  try {
    const filters = ourFilters(session);
    const blocked = new Set(
      filters.filter((filter) => filter.action === FwpActionType.block).map((filter) =>
        filter.layerKey
      ),
    );
    const applied = wfpIsolationLayers.every((layer) => blocked.has(wfpLayers[layer]));
    const tag = filters.map((filter) => decodeTag(filter.providerData)).find((found) =>
      found !== undefined
    );
    return {
      applied,
      ...(tag !== undefined ? { rulesetHash: tag.rulesetHash, expiresAt: tag.expiresAt } : {}),
    };
  } finally {
    session.close();
  }
}

/**
 * The WFP backend.
 *
 * @example What `--what-if` shows on Windows
 * ```ts
 * import { wfpBackend } from "./windows_wfp_backend.ts";
 * const backend = wfpBackend();
 * const text = backend.render({ id: "iso-1", expiresAt: "2026-12-07T14:00:00.000Z", allow: [] });
 * console.log(JSON.parse(text).filters.length); // 14
 * ```
 */
export function wfpBackend(options: WfpBackendOptions = {}): WfpBackend {
  const api = options.api ?? fwpuclntApi();
  let tasks = options.tasks;
  const scheduler = (): IsolationTaskScheduler =>
    tasks ??= schtasksScheduler({ command: engineSelfCommand(), tail: options.taskTail ?? [] });
  const sever = options.sever ?? windowsSeverPlatform;

  const severReport = (plan: IsolationPlan) => severWindowsConnections(plan, sever);

  return {
    mechanism: wfpMechanism,
    render: renderWfpFilters,
    rulesetHash: wfpRulesetHash,

    async apply(plan) {
      // Built and checked before the BFE is touched: a bad rule, or a value the release task
      // cannot hold, changes nothing.
      const specs = buildWfpFilters(plan);
      scheduler().prepare?.(plan);
      const tag = encodeTag({
        isolationId: plan.id,
        expiresAt: plan.expiresAt,
        rulesetHash: await wfpRulesetHash(plan),
      });
      const records = specs.map((spec) => toFilterRecord(spec, tag));
      const session = openSession(api);
      try {
        inTransaction(session, () => {
          removeOurs(session);
          check(session.addProvider(providerRecord(tag)), "FwpmProviderAdd0");
          check(session.addSublayer(sublayerRecord), "FwpmSubLayerAdd0");
          records.forEach((record, index) => {
            const spec = specs[index]!;
            check(
              session.addFilter(record).status,
              `FwpmFilterAdd0 (${spec.name} at ${spec.layer})`,
            );
          });
        });
      } finally {
        session.close();
      }
      try {
        await scheduler().register(plan);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        try {
          removeFilters(api);
        } catch (rollback) {
          throw new Error(
            `the release task could not be registered (${why}), and removing the filters failed too: ${
              rollback instanceof Error ? rollback.message : String(rollback)
            }; run iocscan isolation release`,
          );
        }
        throw new Error(
          `the release task could not be registered, so the filters were removed again: ${why}`,
        );
      }
    },

    async severConnections(plan) {
      return (await severReport(plan)).severed;
    },

    severReport,

    async release() {
      removeFilters(api);
      await scheduler().remove();
    },

    state(): Promise<BackendState> {
      try {
        return Promise.resolve(readState(api));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
