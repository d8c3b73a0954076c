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
import type { DocumentPlan, ObjectOutcome, PlanGroup, PlanItem } from "./document_plan.ts";
import type { DetectionEvent, Evidence, IocRef, WarningEvent } from "../contracts/events.ts";
import type {
  LazyFieldSource,
  ObservedFields,
  ObservedItem,
  Unevaluated,
} from "../contracts/observed_item.ts";
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

/**
 * An item that could not be evaluated on some objects, for one reason, and on
 * how many objects of groups that stayed unknown.
 */
export interface UnevaluatedOn {
  itemId: string;
  search: string;
  reason: string;
  objects: number;
}

/** An IOC that did not fire and was not ruled out either (see {@linkcode MatchSession.undecided}). */
export interface UndecidedIoc {
  ioc: IocRef;
  /** False when no object could have made it fire: every way goes through an item not evaluated. */
  canFire: boolean;
  /**
   * Items that could not be evaluated on objects where that left a group of
   * the IOC unknown (`ObservedItem.unevaluated`, a `matches` value cut short),
   * by item and reason; empty when it is undecided for plan-level reasons only.
   */
  unevaluated: UnevaluatedOn[];
}

/** A `matches` item's work limits, with the IOC and item they belong to. */
export interface RegexBudgetRef {
  ref: IocRef;
  item: IndicatorItem;
  /** The item's number in the plan. */
  number: number;
  budget: RegexBudget;
}

/** Distinct reasons kept per item of an unknown group; further ones are counted together. */
export const MAX_UNKNOWN_REASONS = 8;
/** The reason that stands for the reasons past {@linkcode MAX_UNKNOWN_REASONS}. */
const otherReasons = "other reasons";

/** What a session shares with its plan (read-only). */
export interface SessionPlan {
  iocs: readonly PlannedIoc[];
  groups: readonly PlanGroup[];
  /** Every item of the plan, by number (names the items of unknown groups). */
  items: readonly PlanItem[];
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
  /** Groups unknown on some object: group → item → reason → objects. */
  readonly #unknown = new Map<number, Map<number, Map<string, number>>>();
  /** `matches` items → objects on which a value cut at the text limit left them unknown. */
  readonly #cut = new Map<number, number>();
  #observed = 0;

  /** Use {@linkcode CompiledPlan.createSession} rather than this constructor. */
  constructor(plan: SessionPlan) {
    this.#plan = plan;
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
    const outcome = plan.evaluate(item.fields, pending, item.unevaluated);
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
    let unevaluated: Unevaluated | undefined = item.unevaluated;
    try {
      loaded = await lazy.load(names);
      const untold = lazy.unevaluated?.();
      if (untold !== undefined) unevaluated = { ...unevaluated, ...untold };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.warnings.push({
        type: "warning",
        code: "lazy-load-failed",
        message: `${item.key}: computing ${
          names.join(", ")
        } failed: ${why}; those fields are unknown on it`,
        place: item.key,
      });
      // Not computed is not absent: items on them are unknown on this object.
      const failed: { [path: string]: string } = { ...unevaluated };
      for (const name of names) failed[name] = `computing it failed: ${why}`;
      unevaluated = failed;
    }
    // Requested fields that did not come back are missing from now on, not pending.
    const fields = { ...item.fields, ...loaded };
    const stillPending = new Set([...pending].filter((name) => !undecided.has(name)));
    this.#record(plan, item, plan.evaluate(fields, stillPending, unevaluated));
  }

  #record(plan: DocumentPlan, item: ObservedItem, outcome: ObjectOutcome): void {
    if (outcome.unknown !== undefined) this.#recordUnknown(outcome);
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

  /** Counts, per group, item and reason, the object whose groups stayed unknown. */
  #recordUnknown(outcome: ObjectOutcome): void {
    for (const { group, items } of outcome.unknown ?? []) {
      let byItem = this.#unknown.get(group);
      if (byItem === undefined) this.#unknown.set(group, byItem = new Map());
      for (const { item, reason, cut } of items) {
        let byReason = byItem.get(item);
        if (byReason === undefined) byItem.set(item, byReason = new Map());
        const key = byReason.has(reason) || byReason.size < MAX_UNKNOWN_REASONS
          ? reason
          : otherReasons;
        byReason.set(key, (byReason.get(key) ?? 0) + 1);
        if (cut) this.#cut.set(item, (this.#cut.get(item) ?? 0) + 1);
      }
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

  /**
   * One `match-value-cut` warning per `matches` item left unknown on some
   * object by a value over its text limit.
   */
  #warnCutValues(): void {
    for (const { ref, item, number, budget } of this.#plan.regexBudgets ?? []) {
      const cut = this.#cut.get(number) ?? 0;
      if (cut <= 0) continue;
      this.#cut.delete(number);
      const warning: WarningEvent = {
        type: "warning",
        code: "match-value-cut",
        message:
          `${ref.file}: IOC ${ref.id}, item ${item.id} (${item.context.search} matches): on ${cut} ` +
          `object(s), a value longer than ${budget.textLimit} characters (the limit for a program ` +
          `of ${budget.programSize} instructions) had no match in its first ${budget.textLimit}; ` +
          `the rest was not searched, so the item is unknown there, neither a match nor a miss`,
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
   * unknown. A group that no object satisfied but some object left unknown
   * (items it could not evaluate: `ObservedItem.unevaluated`, a `matches`
   * value cut short) is unknown too, and the IOC's entry names those items,
   * reasons and objects. Call after {@linkcode finish}.
   *
   * @param unobservedDocuments Lower-cased documents whose objects were not read at all
   *   (their collector was not selected or had no source).
   */
  undecided(unobservedDocuments: ReadonlySet<string> = new Set()): UndecidedIoc[] {
    const undecided: UndecidedIoc[] = [];
    const groupTruth = (number: number): Truth => {
      if (this.#satisfied.has(number)) return Truth.True;
      if (this.#unknown.has(number)) return Truth.Unknown;
      const group = this.#plan.groups[number]!;
      return group.complete && !unobservedDocuments.has(group.document.toLowerCase())
        ? Truth.False
        : Truth.Unknown;
    };
    for (const [index, ioc] of this.#plan.iocs.entries()) {
      if (this.#detected.has(index)) continue;
      if (hostTruth(ioc.host, groupTruth) === Truth.Unknown) {
        undecided.push({
          ioc: ioc.ref,
          canFire: ioc.canFire,
          unevaluated: this.#unevaluatedOn(ioc),
        });
      }
    }
    return undecided;
  }

  /** The items, reasons and object counts of an IOC's groups that objects left unknown. */
  #unevaluatedOn(ioc: PlannedIoc): UnevaluatedOn[] {
    const counts = new Map<number, Map<string, number>>();
    for (const group of ioc.groups) {
      for (const [item, byReason] of this.#unknown.get(group) ?? []) {
        let merged = counts.get(item);
        if (merged === undefined) counts.set(item, merged = new Map());
        for (const [reason, objects] of byReason) {
          merged.set(reason, (merged.get(reason) ?? 0) + objects);
        }
      }
    }
    const out: UnevaluatedOn[] = [];
    for (const item of [...counts.keys()].sort((a, b) => a - b)) {
      const { id, context } = this.#plan.items[item]!.compiled.item;
      for (const [reason, objects] of counts.get(item)!) {
        out.push({ itemId: id, search: context.search, reason, objects });
      }
    }
    return out;
  }
}
