/**
 * The isolation's state and audit in the results store (migration 0005, docs/store.md): one row
 * per isolation (its deadline, state and plan, written before any rule is applied) and one row per
 * step the isolation took (apply, self-test, extend, release, auto-release, rollback, tamper and
 * boot re-apply). The shapes mirror `actions/isolation/contract.ts`, which the store may not
 * import (it sits below the actions layer); the plan and self-test are kept as JSON.
 *
 * @module
 */
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import { fromJsonText, toJsonText } from "./json_text.ts";
import { storableOptionalText, storableText } from "./storable_text.ts";
import type { StoreDatabase } from "./schema.ts";

/** The states an isolation row takes (docs/isolation.md). */
export const ISOLATION_STATES = [
  "active",
  "released",
  "expired",
  "rolled-back",
  "failed",
] as const;

/** One of {@linkcode ISOLATION_STATES}. */
export type IsolationState = typeof ISOLATION_STATES[number];

/** One isolation as stored. */
export interface StoredIsolation {
  /** The isolation's id. */
  id: string;
  /** When it was asked for, ISO 8601 UTC. */
  started: string;
  /** When it lifts by itself, ISO 8601 UTC. */
  expiresAt: string;
  /** `active` from before the rules are applied until it is released, expires or is rolled back. */
  state: IsolationState;
  /** The plan (`IsolationPlan`), as given. */
  plan: unknown;
  /** The reason text, if any. */
  reason?: string;
  /** The IOC ids that asked for it. */
  iocIds: string[];
  /** The scan run that asked for it. */
  runId?: number;
  /** Who asked for it. */
  who: string;
}

/** One audit record as stored (`IsolationAuditRecord`). */
export interface StoredIsolationAudit {
  isolationId: string;
  step: string;
  at: string;
  who: string;
  reason?: string;
  iocIds?: string[];
  runId?: number;
  rulesetHash?: string;
  /** The self-test result (`SelfTestResult`), when the step ran one. */
  selfTest?: unknown;
  outcome: "ok" | "failed";
  detail?: string;
}

/** What {@linkcode updateIsolation} may change. */
export interface IsolationChange {
  state?: IsolationState;
  expiresAt?: string;
  plan?: unknown;
}

type Db = Kysely<StoreDatabase>;

/** Stores a new isolation. */
export async function insertIsolation(db: Db, isolation: StoredIsolation): Promise<void> {
  await db.insertInto("isolations").values({
    id: storableText(isolation.id),
    startedAt: isolation.started,
    expiresAt: isolation.expiresAt,
    state: isolation.state,
    planJson: toJsonText(isolation.plan),
    reason: storableOptionalText(isolation.reason),
    iocIdsJson: toJsonText(isolation.iocIds),
    runId: isolation.runId ?? null,
    who: storableText(isolation.who),
    // The host it isolates, for `iocscan fleet status` (migration 0007).
    host: storableText(hostname()),
  }).execute();
}

/**
 * Changes an isolation's state, deadline or plan.
 *
 * @throws Error when there is no such isolation.
 */
export async function updateIsolation(db: Db, id: string, change: IsolationChange): Promise<void> {
  const result = await db.updateTable("isolations").set({
    ...(change.state === undefined ? {} : { state: change.state }),
    ...(change.expiresAt === undefined ? {} : { expiresAt: change.expiresAt }),
    ...(change.plan === undefined ? {} : { planJson: toJsonText(change.plan) }),
  }).where("id", "=", id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new Error(`there is no isolation ${id}`);
}

/** One isolation by id; undefined when unknown. */
export async function selectIsolation(db: Db, id: string): Promise<StoredIsolation | undefined> {
  const row = await db.selectFrom("isolations").selectAll().where("id", "=", id)
    .executeTakeFirst();
  return row === undefined ? undefined : toStoredIsolation(row);
}

/** Every isolation, the newest first; with `state`, only those in it. */
export async function selectIsolations(
  db: Db,
  state?: IsolationState,
): Promise<StoredIsolation[]> {
  let query = db.selectFrom("isolations").selectAll().orderBy("startedAt", "desc")
    .orderBy("id", "desc");
  if (state !== undefined) query = query.where("state", "=", state);
  return (await query.execute()).map(toStoredIsolation);
}

/** Appends one audit record. */
export async function insertIsolationAudit(db: Db, record: StoredIsolationAudit): Promise<void> {
  await db.insertInto("isolationAudit").values({
    isolationId: storableText(record.isolationId),
    step: storableText(record.step),
    at: record.at,
    who: storableText(record.who),
    reason: storableOptionalText(record.reason),
    iocIdsJson: record.iocIds === undefined ? null : toJsonText(record.iocIds),
    runId: record.runId ?? null,
    rulesetHash: record.rulesetHash ?? null,
    selfTestJson: record.selfTest === undefined ? null : toJsonText(record.selfTest),
    outcome: record.outcome,
    detail: storableOptionalText(record.detail),
  }).execute();
}

/** An isolation's audit records in the order they were written. */
export async function selectIsolationAudit(
  db: Db,
  isolationId: string,
): Promise<StoredIsolationAudit[]> {
  const rows = await db.selectFrom("isolationAudit").selectAll()
    .where("isolationId", "=", isolationId).orderBy("id").execute();
  return rows.map((row): StoredIsolationAudit => ({
    isolationId: row.isolationId,
    step: row.step,
    at: row.at,
    who: row.who,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.iocIdsJson === null ? {} : { iocIds: stringArray(fromJsonText(row.iocIdsJson)) }),
    ...(row.runId === null ? {} : { runId: Number(row.runId) }),
    ...(row.rulesetHash === null ? {} : { rulesetHash: row.rulesetHash }),
    ...(row.selfTestJson === null ? {} : { selfTest: fromJsonText(row.selfTestJson) }),
    outcome: row.outcome === "ok" ? "ok" : "failed",
    ...(row.detail === null ? {} : { detail: row.detail }),
  }));
}

function toStoredIsolation(row: {
  id: string;
  startedAt: string;
  expiresAt: string;
  state: string;
  planJson: string;
  reason: string | null;
  iocIdsJson: string;
  runId: number | null;
  who: string;
}): StoredIsolation {
  return {
    id: row.id,
    started: row.startedAt,
    expiresAt: row.expiresAt,
    state: (ISOLATION_STATES as readonly string[]).includes(row.state)
      ? row.state as IsolationState
      : "failed",
    plan: fromJsonText(row.planJson),
    ...(row.reason === null ? {} : { reason: row.reason }),
    iocIds: stringArray(fromJsonText(row.iocIdsJson)),
    ...(row.runId === null ? {} : { runId: Number(row.runId) }),
    who: row.who,
  };
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}
