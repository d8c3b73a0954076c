/**
 * Compiling loaded IOC documents into a plan: every item compiled once
 * (regexes included), items bound into same-object groups (binding.ts), and
 * per-document indexes so that evaluating an object costs the same whatever
 * the number of indicators.
 *
 * @example
 * ```ts
 * import { compilePlan } from "./plan.ts";
 * import { loadIocPaths } from "../openioc/mod.ts";
 * const { documents } = await loadIocPaths(["demo/iocs"]);
 * const plan = compilePlan(documents);
 * plan.needs; // Map { "FileItem" => Set { "FileName", "Md5sum" } }
 * const session = plan.createSession();
 * await session.observe({ document: "FileItem", key: "C:\\x.exe", fields: { FileName: "x.exe" } });
 * const detections = session.finish();
 * ```
 *
 * @module
 */
import type { IndicatorItem, IndicatorNode, IocDocument } from "../openioc/model.ts";
import { bindIndicator, evaluateObjectExpr, type HostExpr } from "./binding.ts";
import { bindingText } from "./binding_text.ts";
import { DocumentPlan, type PlanGroup, type PlanItem } from "./document_plan.ts";
import type { IocRef, NotEvaluatedEvent, WarningEvent } from "../contracts/events.ts";
import { compileItem, type ObjectSource } from "./item_condition.ts";
import { memberPath } from "../openioc/nested_documents.ts";
import { MatchSession, type PlannedIoc, type RegexBudgetRef } from "./session.ts";
import { Truth } from "./truth.ts";
import { canFire } from "./verdict.ts";

/** Options of {@linkcode compilePlan}. */
export interface CompilePlanOptions {
  /** Evidence objects kept per IOC before the `evidence-truncated` warning (default 1,000). */
  maxEvidencePerIoc?: number;
  /**
   * Where the objects come from (default `collectors`, a scan): decides whether terms this
   * build's collectors do not produce are evaluated (item_condition.ts).
   */
  objects?: ObjectSource;
}

/** A compiled set of IOCs, ready to evaluate observed objects. */
export interface CompiledPlan {
  /** Per document, the top-level fields that collectors must supply (e.g. FileItem → FileName, Md5sum). */
  readonly needs: Map<string, Set<string>>;
  /** The documents that some evaluable item reads. */
  readonly documents: Set<string>;
  /** Items that cannot be evaluated (unsupported term, empty content, invalid value). */
  readonly notEvaluated: NotEvaluatedEvent[];
  /** Whether an item of the plan's documents is evaluated (false for those in `notEvaluated`). */
  isEvaluated(item: IndicatorItem): boolean;
  /** Compile warnings (invalid values and regexes), each naming file, IOC and item. */
  readonly warnings: WarningEvent[];
  /** The IOCs of the plan, in evaluation order (file, then id, then content hash). */
  readonly iocs: readonly IocRef[];
  /** What the plan knows of each IOC before any object is seen, in the order of `iocs`. */
  readonly coverage: readonly IocCoverage[];
  /** Starts evaluating a stream of observed objects. */
  createSession(): MatchSession;
}

/** What a plan knows of one IOC before any object is seen. */
export interface IocCoverage {
  ioc: IocRef;
  /** Its IndicatorItems. */
  items: number;
  /** Those of them that are not evaluated (one `not-evaluated` event each). */
  notEvaluated: number;
  /** Whether it can fire at all through the items that are evaluated (verdict.ts). */
  canFire: boolean;
  /**
   * Its binding in words (binding_text.ts): which items hold on one object, which on one
   * record of a list, and how groups combine at host level.
   */
  binding: string;
}

/** The identity of a document in events. */
export function iocRef(document: IocDocument): IocRef {
  return {
    id: document.id,
    sha256: document.contentHash,
    name: document.metadata.shortDescription ?? "",
    file: document.file,
    version: document.version,
  };
}

/**
 * Compiles documents into a plan. Documents are evaluated and reported in the
 * order of their file, then their id, then their content hash. Every document
 * given is its own IOC: documents that share an id are told apart by their
 * content hash (the loader folds byte-identical copies before this).
 */
export function compilePlan(
  documents: readonly IocDocument[],
  options: CompilePlanOptions = {},
): CompiledPlan {
  const ordered = [...documents].sort((a, b) =>
    compareText(a.file, b.file) || compareText(a.id, b.id) ||
    compareText(a.contentHash, b.contentHash)
  );
  const items: PlanItem[] = [];
  const groups: PlanGroup[] = [];
  const iocs: PlannedIoc[] = [];
  const notEvaluated: NotEvaluatedEvent[] = [];
  const warnings: WarningEvent[] = [];
  const regexBudgets: RegexBudgetRef[] = [];
  const coverage: IocCoverage[] = [];
  const notEvaluatedItems = new Set<IndicatorItem>();

  for (const [iocIndex, document] of ordered.entries()) {
    const ref = iocRef(document);
    const numbers = new Map<IndicatorItem, number>();
    const notEvaluatedBefore = notEvaluated.length;
    for (const source of leavesOf(document.root)) {
      const compiled = compileItem(source, document.version, options.objects);
      numbers.set(source, items.length);
      items.push({ compiled, ioc: iocIndex, group: -1, topField: compiled.term?.path[0] ?? "" });
      const { test } = compiled;
      if (test.kind === "direct" && test.regexBudget !== undefined) {
        regexBudgets.push({
          ref,
          item: source,
          number: items.length - 1,
          budget: test.regexBudget,
        });
      }
      if (test.kind !== "not-evaluated") continue;
      notEvaluatedItems.add(source);
      notEvaluated.push({
        type: "not-evaluated",
        ioc: ref,
        itemId: source.id,
        search: source.context.search,
        reason: test.reason,
      });
      if (test.reason === "invalid-value") {
        const warning: WarningEvent = {
          type: "warning",
          code: "invalid-value",
          message:
            `${document.file}: IOC ${document.id}, item ${source.id} (${source.context.search} ${source.condition}): ${test.detail}; the item never matches`,
          file: document.file,
          iocId: document.id,
          itemId: source.id,
        };
        if (source.position) {
          warning.line = source.position.line;
          warning.column = source.position.column;
        }
        warnings.push(warning);
      }
    }
    const binding = bindIndicator(document.root, {
      number: (item) => numbers.get(item)!,
      document: (item) => items[numbers.get(item)!]!.compiled.term?.document,
      path: (item) => items[numbers.get(item)!]!.compiled.term?.path,
    });
    const groupNumbers = new Map<number, number>();
    for (const [local, group] of binding.groups.entries()) {
      groupNumbers.set(local, groups.length);
      for (const number of group.items) {
        const item = items[number]!;
        item.group = groups.length;
        // An item read on the records of a nested list (a port of a process) reads the list.
        const { term } = item.compiled;
        const record = term && memberPath(group.document, term.document, term.path);
        if (record) item.topField = record.nested.list[0]!;
      }
      const evaluated = (number: number) => items[number]!.compiled.test.kind !== "not-evaluated";
      groups.push({
        ...group,
        ioc: iocIndex,
        complete: group.unevaluated === 0 && group.items.every(evaluated),
        canHold: evaluateObjectExpr(
          group.expr,
          (number) => evaluated(number) ? Truth.Unknown : Truth.False,
        ) !== Truth.False,
      });
    }
    const host = renumber(binding.host, groupNumbers);
    const fires = canFire(host, (group) => groups[group]!.canHold);
    iocs.push({ ref, host, groups: [...groupNumbers.values()], canFire: fires });
    coverage.push({
      ioc: ref,
      items: numbers.size,
      notEvaluated: notEvaluated.length - notEvaluatedBefore,
      canFire: fires,
      binding: bindingText(binding.host, binding.groups, (number) => items[number]!.compiled.item),
    });
  }

  const documentPlans = new Map<string, DocumentPlan>();
  for (const name of new Set(groups.map((group) => group.document))) {
    const plan = new DocumentPlan(name, items, groups);
    if (plan.topFields.size > 0) documentPlans.set(name, plan);
  }
  const needs = new Map(
    [...documentPlans].map(([name, plan]) => [name, new Set(plan.topFields)] as const),
  );
  const maxEvidence = options.maxEvidencePerIoc ?? 1000;
  return {
    needs,
    documents: new Set(documentPlans.keys()),
    notEvaluated,
    isEvaluated: (item) => !notEvaluatedItems.has(item),
    warnings,
    iocs: iocs.map((ioc) => ioc.ref),
    coverage,
    createSession: () =>
      new MatchSession({ iocs, groups, items, documentPlans, maxEvidence, regexBudgets }),
  };
}

function* leavesOf(node: IndicatorNode): Generator<IndicatorItem> {
  if (node.kind === "item") yield node;
  else for (const child of node.children) yield* leavesOf(child);
}

function renumber(expr: HostExpr, numbers: Map<number, number>): HostExpr {
  switch (expr.op) {
    case "group":
      return { op: "group", group: numbers.get(expr.group)! };
    case "and":
    case "or":
      return { op: expr.op, children: expr.children.map((child) => renumber(child, numbers)) };
    case "false":
    case "unknown":
      return expr;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
