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
import type { EvidenceItem } from "../contracts/events.ts";
import {
  type BoundGroup,
  type ElementExpr,
  evaluateObjectExpr,
  type ObjectExpr,
} from "./binding.ts";
import { FieldIndex } from "./field_index.ts";
import { type FieldPath, fieldPath, getKey, readField, readRecords } from "./field_lookup.ts";
import { memberPath, type NestedDocument } from "../openioc/nested_documents.ts";
import type { CompiledItem } from "./item_condition.ts";
import type { LazyFieldSource, ObservedFields, Unevaluated } from "../contracts/observed_item.ts";
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

/** An item that was unknown on one object for a reason other than a field still to compute. */
export interface UnknownItem {
  /** The item's number in the plan. */
  item: number;
  /** Why it could not be evaluated (the object's `unevaluated` reason, or the regex text limit). */
  reason: string;
  /** Whether a `matches` value cut at its text limit made it unknown. */
  cut: boolean;
}

/** A group left unknown on one object by items that could not be evaluated there. */
export interface UnknownGroup {
  group: number;
  items: UnknownItem[];
}

/** What evaluating one object found. */
export interface ObjectOutcome {
  satisfied: readonly SatisfiedGroup[];
  /** Lazy top-level fields that some undecided group still needs. */
  undecided: ReadonlySet<string>;
  /**
   * Groups neither satisfied nor failed on this object because some of their items could
   * not be evaluated on it (`ObservedItem.unevaluated`, a `matches` value cut at its text
   * limit). Absent when there are none.
   */
  unknown?: readonly UnknownGroup[];
}

interface IndexedField {
  path: FieldPath;
  topField: string;
  index: FieldIndex;
}

/** A nested list of this document's objects (a process's ports) that some items read. */
interface RecordList {
  nested: NestedDocument;
  path: FieldPath;
  /** The list's top-level field (`PortList`). */
  topField: string;
  /** The indexed items read on its records, by field. */
  indexed: IndexedField[];
}

/** The records of one list on one object, with the index hits of each record. */
interface ObjectRecords {
  records: readonly ObservedFields[];
  hits: ReadonlyMap<number, ScalarValue[]>[];
}

/** What evaluating one object keeps at hand for its items. */
interface ObjectContext {
  fields: ObservedFields;
  pending: ReadonlySet<string>;
  hits: ReadonlyMap<number, ScalarValue[]>;
  cannotTell: ReadonlyMap<number, string> | undefined;
  /** The records of each nested list the plan reads, by list (absent while the list is pending). */
  records: ReadonlyMap<RecordList, ObjectRecords>;
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
  /** Each evaluated item of this document with its lower-cased `/`-joined field path. */
  readonly #itemPaths: { item: number; path: string }[] = [];
  /** Lower-cased `unevaluated` key → the items of this document at or below it. */
  readonly #covered = new Map<string, readonly number[]>();
  /** The nested lists items read records of, and each such item with its path in a record. */
  readonly #lists: RecordList[] = [];
  readonly #recordItems = new Map<number, { list: RecordList; path: FieldPath }>();

  /**
   * @param document The document name.
   * @param items Every item of the plan (indexed by item number).
   * @param groups Every group of the plan (indexed by group number).
   */
  constructor(readonly document: string, items: readonly PlanItem[], groups: readonly PlanGroup[]) {
    this.#items = items;
    this.#groups = groups;
    const byField = new Map<string, IndexedField>();
    const lists = new Map<NestedDocument, RecordList>();
    for (const [groupId, group] of groups.entries()) {
      if (group.document !== document) continue;
      this.#groupIds.push(groupId);
      for (const number of group.items) {
        const item = items[number]!;
        const { test, term, fieldKey } = item.compiled;
        if (test.kind === "not-evaluated" || term === undefined) continue;
        this.topFields.add(item.topField);
        let path = item.compiled.path;
        let indexed = this.#indexed;
        // An item read on the records of a nested list: its path inside one record.
        const record = memberPath(document, term.document, term.path);
        if (record !== undefined) {
          let list = lists.get(record.nested);
          if (list === undefined) {
            list = {
              nested: record.nested,
              path: fieldPath(record.nested.list),
              topField: item.topField,
              indexed: [],
            };
            lists.set(record.nested, list);
            this.#lists.push(list);
          }
          path = fieldPath(record.path);
          indexed = list.indexed;
          this.#recordItems.set(number, { list, path });
          this.#itemPaths.push({
            item: number,
            path: [...list.path.lowerSegments, ...path.lowerSegments].join("/"),
          });
        } else this.#itemPaths.push({ item: number, path: path.lowerSegments.join("/") });
        if (test.kind !== "index") continue;
        let field = byField.get(fieldKey);
        if (field === undefined) {
          field = {
            path,
            topField: item.topField,
            index: new FieldIndex(term.valueType, term.textForm),
          };
          byField.set(fieldKey, field);
          indexed.push(field);
        }
        field.index.add(number, test.probe);
      }
    }
    for (const field of this.#indexed) field.index.build();
    for (const list of this.#lists) for (const field of list.indexed) field.index.build();
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
   * {@linkcode ObjectOutcome.undecided}. Items on `unevaluated` fields that no
   * value of the object matches are unknown too, and so are `matches` items
   * whose values were cut at the text limit without a match; a group they
   * leave unknown is listed in {@linkcode ObjectOutcome.unknown}.
   */
  evaluate(
    fields: ObservedFields,
    pending: ReadonlySet<string>,
    unevaluated?: Unevaluated,
  ): ObjectOutcome {
    const analysis = this.#analyse(pending);
    const cannotTell = unevaluated === undefined ? undefined : this.#coveredItems(unevaluated);
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
    // The records of nested lists (a process's ports), each probed on its own.
    let records: Map<RecordList, ObjectRecords> | undefined;
    let recordHitGroups: Set<number> | undefined;
    for (const list of this.#lists) {
      if (pending.has(list.topField)) continue;
      const found = readRecords(fields, list.path);
      const recordHits = found.map((record) => {
        let own: Map<number, ScalarValue[]> | undefined;
        for (const field of list.indexed) {
          const values = readField(record, field.path);
          if (values.length === 0) continue;
          field.index.probe(values, (item, value) => {
            own ??= new Map();
            const seen = own.get(item);
            if (seen === undefined) own.set(item, [value]);
            else seen.push(value);
            (recordHitGroups ??= new Set()).add(this.#items[item]!.group);
          });
        }
        return own ?? noHits;
      });
      (records ??= new Map()).set(list, { records: found, hits: recordHits });
    }
    let candidates: Iterable<number> = analysis.open;
    if (hits !== undefined || cannotTell !== undefined || recordHitGroups !== undefined) {
      const withHits = new Set(analysis.open);
      if (hits !== undefined) {
        for (const item of hits.keys()) withHits.add(this.#items[item]!.group);
      }
      if (recordHitGroups !== undefined) {
        for (const group of recordHitGroups) withHits.add(group);
      }
      // A group whose items cannot be told on this object may be unknown without any hit.
      if (cannotTell !== undefined) {
        for (const item of cannotTell.keys()) withHits.add(this.#items[item]!.group);
      }
      candidates = withHits;
    }

    let satisfied: SatisfiedGroup[] | undefined;
    let undecided: Set<string> | undefined;
    let unknown: UnknownGroup[] | undefined;
    const context: ObjectContext = {
      fields,
      pending,
      hits: hits ?? noHits,
      cannotTell,
      records: records ?? noRecords,
    };
    const itemTruth = (number: number) => this.#objectItemTruth(number, context);
    const elementTruth = (expr: ElementExpr) => this.#elementTruth(expr, context).truth;
    for (const groupId of candidates) {
      const group = this.#groups[groupId]!;
      const truth = evaluateObjectExpr(group.expr, itemTruth, elementTruth);
      if (truth === Truth.True) {
        (satisfied ??= []).push({
          group: groupId,
          items: this.#evidence(group, context),
        });
      } else if (truth === Truth.Unknown) {
        const topField = (number: number) => this.#items[number]!.topField;
        const missing = undecided ?? new Set(analysis.lazyOnlyFields);
        collectUnknownFields(group.expr, itemTruth, topField, pending, missing);
        if (missing.size > 0) undecided = missing;
        const items = this.#unknownItems(group, itemTruth, context);
        if (items.length > 0) (unknown ??= []).push({ group: groupId, items });
      }
    }
    if (
      satisfied === undefined && undecided === undefined && unknown === undefined &&
      analysis.lazyOnlyFields.size === 0
    ) {
      return nothingFound;
    }
    const outcome: ObjectOutcome = {
      satisfied: satisfied ?? [],
      undecided: undecided ?? analysis.lazyOnlyFields,
    };
    if (unknown !== undefined) outcome.unknown = unknown;
    return outcome;
  }

  /**
   * An item's truth on the object: for an item read on records, whether some record
   * satisfies it (what unknown-item reports and the fields still to load go by).
   */
  #objectItemTruth(number: number, context: ObjectContext): Truth {
    const record = this.#recordItems.get(number);
    if (record === undefined) {
      const { fields, pending, hits, cannotTell } = context;
      return this.#itemTruth(number, fields, pending, hits, cannotTell, undefined);
    }
    const single: ElementExpr = {
      op: "element",
      list: record.list.nested.list,
      expr: { op: "item", item: number },
    };
    return this.#elementTruth(single, context, record.list).truth;
  }

  /**
   * Whether some one record of the element's list satisfies it, and the first that
   * does. No record: false, or unknown when the object could not evaluate the list.
   */
  #elementTruth(
    expr: ElementExpr,
    context: ObjectContext,
    knownList?: RecordList,
  ): { truth: Truth; record?: number; list?: RecordList } {
    const first = elementItems(expr.expr)[0];
    const list = knownList ??
      (first === undefined ? undefined : this.#recordItems.get(first)?.list);
    if (list === undefined) return { truth: Truth.False };
    const found = context.records.get(list);
    if (found === undefined) return { truth: Truth.Unknown, list };
    let result: Truth = Truth.False;
    for (let index = 0; index < found.records.length; index++) {
      const fields = found.records[index]!;
      const hits = found.hits[index]!;
      const truth = evaluateObjectExpr(
        expr.expr,
        (number) => this.#itemTruth(number, fields, noFields, hits, context.cannotTell, list),
      );
      if (truth === Truth.True) return { truth, record: index, list };
      if (truth === Truth.Unknown) result = Truth.Unknown;
    }
    // A list the object could not read whole: no record seen satisfies it, but one not seen may
    // (a negated port item holds on any port not seen), so "none" is unknown, never false.
    if (result === Truth.False && context.cannotTell !== undefined) {
      if (elementItems(expr.expr).some((number) => context.cannotTell!.has(number))) {
        return { truth: Truth.Unknown, list };
      }
    }
    return { truth: result, list };
  }

  /** An item's truth on `fields`: the object, or one record of `list` for an item read on records. */
  #itemTruth(
    number: number,
    fields: ObservedFields,
    pending: ReadonlySet<string>,
    hits: ReadonlyMap<number, ScalarValue[]>,
    cannotTell: ReadonlyMap<number, string> | undefined,
    list: RecordList | undefined,
  ): Truth {
    const item = this.#items[number]!;
    const { test, item: source } = item.compiled;
    const path = list === undefined ? item.compiled.path : this.#recordItems.get(number)!.path;
    // Not evaluated: FALSE whatever the negate flag, so it never contributes to a hit.
    if (test.kind === "not-evaluated") return Truth.False;
    if (list === undefined && pending.has(item.topField)) return Truth.Unknown;
    let matched: boolean;
    if (test.kind === "index") matched = hits.has(number);
    else {
      matched = false;
      let untold = false;
      const values = readField(fields, path);
      for (let index = 0; index < values.length; index++) {
        const result = test.test(values[index]!);
        if (result === true) {
          matched = true;
          break;
        }
        if (result === undefined) untold = true;
      }
      // No value matched, but one could not be fully tested (a `matches` value cut at its limit).
      if (!matched && untold) return Truth.Unknown;
    }
    // A field the object could not evaluate: a value it does carry may match; no match is unknown.
    if (!matched && cannotTell !== undefined && cannotTell.has(number)) return Truth.Unknown;
    // Negated: holds iff NO value matches (a missing field included).
    return matched !== source.negate ? Truth.True : Truth.False;
  }

  /** The items of an unknown group that are unknown for a reason other than a pending field. */
  #unknownItems(
    group: PlanGroup,
    itemTruth: (item: number) => Truth,
    context: ObjectContext,
  ): UnknownItem[] {
    const { pending, cannotTell } = context;
    const out: UnknownItem[] = [];
    for (const number of group.items) {
      const { compiled, topField } = this.#items[number]!;
      if (pending.has(topField) || itemTruth(number) !== Truth.Unknown) continue;
      const reason = cannotTell?.get(number);
      if (reason !== undefined && !this.#anyValueUntold(number, context)) {
        out.push({ item: number, reason, cut: false });
        continue;
      }
      const budget = compiled.test.kind === "direct" ? compiled.test.regexBudget : undefined;
      out.push({
        item: number,
        cut: budget !== undefined,
        reason: budget === undefined
          ? "could not be evaluated"
          : `a value longer than ${budget.textLimit} characters (the limit for a program of ` +
            `${budget.programSize} instructions) had no match in its first ${budget.textLimit}; ` +
            `the rest was not searched`,
      });
    }
    return out;
  }

  /** The items of this document that `unevaluated` covers, with the reason (undefined: none). */
  #coveredItems(unevaluated: Unevaluated): Map<number, string> | undefined {
    let out: Map<number, string> | undefined;
    for (const key in unevaluated) {
      if (!Object.hasOwn(unevaluated, key)) continue;
      const lower = key.toLowerCase();
      let items = this.#covered.get(lower);
      if (items === undefined) {
        const below = `${lower}/`;
        items = this.#itemPaths
          .filter(({ path }) => path === lower || path.startsWith(below))
          .map(({ item }) => item);
        // Keys come from collectors (a few fixed paths), so the memo stays small.
        this.#covered.set(lower, items);
      }
      for (const item of items) (out ??= new Map()).set(item, unevaluated[key]!);
    }
    return out;
  }

  /** Whether a direct test could not tell on some value of the item (a `matches` value cut short). */
  #anyValueUntold(number: number, context: ObjectContext): boolean {
    const { compiled } = this.#items[number]!;
    const record = this.#recordItems.get(number);
    if (record === undefined) return anyValueUntold(compiled.test, context.fields, compiled.path);
    const found = context.records.get(record.list);
    return found !== undefined &&
      found.records.some((fields) => anyValueUntold(compiled.test, fields, record.path));
  }

  #evidence(group: PlanGroup, context: ObjectContext): EvidenceItem[] {
    const { fields, pending, hits, cannotTell } = context;
    // Items read on records: the first record of each element node that held on the object.
    const chosen = this.#recordsThatHeld(group.expr, context);
    const out: EvidenceItem[] = [];
    for (const number of group.items) {
      const { compiled, topField } = this.#items[number]!;
      const record = this.#recordItems.get(number);
      if (record !== undefined) {
        const held = chosen.get(number);
        if (held === undefined) continue;
        const evidence = this.#evidenceItem(
          number,
          held.fields,
          record.path,
          held.hits,
          cannotTell,
        );
        if (evidence === undefined) continue;
        evidence.element = `${record.list.path.segments.join("/")}: ${
          record.list.nested.describe(held.fields)
        }`;
        out.push(evidence);
        continue;
      }
      // Unknown items (fields never computed) are not evidence either way.
      if (compiled.test.kind === "not-evaluated" || pending.has(topField)) continue;
      const evidence = this.#evidenceItem(number, fields, compiled.path, hits, cannotTell);
      if (evidence !== undefined) out.push(evidence);
    }
    return out;
  }

  /**
   * Walks the element nodes of a satisfied group that hold on the object (every
   * child of a true AND, the true children of a true OR) and maps each of their
   * items to the first record that satisfied the node.
   */
  #recordsThatHeld(
    expr: ObjectExpr,
    context: ObjectContext,
  ): Map<number, { fields: ObservedFields; hits: ReadonlyMap<number, ScalarValue[]> }> {
    const out = new Map<
      number,
      { fields: ObservedFields; hits: ReadonlyMap<number, ScalarValue[]> }
    >();
    if (this.#recordItems.size === 0) return out;
    const itemTruth = (number: number) => this.#objectItemTruth(number, context);
    const elementTruth = (node: ElementExpr) => this.#elementTruth(node, context).truth;
    const walk = (node: ObjectExpr): void => {
      if (node.op === "item") return;
      if (node.op === "element") {
        const { truth, record, list } = this.#elementTruth(node, context);
        const found = list && context.records.get(list);
        if (truth !== Truth.True || record === undefined || found === undefined) return;
        const held = { fields: found.records[record]!, hits: found.hits[record]! };
        for (const number of elementItems(node.expr)) out.set(number, held);
        return;
      }
      for (const child of node.children) {
        if (evaluateObjectExpr(child, itemTruth, elementTruth) === Truth.True) walk(child);
      }
    };
    walk(expr);
    return out;
  }

  /** One item's evidence on `fields` (the object or one record), or undefined when it did not hold. */
  #evidenceItem(
    number: number,
    fields: ObservedFields,
    path: FieldPath,
    hits: ReadonlyMap<number, ScalarValue[]>,
    cannotTell: ReadonlyMap<number, string> | undefined,
  ): EvidenceItem | undefined {
    const { test, item } = this.#items[number]!.compiled;
    if (test.kind === "not-evaluated") return undefined;
    // Fast path for big hash-list groups: an un-negated indexed item without a hit did not hold.
    if (test.kind === "index" && !item.negate && !hits.has(number)) return undefined;
    const values = readField(fields, path);
    const matching = test.kind === "index"
      ? hits.get(number) ?? []
      : values.filter((value) => test.test(value) === true);
    if ((matching.length > 0) === item.negate) return undefined;
    // Unknown on this object (a field it could not evaluate, a value not fully searched):
    // it did not hold, whichever way it is negated.
    if (
      matching.length === 0 &&
      (cannotTell?.has(number) || anyValueUntold(test, fields, path))
    ) return undefined;
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
    return evidence;
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
  pending: ReadonlySet<string>,
  out: Set<string>,
): void {
  if (evaluateObjectExpr(expr, truth) !== Truth.Unknown) return;
  if (expr.op === "item") {
    // Only fields still to compute: an item unknown for good (not evaluable here) needs no load.
    const field = topField(expr.item);
    if (pending.has(field)) out.add(field);
  } else if (expr.op === "element") {
    collectUnknownFields(expr.expr, truth, topField, pending, out);
  } else {for (const child of expr.children) {
      collectUnknownFields(child, truth, topField, pending, out);
    }}
}

/** The items below an element node's expression. */
function elementItems(expr: ObjectExpr): number[] {
  if (expr.op === "item") return [expr.item];
  if (expr.op === "element") return elementItems(expr.expr);
  return expr.children.flatMap(elementItems);
}

/** Whether a direct test could not tell on some value at `path` (a `matches` value cut short). */
function anyValueUntold(test: CompiledItem["test"], fields: ObservedFields, path: FieldPath) {
  return test.kind === "direct" && test.regexBudget !== undefined &&
    readField(fields, path).some((value) => test.test(value) === undefined);
}

const noHits: ReadonlyMap<number, ScalarValue[]> = new Map();
const noRecords: ReadonlyMap<RecordList, ObjectRecords> = new Map();
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
