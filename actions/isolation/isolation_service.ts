/**
 * The isolation's life, one function per command: isolate (store the state, apply, cut existing
 * connections, self-test, roll back on failure), extend, release, and the two tasks the machinery
 * runs: the tamper check (every 60 s) and the boot task. Every step is an audit record in the
 * store. The backend does the host's part (nftables on Linux, WFP on Windows).
 *
 * @module
 */
import type {
  AllowRule,
  BackendState,
  IsolationAuditRecord,
  IsolationBackend,
  IsolationPlan,
  IsolationStep,
  SelfTestResult,
} from "./contract.ts";
import { isAllowRule } from "./allow_rule_check.ts";
import { KERNEL_DEADLINE_SLACK_MS } from "./isolation_limits.ts";
import { probeForbiddenBefore, runSelfTest, type SelfTestOptions } from "./self_test.ts";
import type { IsolationState, StoredIsolation, StoredIsolationAudit } from "../../store/mod.ts";

/** What the isolation needs of the results store (`ResultStore` has it). */
export interface IsolationStore {
  addIsolation(isolation: StoredIsolation): Promise<void>;
  updateIsolation(
    id: string,
    change: { state?: IsolationState; expiresAt?: string; plan?: unknown },
  ): Promise<void>;
  getIsolation(id: string): Promise<StoredIsolation | undefined>;
  listIsolations(state?: IsolationState): Promise<StoredIsolation[]>;
  addIsolationAudit(record: StoredIsolationAudit): Promise<void>;
  listIsolationAudit(isolationId: string): Promise<StoredIsolationAudit[]>;
}

/** What every step needs. */
export interface IsolationDeps {
  readonly store: IsolationStore;
  readonly backend: IsolationBackend;
  /** Who runs the step (the user, or the task). */
  readonly who: string;
  readonly clock?: () => Date;
}

/** The `--json` object of every isolation command (docs/isolation.md). */
export interface IsolationReport {
  readonly type: "isolation";
  readonly id: string;
  /** `active`, `released`, `expired`, `rolled-back`, `failed`; `what-if` for a dry run. */
  readonly state: IsolationState | "what-if";
  readonly started: string;
  readonly expiresAt: string;
  readonly allow: readonly AllowRule[];
  readonly reason?: string;
  readonly iocIds: readonly string[];
  readonly runId?: number;
  readonly who: string;
  /** What the backend holds now (absent for a dry run). */
  readonly applied?: boolean;
  readonly audit: readonly IsolationAuditRecord[];
}

/** An isolation to start. */
export interface IsolateRequest {
  readonly plan: IsolationPlan;
  readonly reason?: string;
  readonly iocIds?: readonly string[];
  readonly runId?: number;
  readonly selfTest?: SelfTestOptions;
  /** Installs the boot and tamper tasks, before the rules are applied; a failure is audited. */
  readonly installTasks?: () => Promise<string>;
}

/** What a step gave: the isolation as it is now, and whether the step did what it was asked. */
export interface IsolationOutcome {
  readonly ok: boolean;
  readonly report: IsolationReport;
  /** Why it failed, for a human. */
  readonly problem?: string;
}

/**
 * Isolates the host: refuses while another isolation is active; stores the state and installs the
 * boot and tamper tasks before applying; applies, cuts existing connections, self-tests, and
 * releases again when the self-test fails.
 */
export async function isolate(
  deps: IsolationDeps,
  request: IsolateRequest,
): Promise<IsolationOutcome> {
  const now = (deps.clock ?? (() => new Date()))();
  await expireLapsed(deps);
  const active = await activeIsolation(deps.store);
  if (active !== undefined) {
    throw new Error(
      `isolation ${active.id} is active until ${active.expiresAt}: extend or release it first`,
    );
  }
  const { plan } = request;
  const hash = await deps.backend.rulesetHash(plan);
  // The forbidden target is tried before the rules go in: the self-test compares.
  const baseline = await probeForbiddenBefore(plan, request.selfTest);
  const why = {
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    ...(request.iocIds === undefined || request.iocIds.length === 0
      ? {}
      : { iocIds: [...request.iocIds] }),
    ...(request.runId === undefined ? {} : { runId: request.runId }),
  };
  await deps.store.addIsolation({
    id: plan.id,
    started: now.toISOString(),
    expiresAt: plan.expiresAt,
    state: "active",
    plan,
    ...why,
    iocIds: [...(request.iocIds ?? [])],
    who: deps.who,
  });
  const audit = auditor(deps, plan.id, why);
  // The tasks go in before the rules: should this process die after the apply, the boot task and
  // the tamper check still know the isolation (a failure here is audited, never fatal).
  if (request.installTasks !== undefined) {
    try {
      const installed = await request.installTasks();
      await audit("apply", "ok", {
        rulesetHash: hash,
        detail: `boot and tamper tasks: ${installed}`,
      });
    } catch (error) {
      await audit("apply", "failed", {
        rulesetHash: hash,
        detail: `the boot and tamper tasks were not installed: ${messageOf(error)}`,
      });
    }
  }
  try {
    await deps.backend.apply(plan);
  } catch (error) {
    await deps.store.updateIsolation(plan.id, { state: "failed" });
    await audit("apply", "failed", { rulesetHash: hash, detail: messageOf(error) });
    return { ok: false, report: await isolationReport(deps, plan.id), problem: messageOf(error) };
  }
  await recordInstalled(deps, plan);
  let severed: string;
  try {
    severed = `${await deps.backend.severConnections(plan)} existing connections cut`;
  } catch (error) {
    severed = `existing connections not cut (${messageOf(error)}); their packets are rejected`;
  }
  await audit("apply", "ok", {
    rulesetHash: hash,
    detail: `${deps.backend.mechanism}; ${severed}`,
  });
  const selfTest = await runSelfTest(plan, baseline, request.selfTest);
  const passed = selfTestPassed(selfTest);
  await audit("self-test", passed ? "ok" : "failed", {
    rulesetHash: hash,
    selfTest,
    ...(passed ? {} : { detail: selfTestProblem(selfTest) }),
  });
  if (!passed) {
    const problem = `self-test failed: ${selfTestProblem(selfTest)}`;
    try {
      await deps.backend.release();
      await deps.store.updateIsolation(plan.id, { state: "rolled-back" });
      await audit("rollback", "ok", { rulesetHash: hash, detail: problem });
    } catch (error) {
      await audit("rollback", "failed", { rulesetHash: hash, detail: messageOf(error) });
    }
    return { ok: false, report: await isolationReport(deps, plan.id), problem };
  }
  return { ok: true, report: await isolationReport(deps, plan.id) };
}

/** Gives the active isolation a new deadline, `durationMs` from now, in the kernel and the store. */
export async function extend(deps: IsolationDeps, durationMs: number): Promise<IsolationOutcome> {
  const now = (deps.clock ?? (() => new Date()))();
  await expireLapsed(deps);
  const active = await activeIsolation(deps.store);
  if (active === undefined) throw new Error("no isolation is active: nothing to extend");
  const plan = {
    ...storedPlan(active),
    expiresAt: new Date(now.getTime() + durationMs).toISOString(),
  };
  const hash = await deps.backend.rulesetHash(plan);
  const audit = auditor(deps, active.id, {});
  try {
    await deps.backend.apply(plan);
  } catch (error) {
    await audit("extend", "failed", { rulesetHash: hash, detail: messageOf(error) });
    return { ok: false, report: await isolationReport(deps, active.id), problem: messageOf(error) };
  }
  await deps.store.updateIsolation(active.id, { expiresAt: plan.expiresAt });
  await recordInstalled(deps, plan);
  await audit("extend", "ok", {
    rulesetHash: hash,
    detail: `deadline ${active.expiresAt} → ${plan.expiresAt}`,
  });
  return { ok: true, report: await isolationReport(deps, active.id) };
}

/** Releases the active isolation (and removes our rules even when the store knows none). */
export async function release(deps: IsolationDeps): Promise<IsolationOutcome | undefined> {
  await expireLapsed(deps);
  const active = await activeIsolation(deps.store);
  try {
    await deps.backend.release();
  } catch (error) {
    if (active === undefined) throw error;
    await auditor(deps, active.id, {})("release", "failed", { detail: messageOf(error) });
    return { ok: false, report: await isolationReport(deps, active.id), problem: messageOf(error) };
  }
  if (active === undefined) return undefined;
  await deps.store.updateIsolation(active.id, { state: "released" });
  await auditor(deps, active.id, {})("release", "ok", {});
  return { ok: true, report: await isolationReport(deps, active.id) };
}

/** Which task runs {@linkcode maintain}: the 60-second tamper check or the boot task. */
export type MaintenanceTask = "check" | "boot";

const maintenanceSteps = {
  check: { reapply: "tamper-reapply", cleanup: "auto-release" },
  boot: { reapply: "boot-reapply", cleanup: "boot-cleanup" },
} as const satisfies Record<MaintenanceTask, { reapply: IsolationStep; cleanup: IsolationStep }>;

/**
 * The tamper check and the boot task: an active isolation whose deadline has passed is cleaned up
 * (our table removed, the state `expired`); one whose rules are gone (or disarmed) before the
 * deadline is applied again with the same deadline. Our table with no active isolation behind it
 * is removed once it is inert, or at once when the store names its isolation as ended.
 *
 * @returns The isolation it acted on, or undefined when there was nothing to do.
 */
export async function maintain(
  deps: IsolationDeps,
  task: MaintenanceTask,
): Promise<IsolationOutcome | undefined> {
  const now = (deps.clock ?? (() => new Date()))();
  const steps = maintenanceSteps[task];
  const active = await activeIsolation(deps.store);
  if (active === undefined) {
    const state = await deps.backend.state();
    if ((state as { tablePresent?: boolean }).tablePresent !== true) return undefined;
    // Our rules with no active isolation behind them: inert ones are removed; armed ones too when
    // the store names their isolation as ended (a check that ran between a release's or a
    // rollback's delete and its store update re-applied them). Armed rules of an isolation this
    // store does not know are left alone: another store may own them.
    const owner = (state as { isolationId?: string }).isolationId;
    const ended = owner === undefined ? undefined : await deps.store.getIsolation(owner);
    if (!state.applied) {
      await deps.backend.release();
    } else if (ended !== undefined) {
      await deps.backend.release();
      await auditor(deps, ended.id, {})("auto-release", "ok", {
        detail: `its rules were in place although the isolation is ${ended.state}: removed`,
      });
    }
    return undefined;
  }
  const audit = auditor(deps, active.id, {});
  if (Date.parse(active.expiresAt) <= now.getTime()) {
    try {
      await deps.backend.release();
    } catch (error) {
      await audit(steps.cleanup, "failed", { detail: messageOf(error) });
      return {
        ok: false,
        report: await isolationReport(deps, active.id),
        problem: messageOf(error),
      };
    }
    await deps.store.updateIsolation(active.id, { state: "expired" });
    await audit(steps.cleanup, "ok", { detail: `the deadline ${active.expiresAt} has passed` });
    return { ok: true, report: await isolationReport(deps, active.id) };
  }
  const plan = storedPlan(active);
  const state = await deps.backend.state();
  const found = tamperFound(active, state);
  if (found === undefined) return undefined;
  const hash = await deps.backend.rulesetHash(plan);
  try {
    await deps.backend.apply(plan);
  } catch (error) {
    await audit(steps.reapply, "failed", {
      rulesetHash: hash,
      detail: `${found}; ${messageOf(error)}`,
    });
    return { ok: false, report: await isolationReport(deps, active.id), problem: messageOf(error) };
  }
  await recordInstalled(deps, plan);
  await audit(steps.reapply, "ok", {
    rulesetHash: hash,
    detail: `${found} before the deadline ${active.expiresAt}: applied again`,
  });
  return { ok: true, report: await isolationReport(deps, active.id) };
}

/**
 * What is wrong with our rules on the host, for the audit; undefined when they are as applied:
 * gone, disarmed, another isolation's, changed since the apply (the host's fingerprint differs
 * from the one recorded then: a rule deleted or inserted, a member of the armed set removed), or
 * set to lapse before the deadline.
 */
function tamperFound(active: StoredIsolation, state: BackendState): string | undefined {
  const ours = (state as { isolationId?: string }).isolationId;
  if ((state as { tablePresent?: boolean }).tablePresent === false) return "the rules were gone";
  if (!state.applied) return "the rules were disarmed";
  if (ours !== undefined && ours !== active.id) {
    return `the rules in place were another isolation's (${ours})`;
  }
  const recorded = (active.plan as { installedHash?: unknown } | null)?.installedHash;
  if (
    typeof recorded === "string" && state.installedHash !== undefined &&
    state.installedHash !== recorded
  ) {
    return `the rules were changed (the host lists ${state.installedHash}, applied ${recorded})`;
  }
  if (
    state.expiresAt !== undefined &&
    Date.parse(state.expiresAt) < Date.parse(active.expiresAt) - KERNEL_DEADLINE_SLACK_MS
  ) {
    return `the rules were set to lapse at ${state.expiresAt}`;
  }
  return undefined;
}

/**
 * Records, in the stored plan, the fingerprint of our rules as the host lists them right after an
 * apply (when the backend gives one): the tamper check compares the host's with it.
 */
async function recordInstalled(deps: IsolationDeps, plan: IsolationPlan): Promise<void> {
  let installedHash: string | undefined;
  try {
    installedHash = (await deps.backend.state()).installedHash;
  } catch {
    installedHash = undefined;
  }
  await deps.store.updateIsolation(plan.id, {
    plan: { ...plan, ...(installedHash === undefined ? {} : { installedHash }) },
  });
}

/** The active isolation with its audit; undefined when none is active. */
export async function currentIsolation(deps: IsolationDeps): Promise<IsolationReport | undefined> {
  const active = await activeIsolation(deps.store);
  if (active !== undefined) return await isolationReport(deps, active.id);
  const latest = (await deps.store.listIsolations())[0];
  return latest === undefined ? undefined : await isolationReport(deps, latest.id);
}

/** The report of one stored isolation, with what the backend holds now. */
export async function isolationReport(deps: IsolationDeps, id: string): Promise<IsolationReport> {
  const stored = await deps.store.getIsolation(id);
  if (stored === undefined) throw new Error(`there is no isolation ${id}`);
  const audit = await deps.store.listIsolationAudit(id);
  let applied: boolean | undefined;
  try {
    const state = await deps.backend.state();
    const owner = (state as { isolationId?: string }).isolationId;
    applied = state.applied && (owner === undefined || owner === id);
  } catch {
    applied = undefined;
  }
  return {
    type: "isolation",
    id: stored.id,
    state: stored.state,
    started: stored.started,
    expiresAt: stored.expiresAt,
    allow: storedPlan(stored).allow,
    ...(stored.reason === undefined ? {} : { reason: stored.reason }),
    iocIds: stored.iocIds,
    ...(stored.runId === undefined ? {} : { runId: stored.runId }),
    who: stored.who,
    ...(applied === undefined ? {} : { applied }),
    audit: audit as IsolationAuditRecord[],
  };
}

/** Whether both halves passed (a forbidden half not run is no failure). */
export function selfTestPassed(result: SelfTestResult): boolean {
  return result.allowed.passed && result.forbidden.passed !== false;
}

function selfTestProblem(result: SelfTestResult): string {
  const problems: string[] = [];
  if (!result.allowed.passed) {
    problems.push(
      `the allowed peer ${result.allowed.target ?? ""} did not answer (${
        result.allowed.detail ?? ""
      })`,
    );
  }
  if (result.forbidden.passed === false) {
    problems.push(`the forbidden peer ${result.forbidden.target ?? ""} answered`);
  }
  return problems.join("; ");
}

/** Marks `expired` the active isolations whose deadline has passed (the kernel lifted them). */
async function expireLapsed(deps: IsolationDeps): Promise<void> {
  const now = (deps.clock ?? (() => new Date()))();
  for (const isolation of await deps.store.listIsolations("active")) {
    if (Date.parse(isolation.expiresAt) > now.getTime()) continue;
    await deps.store.updateIsolation(isolation.id, { state: "expired" });
    await auditor(deps, isolation.id, {})("auto-release", "ok", {
      detail: `the deadline ${isolation.expiresAt} had passed: the kernel lifted it`,
    });
  }
}

async function activeIsolation(store: IsolationStore): Promise<StoredIsolation | undefined> {
  return (await store.listIsolations("active"))[0];
}

/**
 * The plan of a stored isolation. Its rules are checked again (the store is input too): a rule
 * that is not an address or prefix with an optional port 1–65535 and protocol tcp/udp, or that
 * names a special range (`special_addresses.ts`: `0.0.0.0/0`, loopback…) is dropped,
 * so that nothing but an address reaches `nft` or the `ss` filter.
 */
function storedPlan(stored: StoredIsolation): IsolationPlan {
  const plan = stored.plan as { allow?: unknown } | null;
  const allow = Array.isArray(plan?.allow) ? plan.allow.filter(isAllowRule) : [];
  return { id: stored.id, expiresAt: stored.expiresAt, allow };
}

type Why = { reason?: string; iocIds?: string[]; runId?: number };
type AuditExtra = { rulesetHash?: string; selfTest?: SelfTestResult; detail?: string };

function auditor(deps: IsolationDeps, isolationId: string, why: Why) {
  return async (step: IsolationStep, outcome: "ok" | "failed", extra: AuditExtra) => {
    await deps.store.addIsolationAudit({
      isolationId,
      step,
      at: (deps.clock ?? (() => new Date()))().toISOString(),
      who: deps.who,
      ...why,
      ...extra,
      outcome,
    });
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
