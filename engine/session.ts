/**
 * A match session: observed objects go in (concurrently), detections come out.
 *
 * Each object is evaluated against the groups of its document with the fields
 * it has. Only when some group is still undecided and reads a lazy field is
 * `lazy.load` called, once, with every lazy field still needed; the object is
 * then evaluated again with the loaded fields. A file whose name already rules
 * out every indicator is therefore never hashed.
 *
 * @module
 */
import { contributingGroups, evaluateHostExpr, type HostExpr } from "./binding.ts";
import type { DocumentPlan, ObjectOutcome, PlanGroup } from "./document_plan.ts";
import type { DetectionEvent, Evidence, IocRef, WarningEvent } from "./events.ts";
import type { LazyFieldSource, ObservedFields, ObservedItem } from "./observed_item.ts";
import type { RegexBudget } from "./item_condition.ts";
import type { IndicatorItem } from "../openioc/model.ts";
import { Truth } from "./truth.ts";
import { hostTruth } from "./verdict.ts";

/** One IOC as the session evaluates it. */
export interface PlannedIoc {
  ref: IocRef;
  host: HostExpr;
  groups: number[];
  /** Whether it can fire at all through the items that are evaluated. */
  canFire: boolean;
}

/** An IOC that did not fire and was not ruled out either (see {@linkcode MatchSession.undecided}). */
export interface UndecidedIoc {
  ioc: IocRef;
  /** False when no object could have made it fire: every way goes through an item not evaluated. */
  canFire: boolean;
}

/** A `matches` item's work limits, with the IOC and item they belong to. */
export interface RegexBudgetRef {
  ref: IocRef;
  item: IndicatorItem;
  budget: RegexBudget;
}

/** What a session shares with its plan (read-only). */
export interface SessionPlan {
  iocs: readonly PlannedIoc[];
  groups: readonly PlanGroup[];
  documentPlans: ReadonlyMap<string, DocumentPlan>;
  maxEvidence: number;
  /** The `matches` items, whose values cut to their text limit are warned about at the end. */
  regexBudgets?: readonly RegexBudgetRef[];
}

interface StoredEvidence {
  group: number;
  evidence: Evidence;
}

/**
 * Evaluates observed objects against a compiled plan. `observe` may be called
 * with many objects in flight at once: each call works on its own object and
 * records its outcome in one synchronous step.
 */
export class MatchSession {
  /** Warnings raised while matching (`lazy-load-failed`, `evidence-truncated`). */
  readonly warnings: WarningEvent[] = [];
  readonly #plan: SessionPlan;
  readonly #documentsLower = new Map<string, DocumentPlan>();
  readonly #satisfied = new Set<number>();
  readonly #evidence = new Map<number, StoredEvidence[]>();
  readonly #truncated = new Set<number>();
  readonly #detected = new Set<number>();
  #observed = 0;
  /** Each `matches` item's cut count when the session started (plans may serve several). */
  readonly #cutsBefore: number[];

  /** Use {@linkcode CompiledPlan.createSession} rather than this constructor. */
  constructor(plan: SessionPlan) {
    this.#plan = plan;
    this.#cutsBefore = (plan.regexBudgets ?? []).map((entry) => entry.budget.cutValues);
    for (const [name, documentPlan] of plan.documentPlans) {
      this.#documentsLower.set(name.toLowerCase(), documentPlan);
    }
  }

  /** The number of objects observed so far. */
  get observedCount(): number {
    return this.#observed;
  }

  /**
   * Evaluates one object. Objects of documents no IOC reads are ignored.
   *
   * Returns a promise only when lazy fields must be computed first; otherwise
   * the object is evaluated when the call returns, and the result is
   * `undefined` (so `await session.observe(item)` suits either case). Scans
   * of many small objects thus pay for a promise only where there is
   * something to wait for.
   */
  observe(item: ObservedItem): Promise<void> | undefined {
    this.#observed++;
    const plan = this.#plan.documentPlans.get(item.document) ??
      this.#documentsLower.get(item.document.toLowerCase());
    if (plan === undefined) return undefined;
    const pending = plan.pendingLazyFields(item.fields, item.lazy);
    const outcome = plan.evaluate(item.fields, pending);
    if (outcome.undecided.size > 0 && item.lazy !== undefined) {
      return this.#observeLoaded(plan, item, item.lazy, pending, outcome.undecided);
    }
    this.#record(plan, item, outcome);
    return undefined;
  }

  /** Loads the `undecided` lazy fields of an object, then evaluates it again. */
  async #observeLoaded(
    plan: DocumentPlan,
    item: ObservedItem,
    lazy: LazyFieldSource,
    pending: ReadonlySet<string>,
    undecided: ReadonlySet<string>,
  ): Promise<void> {
    const names = [...undecided];
    let loaded: ObservedFields = {};
    try {
      loaded = await lazy.load(names);
    } catch (error) {
      this.warnings.push({
        type: "warning",
        code: "lazy-load-failed",
        message: `${item.key}: computing ${names.join(", ")} failed: ${
          error instanceof Error ? error.message : String(error)
        }; those fields count as missing`,
        place: item.key,
      });
    }
    // Requested fields that did not come back are missing from now on, not pending.
    const fields = { ...item.fields, ...loaded };
    const stillPending = new Set([...pending].filter((name) => !undecided.has(name)));
    this.#record(plan, item, plan.evaluate(fields, stillPending));
  }

  #record(plan: DocumentPlan, item: ObservedItem, outcome: ObjectOutcome): void {
    for (const { group, items } of outcome.satisfied) {
      this.#satisfied.add(group);
      const planGroup = this.#plan.groups[group]!;
      let stored = this.#evidence.get(planGroup.ioc);
      if (stored === undefined) this.#evidence.set(planGroup.ioc, stored = []);
      if (stored.length >= this.#plan.maxEvidence) {
        this.#truncated.add(planGroup.ioc);
        continue;
      }
      stored.push({
        group,
        evidence: {
          document: plan.document,
          object: item.key,
          ...item.provenance,
          indicator: planGroup.indicator,
          items,
        },
      });
    }
  }

  /**
   * Evaluates every IOC at host level and returns the detections, in the order
   * of IOC file, then id. Evidence lists the objects of the groups that made
   * the IOC true, by group then object key.
   */
  finish(): DetectionEvent[] {
    const detections: DetectionEvent[] = [];
    const satisfied = (group: number) => this.#satisfied.has(group);
    // Host expressions have no NOT (negation is per item, inside groups): an IOC none of whose
    // groups any object satisfied is false, and is not evaluated. With 100,000 one-item groups,
    // evaluating them all took longer than observing 20,000 objects.
    const touched = new Set<number>();
    for (const group of this.#satisfied) touched.add(this.#plan.groups[group]!.ioc);
    for (const [index, ioc] of this.#plan.iocs.entries()) {
      if (!touched.has(index) || !evaluateHostExpr(ioc.host, satisfied)) continue;
      const contributing = new Set(contributingGroups(ioc.host, satisfied));
      const evidence = (this.#evidence.get(index) ?? [])
        .filter((stored) => contributing.has(stored.group))
        .sort((a, b) =>
          a.group - b.group ||
          (a.evidence.object < b.evidence.object
            ? -1
            : a.evidence.object > b.evidence.object
            ? 1
            : 0)
        )
        .map((stored) => stored.evidence);
      detections.push({ type: "detection", ioc: ioc.ref, evidence });
      this.#detected.add(index);
      if (this.#truncated.has(index)) {
        this.#truncated.delete(index);
        this.warnings.push({
          type: "warning",
          code: "evidence-truncated",
          message:
            `${ioc.ref.file}: IOC ${ioc.ref.id}: more than ${this.#plan.maxEvidence} evidence objects; the rest are not listed`,
          file: ioc.ref.file,
          iocId: ioc.ref.id,
        });
      }
    }
    this.#warnCutValues();
    return detections;
  }

  /** One `match-value-cut` warning per `matches` item that met values over its text limit. */
  #warnCutValues(): void {
    for (const [index, { ref, item, budget }] of (this.#plan.regexBudgets ?? []).entries()) {
      const cut = budget.cutValues - this.#cutsBefore[index]!;
      if (cut <= 0) continue;
      this.#cutsBefore[index] = budget.cutValues;
      const warning: WarningEvent = {
        type: "warning",
        code: "match-value-cut",
        message:
          `${ref.file}: IOC ${ref.id}, item ${item.id} (${item.context.search} matches): ${cut} ` +
          `value(s) longer than ${budget.textLimit} characters (the limit for a program of ` +
          `${budget.programSize} instructions) had no match in their first ${budget.textLimit}; ` +
          `the rest was not searched, so they count as non-matches that were not fully tested`,
        file: ref.file,
        iocId: ref.id,
        itemId: item.id,
      };
      if (item.position) {
        warning.line = item.position.line;
        warning.column = item.position.column;
      }
      this.warnings.push(warning);
    }
  }

  /**
   * The IOCs that did not fire but are not ruled out, in plan order: their
   * host expression is unknown rather than false in Kleene logic, where a group
   * no object satisfied is false only when all its items were evaluated and
   * objects of its document were read, and an item that is not evaluated is
   * unknown. Call after {@linkcode finish}.
   *
   * @param unobservedDocuments Lower-cased documents whose objects were not read at all
   *   (their collector was not selected or had no source).
   */
  undecided(unobservedDocuments: ReadonlySet<string> = new Set()): UndecidedIoc[] {
    const undecided: UndecidedIoc[] = [];
    const groupTruth = (number: number): Truth => {
      if (this.#satisfied.has(number)) return Truth.True;
      const group = this.#plan.groups[number]!;
      return group.complete && !unobservedDocuments.has(group.document.toLowerCase())
        ? Truth.False
        : Truth.Unknown;
    };
    for (const [index, ioc] of this.#plan.iocs.entries()) {
      if (this.#detected.has(index)) continue;
      if (hostTruth(ioc.host, groupTruth) === Truth.Unknown) {
        undecided.push({ ioc: ioc.ref, canFire: ioc.canFire });
      }
    }
    return undecided;
  }
}
