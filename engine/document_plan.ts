/**
 * The compiled plan of one document (`FileItem`, `processEvent`…): the field
 * indexes of every indexed item, the same-object groups, and per-object
 * evaluation in three-valued logic.
 *
 * Per object, only groups that got an index hit, or that can be true without
 * one (decided at compile time, see {@linkcode DocumentPlan}), are evaluated,
 * so the cost per object does not grow with the number of indicators.
 *
 * @module
 */
import type { EvidenceItem } from "./events.ts";
import { type BoundGroup, evaluateObjectExpr, type ObjectExpr } from "./binding.ts";
import { FieldIndex } from "./field_index.ts";
import { type FieldPath, getKey, readField } from "./field_lookup.ts";
import type { CompiledItem } from "./item_condition.ts";
import type { LazyFieldSource, ObservedFields } from "./observed_item.ts";
import { Truth } from "./truth.ts";
import type { ScalarValue } from "./value_types.ts";

/** One item of the plan, placed in its IOC and group. */
export interface PlanItem {
  compiled: CompiledItem;
  ioc: number;
  /** The group the item belongs to; -1 for unsupported items (host-level FALSE). */
  group: number;
  /** The canonical top-level field the item reads (`Md5sum`, `PEInfo`…); "" when unsupported. */
  topField: string;
}

/** One same-object group of the plan. */
export interface PlanGroup extends BoundGroup {
  ioc: number;
}

/** A group that one object satisfied, with the items that held on it. */
export interface SatisfiedGroup {
  group: number;
  items: EvidenceItem[];
}

/** What evaluating one object found. */
export interface ObjectOutcome {
  satisfied: SatisfiedGroup[];
  /** Lazy top-level fields that some undecided group still needs. */
  undecided: Set<string>;
}

interface IndexedField {
  path: FieldPath;
  topField: string;
  index: FieldIndex;
}

/**
 * Which groups to evaluate for objects whose pending lazy fields are a given
 * set. Groups that evaluate to FALSE when no indexed item on a present field
 * hits (three-valued, pending fields unknown) are left out: they are only
 * evaluated after a hit.
 */
interface Analysis {
  /** Groups that may hold without a hit and read a present field: evaluated for every object. */
  open: number[];
  /** Lazy fields needed by groups that read only pending fields (they stay undecided until loaded). */
  lazyOnlyFields: Set<string>;
}

/** The compiled plan of one document. */
export class DocumentPlan {
  /** The top-level fields items of this document read (what collectors must supply). */
  readonly topFields = new Set<string>();
  readonly #items: readonly PlanItem[];
  readonly #groups: readonly PlanGroup[];
  readonly #groupIds: number[] = [];
  readonly #indexed: IndexedField[] = [];
  readonly #analyses = new Map<string, Analysis>();

  /**
   * @param document The document name.
   * @param items Every item of the plan (indexed by item number).
   * @param groups Every group of the plan (indexed by group number).
   */
  constructor(readonly document: string, items: readonly PlanItem[], groups: readonly PlanGroup[]) {
    this.#items = items;
    this.#groups = groups;
    const byField = new Map<string, IndexedField>();
    for (const [groupId, group] of groups.entries()) {
      if (group.document !== document) continue;
      this.#groupIds.push(groupId);
      for (const number of group.items) {
        const item = items[number]!;
        const { test, term, fieldKey, path } = item.compiled;
        if (test.kind === "not-evaluated" || term === undefined) continue;
        this.topFields.add(item.topField);
        if (test.kind !== "index") continue;
        let field = byField.get(fieldKey);
        if (field === undefined) {
          field = {
            path,
            topField: item.topField,
            index: new FieldIndex(term.valueType, term.textForm),
          };
          byField.set(fieldKey, field);
          this.#indexed.push(field);
        }
        field.index.add(number, test.probe);
      }
    }
    for (const field of this.#indexed) field.index.build();
  }

  /** The top-level fields this plan reads that `lazy` would compute and `fields` lacks. */
  pendingLazyFields(fields: ObservedFields, lazy: LazyFieldSource | undefined): Set<string> {
    const pending = new Set<string>();
    if (lazy === undefined) return pending;
    for (const name of this.topFields) {
      if (getKey(fields, name, name.toLowerCase()) === undefined && lazy.provides(name)) {
        pending.add(name);
      }
    }
    return pending;
  }

  /**
   * Evaluates every relevant group on one object. Items on `pending` fields are
   * unknown; a group that stays unknown reports the pending fields it reads in
   * {@linkcode ObjectOutcome.undecided}.
   */
  evaluate(fields: ObservedFields, pending: ReadonlySet<string>): ObjectOutcome {
    const analysis = this.#analyse(pending);
    const hits = new Map<number, ScalarValue[]>();
    for (const field of this.#indexed) {
      if (pending.has(field.topField)) continue;
      const values = readField(fields, field.path);
      if (values.length === 0) continue;
      field.index.probe(values, (item, value) => {
        const list = hits.get(item);
        if (list === undefined) hits.set(item, [value]);
        else list.push(value);
      });
    }
    const candidates = new Set(analysis.open);
    for (const item of hits.keys()) candidates.add(this.#items[item]!.group);

    const outcome: ObjectOutcome = { satisfied: [], undecided: new Set(analysis.lazyOnlyFields) };
    for (const groupId of candidates) {
      const group = this.#groups[groupId]!;
      const truth = evaluateObjectExpr(
        group.expr,
        (number) => this.#itemTruth(number, fields, pending, hits),
      );
      if (truth === Truth.True) {
        outcome.satisfied.push({
          group: groupId,
          items: this.#evidence(group, fields, pending, hits),
        });
      } else if (truth === Truth.Unknown) {
        collectUnknownFields(
          group.expr,
          (number) => this.#itemTruth(number, fields, pending, hits),
          (number) => this.#items[number]!.topField,
          outcome.undecided,
        );
      }
    }
    return outcome;
  }

  #itemTruth(
    number: number,
    fields: ObservedFields,
    pending: ReadonlySet<string>,
    hits: Map<number, ScalarValue[]>,
  ): Truth {
    const item = this.#items[number]!;
    const { test, path, item: source } = item.compiled;
    // Not evaluated: FALSE whatever the negate flag, so it never contributes to a hit.
    if (test.kind === "not-evaluated") return Truth.False;
    if (pending.has(item.topField)) return Truth.Unknown;
    const matched = test.kind === "index"
      ? hits.has(number)
      : readField(fields, path).some(test.test);
    // Negated: holds iff NO value matches (a missing field included).
    return matched !== source.negate ? Truth.True : Truth.False;
  }

  #evidence(
    group: PlanGroup,
    fields: ObservedFields,
    pending: ReadonlySet<string>,
    hits: Map<number, ScalarValue[]>,
  ): EvidenceItem[] {
    const out: EvidenceItem[] = [];
    for (const number of group.items) {
      const { compiled, topField } = this.#items[number]!;
      const { test, path, item } = compiled;
      // Unknown items (fields never computed) are not evidence either way.
      if (test.kind === "not-evaluated" || pending.has(topField)) continue;
      // Fast path for big hash-list groups: an un-negated indexed item without a hit did not hold.
      if (test.kind === "index" && !item.negate && !hits.has(number)) continue;
      const values = readField(fields, path);
      const matching = test.kind === "index" ? hits.get(number) ?? [] : values.filter(test.test);
      if ((matching.length > 0) === item.negate) continue;
      const observed = item.negate ? values : matching;
      const evidence: EvidenceItem = {
        id: item.id,
        search: item.context.search,
        condition: item.condition,
        negate: item.negate,
        preserveCase: item.preserveCase,
        expected: item.content.value,
      };
      if (observed.length > 0) evidence.observed = jsonValues(observed);
      out.push(evidence);
    }
    return out;
  }

  #analyse(pending: ReadonlySet<string>): Analysis {
    const signature = [...pending].sort().join("\n");
    let analysis = this.#analyses.get(signature);
    if (analysis !== undefined) return analysis;
    analysis = { open: [], lazyOnlyFields: new Set() };
    for (const groupId of this.#groupIds) {
      const group = this.#groups[groupId]!;
      const truth = evaluateObjectExpr(group.expr, (number) => {
        const item = this.#items[number]!;
        const { test, item: source } = item.compiled;
        if (test.kind === "not-evaluated") return Truth.False;
        if (pending.has(item.topField)) return Truth.Unknown;
        // No hit on an indexed item means "no match"; direct tests are not known yet.
        if (test.kind === "index") return source.negate ? Truth.True : Truth.False;
        return Truth.Unknown;
      });
      if (truth === Truth.False) continue;
      const readsPresent = group.items.some((number) => {
        const item = this.#items[number]!;
        return item.compiled.test.kind !== "not-evaluated" && !pending.has(item.topField);
      });
      if (readsPresent) {
        analysis.open.push(groupId);
        continue;
      }
      for (const number of group.items) {
        const topField = this.#items[number]!.topField;
        if (pending.has(topField)) analysis.lazyOnlyFields.add(topField);
      }
    }
    this.#analyses.set(signature, analysis);
    return analysis;
  }
}

/**
 * Adds the pending fields of the unknown items that still matter: those under
 * sub-expressions whose value is unknown (an AND already false does not need
 * its other items computed).
 */
function collectUnknownFields(
  expr: ObjectExpr,
  truth: (item: number) => Truth,
  topField: (item: number) => string,
  out: Set<string>,
): void {
  if (evaluateObjectExpr(expr, truth) !== Truth.Unknown) return;
  if (expr.op === "item") out.add(topField(expr.item));
  else for (const child of expr.children) collectUnknownFields(child, truth, topField, out);
}

function jsonValues(values: readonly ScalarValue[]): unknown {
  const json = values.map((value) =>
    value instanceof Date
      ? (Number.isNaN(value.getTime()) ? null : value.toISOString())
      : typeof value === "bigint"
      ? (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString())
      : value
  );
  return json.length === 1 ? json[0] : json;
}
