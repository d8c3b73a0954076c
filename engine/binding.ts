/**
 * Same-object binding: which IndicatorItems must hold on one and the same
 * observed object, and which combine at host level.
 *
 * The rule (docs/matching.md has examples):
 *
 * 1. Directly nested AND-in-AND and OR-in-OR are flattened first.
 * 2. A node whose leaves all belong to ONE document (after term resolution, so
 *    `eventItem/processEvent/…` and `processEvent/…` are the same document) is a
 *    single-document subtree. It is evaluated per object: it holds at host level
 *    iff some single object of that document satisfies it. An AND subtree becomes
 *    one **group**; an OR at host level keeps one group per alternative, which is
 *    the same truth (∃o: a(o) ∨ b(o) ⇔ ∃o: a(o) ∨ ∃o: b(o)) and lets evidence
 *    name the alternative that held.
 * 3. At an AND node, all children that are single-document subtrees of the same
 *    document D merge into ONE group (one object must satisfy all of them).
 *    Children of different documents, and mixed children, combine at host level.
 * 4. A mixed subtree (an AND or OR whose leaves span documents) combines its
 *    parts at host level; each part binds independently by the same rule.
 *
 * An unsupported item belongs to no document: it never holds wherever it
 * sits. Under an AND it blocks the hit, under an OR it is ignored, and it
 * never splits a same-object group: `AND(F a, OR(F b, Yara c))` still needs a
 * and b on one file. It never joins a group. At host level it is an `unknown`
 * node (false for detection, unknown for completeness: verdict.ts); inside a
 * group it is counted in the group's `unevaluated`. An Indicator with no items
 * is FALSE.
 *
 * Nested documents (openioc/nested_documents.ts: a process's ports are
 * `ProcessItem/PortList/PortItem`):
 *
 * 5. At an AND node, the member-document children (PortItem) join the group of
 *    the owner-document children (ProcessItem) of the same AND: they are read
 *    on the records of the owner's list (the ports of that process). So does a
 *    child whose items all read such records in either spelling
 *    (`OR(PortItem/remoteIP, ProcessItem/PortList/PortItem/remotePort)`).
 * 6. Inside a group, the items that read records of a nested list (joined
 *    PortItem items, and `ProcessItem/PortList/PortItem/…` items) are bound to
 *    one record: a subtree of such items only is an `element` node (some one
 *    record satisfies it), and at an AND all such children merge into one
 *    `element` node, so one port must satisfy all of them.
 *
 * @module
 */
import type { Indicator, IndicatorItem, IndicatorNode } from "../openioc/model.ts";
import { memberPath, nestedDocuments, nestedIn } from "../openioc/nested_documents.ts";
import { Truth } from "./truth.ts";

/** An expression over the items of one group, evaluated against one object. */
export type ObjectExpr =
  | { op: "and" | "or"; children: ObjectExpr[] }
  | { op: "item"; item: number }
  | ElementExpr;

/**
 * Some one record of the list at `list` (a process's `PortList/PortItem`)
 * satisfies `expr`, whose items read inside that record.
 */
export interface ElementExpr {
  op: "element";
  list: readonly string[];
  expr: ObjectExpr;
}

/**
 * The host-level expression of an IOC: groups combined by AND/OR. `false` is
 * an empty Indicator; `unknown` an item that is not evaluated (no document),
 * which never holds but whose truth is not known either.
 */
export type HostExpr =
  | { op: "and" | "or"; children: HostExpr[] }
  | { op: "group"; group: number }
  | { op: "false" }
  | { op: "unknown" };

/** One same-object group: its items must hold on one object of `document`. */
export interface BoundGroup {
  document: string;
  /** The id of the Indicator node the group belongs to (the AND that merged it, or its own root). */
  indicator: string;
  expr: ObjectExpr;
  /** Item numbers in document order. */
  items: number[];
  /** Items without a document (unsupported terms) folded into the group as never holding. */
  unevaluated: number;
}

/** The outcome of binding one IOC. */
export interface Binding {
  host: HostExpr;
  groups: BoundGroup[];
}

/**
 * What the binder needs to know about each item: its number, its document
 * (undefined when the term is unsupported) and its field path (which tells
 * `ProcessItem/PortList/PortItem/…` items apart; without it, only items of a
 * member document are read on records).
 */
export interface ItemFacts {
  number(item: IndicatorItem): number;
  document(item: IndicatorItem): string | undefined;
  path?(item: IndicatorItem): readonly string[] | undefined;
}

/**
 * Binds an IOC's indicator tree into host-level groups.
 *
 * @example `AND(FileItem a, OR(FileItem b, RegistryItem c))`
 * ```text
 * host: AND(group{FileItem: a}, OR(group{FileItem: b}, group{RegistryItem: c}))
 * ```
 * The OR mixes documents, so it combines at host level; `a` and `b` may be
 * satisfied by different files.
 */
export function bindIndicator(root: Indicator, facts: ItemFacts): Binding {
  const groups: BoundGroup[] = [];
  const docsMemo = new Map<IndicatorNode, Set<string>>();
  const leaves = new Map<number, IndicatorItem>();
  for (const leaf of leavesOf(root)) leaves.set(facts.number(leaf), leaf);
  // Which nested list of `owner` an item reads a record of (rule 6), by its number.
  const recordList = (owner: string, number: number): readonly string[] | undefined => {
    const leaf = leaves.get(number)!;
    const document = facts.document(leaf);
    if (document === undefined) return undefined;
    return memberPath(owner, document, facts.path?.(leaf) ?? [])?.nested.list;
  };

  // An unsupported item has no document: it is a FALSE constant, so it neither makes a
  // subtree mixed nor forms a group of its own (objectExpr writes it as an empty OR).
  const documents = (node: IndicatorNode): Set<string> => {
    let docs = docsMemo.get(node);
    if (docs === undefined) {
      if (node.kind === "item") {
        const document = facts.document(node);
        docs = new Set(document === undefined ? [] : [document]);
      } else {
        docs = new Set(node.children.flatMap((child) => [...documents(child)]));
      }
      docsMemo.set(node, docs);
    }
    return docs;
  };
  const singleDocument = (node: IndicatorNode): string | undefined => {
    const docs = documents(node);
    if (docs.size !== 1) return undefined;
    const [document] = docs;
    return document;
  };
  // Whether every item below `node` reads a record of a nested list of `owner` (a PortItem
  // item, or a `ProcessItem/PortList/PortItem/…` one); items without a document are FALSE
  // constants and do not count either way.
  const readsRecordsOnly = (node: IndicatorNode, owner: string): boolean => {
    const leaves = [...leavesOf(node)].filter((leaf) => facts.document(leaf) !== undefined);
    return leaves.length > 0 &&
      leaves.every((leaf) => recordList(owner, facts.number(leaf)) !== undefined);
  };
  const addGroup = (
    document: string,
    indicator: string,
    expr: ObjectExpr,
    unevaluated: number,
  ): HostExpr => {
    const bound = nestedIn(document).length === 0
      ? expr
      : bindRecords(expr, (number) => recordList(document, number));
    const items = itemsOf(bound).sort((a, b) => a - b);
    groups.push({ document, indicator, expr: bound, items, unevaluated });
    return { op: "group", group: groups.length - 1 };
  };
  const convert = (node: IndicatorNode, parentId: string): HostExpr => {
    if (node.kind === "item") {
      const document = facts.document(node);
      return document === undefined
        ? { op: "unknown" }
        : addGroup(document, parentId, { op: "item", item: facts.number(node) }, 0);
    }
    if (documents(node).size === 0) {
      return leafCount(node) === 0 ? { op: "false" } : { op: "unknown" };
    }
    // At host level an OR keeps one group per alternative, even when all are of one document:
    // "some object satisfies a OR b" is "some object satisfies a, or some object satisfies b",
    // and evidence then names the alternative that held and lists only its items.
    if (node.operator === "OR") {
      return { op: "or", children: node.children.map((child) => convert(child, node.id)) };
    }
    const document = singleDocument(node);
    if (document !== undefined) {
      return addGroup(document, node.id, objectExpr(node, facts), unsupportedLeaves(node, facts));
    }
    // AND: merge same-document children into one group per document; the rest stays host-level.
    // Parts keep the order of first appearance, so groups are numbered in document order.
    type Bucket = { document: string; exprs: ObjectExpr[]; unevaluated: number };
    const parts: (Bucket | IndicatorNode)[] = [];
    const buckets = new Map<string, Bucket>();
    for (const child of node.children) {
      const childDocument = singleDocument(child);
      if (childDocument === undefined) {
        parts.push(child);
        continue;
      }
      let bucket = buckets.get(childDocument);
      if (bucket === undefined) {
        bucket = { document: childDocument, exprs: [], unevaluated: 0 };
        buckets.set(childDocument, bucket);
        parts.push(bucket);
      }
      bucket.exprs.push(objectExpr(child, facts));
      bucket.unevaluated += unsupportedLeaves(child, facts);
    }
    // Rule 5: the member document's children join the owner's group of this AND, and so does
    // a subtree whose every item reads a record of the list however it is spelled
    // (`OR(PortItem/remoteIP, ProcessItem/PortList/PortItem/remotePort)`): it is one
    // document's subtree in two spellings, not a mixed one.
    for (const nested of nestedDocuments) {
      const owner = buckets.get(nested.owner);
      if (owner === undefined) continue;
      for (const part of [...parts]) {
        if ("exprs" in part || !readsRecordsOnly(part, nested.owner)) continue;
        owner.exprs.push(objectExpr(part, facts));
        owner.unevaluated += unsupportedLeaves(part, facts);
        parts.splice(parts.indexOf(part), 1);
      }
      const member = buckets.get(nested.member);
      if (member === undefined) continue;
      owner.exprs.push(...member.exprs);
      owner.unevaluated += member.unevaluated;
      buckets.delete(nested.member);
      parts.splice(parts.indexOf(member), 1);
    }
    const children = parts.map((part) =>
      "exprs" in part
        ? addGroup(
          part.document,
          node.id,
          part.exprs.length === 1 ? part.exprs[0]! : { op: "and", children: part.exprs },
          part.unevaluated,
        )
        : convert(part, node.id)
    );
    return { op: "and", children };
  };

  return { host: convert(flatten(root), root.id), groups };
}

/** Flattens directly nested AND-in-AND and OR-in-OR (rule 1); keeps the outer node's id. */
export function flatten(node: Indicator): Indicator {
  const children: IndicatorNode[] = [];
  for (const child of node.children) {
    if (child.kind === "item") {
      children.push(child);
      continue;
    }
    const flat = flatten(child);
    // An empty Indicator stays as it is: it is FALSE, and splicing its (no) children in would drop it.
    if (flat.operator === node.operator && flat.children.length > 0) {
      children.push(...flat.children);
    } else children.push(flat);
  }
  return { ...node, children };
}

/**
 * Rule 6: binds the items that read records of a nested list to one record.
 * `listOf` names the list an item reads a record of (undefined: a field of the
 * object itself). Subtrees without items (unsupported items) stay where they are.
 */
function bindRecords(
  expr: ObjectExpr,
  listOf: (item: number) => readonly string[] | undefined,
): ObjectExpr {
  const onlyList = (node: ObjectExpr): readonly string[] | undefined => {
    const items = itemsOf(node);
    if (items.length === 0) return undefined;
    const list = listOf(items[0]!);
    return list !== undefined && items.every((item) => listOf(item) === list) ? list : undefined;
  };
  const whole = onlyList(expr);
  if (whole !== undefined) return { op: "element", list: whole, expr };
  if (expr.op === "item" || expr.op === "element") return expr;
  if (expr.op === "or") {
    return { op: "or", children: expr.children.map((child) => bindRecords(child, listOf)) };
  }
  // AND: the children on one list merge into one element node, where the first of them was.
  const parts: (ObjectExpr | { list: readonly string[]; members: ObjectExpr[] })[] = [];
  const merged = new Map<readonly string[], { list: readonly string[]; members: ObjectExpr[] }>();
  for (const child of expr.children) {
    const list = onlyList(child);
    if (list === undefined) {
      parts.push(bindRecords(child, listOf));
      continue;
    }
    const record = merged.get(list);
    if (record !== undefined) record.members.push(child);
    else {
      const created = { list, members: [child] };
      merged.set(list, created);
      parts.push(created);
    }
  }
  const children = parts.map((part): ObjectExpr =>
    "members" in part
      ? {
        op: "element",
        list: part.list,
        expr: part.members.length === 1 ? part.members[0]! : { op: "and", children: part.members },
      }
      : part
  );
  return { op: "and", children };
}

function* leavesOf(node: IndicatorNode): Generator<IndicatorItem> {
  if (node.kind === "item") yield node;
  else for (const child of node.children) yield* leavesOf(child);
}

function objectExpr(node: IndicatorNode, facts: ItemFacts): ObjectExpr {
  if (node.kind === "item") {
    // An unsupported item is FALSE on every object: an empty OR, outside the group's items.
    return facts.document(node) === undefined
      ? { op: "or", children: [] }
      : { op: "item", item: facts.number(node) };
  }
  const children = node.children.map((child) => objectExpr(child, facts));
  // An Indicator without children is FALSE: an empty OR.
  if (children.length === 0) return { op: "or", children };
  if (children.length === 1) return children[0]!;
  return { op: node.operator === "AND" ? "and" : "or", children };
}

/** The IndicatorItems below a node. */
function leafCount(node: IndicatorNode): number {
  return node.kind === "item" ? 1 : node.children.reduce((sum, child) => sum + leafCount(child), 0);
}

/** The items below a node that have no document (unsupported terms). */
function unsupportedLeaves(node: IndicatorNode, facts: ItemFacts): number {
  if (node.kind === "item") return facts.document(node) === undefined ? 1 : 0;
  return node.children.reduce((sum, child) => sum + unsupportedLeaves(child, facts), 0);
}

function itemsOf(expr: ObjectExpr): number[] {
  if (expr.op === "item") return [expr.item];
  if (expr.op === "element") return itemsOf(expr.expr);
  return expr.children.flatMap(itemsOf);
}

/**
 * Evaluates an object expression with short-circuiting three-valued logic.
 * `element` decides an {@linkcode ElementExpr} (some record satisfies it);
 * without it, its inner expression is evaluated with `item`, as when each
 * item's truth already stands for the object as a whole (compile-time analysis).
 */
export function evaluateObjectExpr(
  expr: ObjectExpr,
  item: (item: number) => Truth,
  element?: (expr: ElementExpr) => Truth,
): Truth {
  if (expr.op === "item") return item(expr.item);
  if (expr.op === "element") {
    return element === undefined ? evaluateObjectExpr(expr.expr, item) : element(expr);
  }
  const stop = expr.op === "and" ? Truth.False : Truth.True;
  let result: Truth = expr.op === "and" ? Truth.True : Truth.False;
  for (const child of expr.children) {
    const value = evaluateObjectExpr(child, item, element);
    if (value === stop) return stop;
    if (value === Truth.Unknown) result = Truth.Unknown;
  }
  return result;
}

/** Evaluates a host expression given which groups some object satisfied. */
export function evaluateHostExpr(expr: HostExpr, satisfied: (group: number) => boolean): boolean {
  switch (expr.op) {
    case "false":
    case "unknown":
      return false;
    case "group":
      return satisfied(expr.group);
    case "and":
      return expr.children.length > 0 &&
        expr.children.every((child) => evaluateHostExpr(child, satisfied));
    case "or":
      return expr.children.some((child) => evaluateHostExpr(child, satisfied));
  }
}

/**
 * The groups whose evidence explains a true host expression: every child of a
 * true AND, and the true children of a true OR.
 */
export function contributingGroups(
  expr: HostExpr,
  satisfied: (group: number) => boolean,
  out: number[] = [],
): number[] {
  if (!evaluateHostExpr(expr, satisfied)) return out;
  if (expr.op === "group") out.push(expr.group);
  else if (expr.op === "and" || expr.op === "or") {
    for (const child of expr.children) contributingGroups(child, satisfied, out);
  }
  return out;
}
