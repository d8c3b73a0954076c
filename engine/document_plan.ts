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
import { isScalar, type ScalarValue } from "./value_types.ts";

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
  /** Every item of the group is evaluated: when no object satisfied it, it is false, not unknown. */
  complete: boolean;
  /** The group can hold on some object with the items that are evaluated. */
  canHold: boolean;
}

/** A group that one object satisfied, with the items that held on it. */
export interface SatisfiedGroup {
  group: number;
  items: EvidenceItem[];
}

/** What evaluating one object found. */
export interface ObjectOutcome {
  satisfied: readonly SatisfiedGroup[];
  /** Lazy top-level fields that some undecided group still needs. */
  undecided: ReadonlySet<string>;
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
  /**
   * Lazy fields needed by groups that read only pending fields (they stay undecided until
   * loaded). Shared by every object with the same pending fields: read-only once analysed.
   */
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
  pendingLazyFields(
    fields: ObservedFields,
    lazy: LazyFieldSource | undefined,
  ): ReadonlySet<string> {
    if (lazy === undefined) return noFields;
    const pending = new Set<string>();
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
    // Most objects hit nothing: the hit map, and the candidate set, exist only after a hit.
    let hits: Map<number, ScalarValue[]> | undefined;
    const recordHit = (item: number, value: ScalarValue) => {
      hits ??= new Map();
      const list = hits.get(item);
      if (list === undefined) hits.set(item, [value]);
      else list.push(value);
    };
    for (let index = 0; index < this.#indexed.length; index++) {
      const field = this.#indexed[index]!;
      if (pending.size > 0 && pending.has(field.topField)) continue;
      const { segments, lowerSegments } = field.path;
      // A top-level scalar (a name, a digest) is probed as it is, without a list of values.
      const top = segments.length === 1 ? getKey(fields, segments[0]!, lowerSegments[0]!) : null;
      if (top !== null && top !== undefined && isScalar(top)) {
        field.index.probeValue(top, recordHit);
        continue;
      }
      const values = readField(fields, field.path);
      if (values.length > 0) field.index.probe(values, recordHit);
    }
    let candidates: Iterable<number> = analysis.open;
    if (hits !== undefined) {
      const withHits = new Set(analysis.open);
      for (const item of hits.keys()) withHits.add(this.#items[item]!.group);
      candidates = withHits;
    }

    let satisfied: SatisfiedGroup[] | undefined;
    let undecided: Set<string> | undefined;
    const found = hits ?? noHits;
    for (const groupId of candidates) {
      const group = this.#groups[groupId]!;
      const truth = evaluateObjectExpr(
        group.expr,
        (number) => this.#itemTruth(number, fields, pending, found),
      );
      if (truth === Truth.True) {
        (satisfied ??= []).push({
          group: groupId,
          items: this.#evidence(group, fields, pending, found),
        });
      } else if (truth === Truth.Unknown) {
        collectUnknownFields(
          group.expr,
          (number) => this.#itemTruth(number, fields, pending, found),
          (number) => this.#items[number]!.topField,
          undecided ??= new Set(analysis.lazyOnlyFields),
        );
      }
    }
    if (satisfied === undefined && undecided === undefined && analysis.lazyOnlyFields.size === 0) {
      return nothingFound;
    }
    return { satisfied: satisfied ?? [], undecided: undecided ?? analysis.lazyOnlyFields };
  }

  #itemTruth(
    number: number,
    fields: ObservedFields,
    pending: ReadonlySet<string>,
    hits: ReadonlyMap<number, ScalarValue[]>,
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
    hits: ReadonlyMap<number, ScalarValue[]>,
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
    // Objects with every field at hand (no pending lazy field) are the common case.
    const signature = pending.size === 0 ? "" : [...pending].sort().join("\n");
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

const noHits: ReadonlyMap<number, ScalarValue[]> = new Map();
const noFields: ReadonlySet<string> = new Set();
// The outcome of most objects, shared: nothing satisfied, nothing left to compute.
const nothingFound: ObjectOutcome = Object.freeze({
  satisfied: Object.freeze([]),
  undecided: noFields,
});

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
