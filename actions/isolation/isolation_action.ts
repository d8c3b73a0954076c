/**
 * The `isolate` response action: when a scan has a detection, isolate the host (isolation_service.ts)
 * with the run id and the detecting IOCs' ids in the audit, and report one {@linkcode ActionEvent}
 * for the host: `isolated`, `failed` (with a reason code) or, under `--what-if`, `what-if` with
 * the allow-list and the rule set's hash, nothing changed. The scan's action list (`scan/`) builds
 * it from its options.
 *
 * @module
 */
import { hostname } from "node:os";
import type { ActionContext, ResponseAction } from "../action.ts";
import type { ActionEvent } from "../../contracts/events.ts";
import type { IsolationBackend } from "./contract.ts";
import type { AllowSpec } from "./allow_spec.ts";
import type { DnsServerReading } from "./dns_servers.ts";
import { installHostTasks } from "./host_backend.ts";
import type { LocalRecordPlace } from "./local_record.ts";
import { withLocalRecord } from "./local_record_store.ts";
import { DEFAULT_ISOLATION_MS } from "./isolation_limits.ts";
import { buildIsolationPlan } from "./isolation_plan.ts";
import { isolate, type IsolationStore } from "./isolation_service.ts";
import type { SelfTestOptions } from "./self_test.ts";

/** The action's name (`--action isolate`, the task file's `actions`). */
export const ISOLATE_ACTION = "isolate";

/** How the action isolates. */
export interface IsolationActionOptions {
  /** Where the isolation's state and audit go (the scan's results store). */
  readonly store: IsolationStore;
  /** The store's location: a `postgres://` URL's host is allowed. */
  readonly storeLocation?: string;
  /**
   * The local record of the active isolation (local_record.ts), kept in step with the store and
   * named to the boot and tamper tasks; none when absent.
   */
  readonly localRecord?: LocalRecordPlace;
  /** The host's backend (nftables on Linux). */
  readonly backend: IsolationBackend;
  /** How long (default 8 h). */
  readonly durationMs?: number;
  /** The user's extra allowed peers. */
  readonly allow?: readonly AllowSpec[];
  /** The reason written to the audit (default: the detecting IOCs' names). */
  readonly reason?: string;
  /** The self-test's forbidden target and bounds. */
  readonly selfTest?: SelfTestOptions;
  /** Who runs the scan. */
  readonly who: string;
  /**
   * Installs the boot and tamper tasks before the rules are applied (default: this host's,
   * {@linkcode installHostTasks}, naming `storeLocation`).
   */
  readonly installTasks?: () => Promise<string>;
  /** The DNS servers (default: this host's). */
  readonly dns?: DnsServerReading;
  /** The clock. */
  readonly clock?: () => Date;
}

/** Creates the `isolate` action. */
export function createIsolationAction(options: IsolationActionOptions): ResponseAction {
  return {
    name: ISOLATE_ACTION,
    async respond(context: ActionContext) {
      if (context.detections.length === 0 || context.signal.aborted) return;
      const clock = options.clock ?? (() => new Date());
      const iocs = uniqueIocs(context);
      const report = (event: Omit<ActionEvent, "type" | "action" | "object" | "time">) =>
        context.report({
          type: "action",
          ...(context.runId === undefined ? {} : { runId: context.runId }),
          action: ISOLATE_ACTION,
          object: hostname(),
          iocs,
          ...event,
          time: clock().toISOString(),
        });
      let planned;
      try {
        planned = await buildIsolationPlan({
          durationMs: options.durationMs ?? DEFAULT_ISOLATION_MS,
          allow: options.allow ?? [],
          ...(options.storeLocation === undefined ? {} : { storeLocation: options.storeLocation }),
          ...(options.dns === undefined ? {} : { dns: options.dns }),
          now: clock(),
        });
      } catch (error) {
        report({ outcome: "failed", reason: "allow-list", detail: messageOf(error) });
        return;
      }
      const { plan } = planned;
      if (context.whatIf) {
        report({
          outcome: "what-if",
          entry: plan.id,
          detail: `would isolate until ${plan.expiresAt}, allowing ${
            plan.allow.map((rule) =>
              rule.address + (rule.port === undefined ? "" : `:${rule.port}`)
            )
              .join(", ") || "loopback, DHCP and neighbour discovery only"
          }; rule set sha256 ${await options.backend.rulesetHash(plan)}`,
        });
        return;
      }
      try {
        const outcome = await isolate(
          {
            store: options.localRecord === undefined
              ? options.store
              : withLocalRecord(options.store, options.localRecord),
            backend: options.backend,
            who: options.who,
            clock,
          },
          {
            plan,
            reason: options.reason ??
              `detections: ${[...new Set(context.detections.map((d) => d.ioc.name))].join(", ")}`,
            iocIds: iocs.map((ioc) => ioc.id),
            ...(context.runId === undefined ? {} : { runId: context.runId }),
            ...(options.selfTest === undefined ? {} : { selfTest: options.selfTest }),
            installTasks: options.installTasks ??
              (() =>
                installHostTasks(options.storeLocation, undefined, options.localRecord?.folder)),
          },
        );
        report(
          outcome.ok
            ? {
              outcome: "isolated",
              entry: plan.id,
              detail: `isolated until ${plan.expiresAt}`,
            }
            : {
              outcome: "failed",
              reason: outcome.report.state === "rolled-back" ? "self-test" : "apply",
              entry: plan.id,
              detail: outcome.problem ?? outcome.report.state,
            },
        );
      } catch (error) {
        report({ outcome: "failed", reason: "refused", detail: messageOf(error) });
      }
    },
  };
}

function uniqueIocs(context: ActionContext): { id: string; sha256: string }[] {
  const seen = new Map<string, { id: string; sha256: string }>();
  for (const detection of context.detections) {
    const { id, sha256 } = detection.ioc;
    seen.set(`${id}\u0000${sha256}`, { id, sha256 });
  }
  return [...seen.values()];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
