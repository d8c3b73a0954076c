/**
 * Builders for IOC model objects and a one-call matcher, shared by the engine
 * tests. Fixtures are built in code. Not part of the public API.
 *
 * @module
 */
import type {
  Condition,
  Indicator,
  IndicatorItem,
  IndicatorNode,
  IocDocument,
} from "../openioc/model.ts";
import type { DetectionEvent } from "../contracts/events.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { compilePlan, type CompilePlanOptions } from "./plan.ts";

let nextId = 0;

/** Options of {@linkcode item}. */
export interface ItemOptions {
  id?: string;
  negate?: boolean;
  preserveCase?: boolean;
  /** `Context/@document`; defaults to the first search segment. */
  document?: string;
  contentType?: string;
}

/** An IndicatorItem on `search`. */
export function item(
  search: string,
  condition: Condition,
  value: string,
  options: ItemOptions = {},
): IndicatorItem {
  return {
    kind: "item",
    id: options.id ?? `item-${++nextId}`,
    condition,
    negate: options.negate ?? false,
    preserveCase: options.preserveCase ?? false,
    context: { document: options.document ?? search.split("/")[0]!, search, type: "mir" },
    content: { type: options.contentType ?? "string", value },
    parameters: [],
  };
}

/** An AND Indicator. */
export function and(...children: IndicatorNode[]): Indicator {
  return { kind: "indicator", id: `and-${++nextId}`, operator: "AND", children, parameters: [] };
}

/** An OR Indicator. */
export function or(...children: IndicatorNode[]): Indicator {
  return { kind: "indicator", id: `or-${++nextId}`, operator: "OR", children, parameters: [] };
}

/** A 1.1 document whose top Indicator is `root` (wrapped in an OR when it is an item). */
export function ioc(
  root: IndicatorNode,
  options: { id?: string; file?: string; name?: string; contentHash?: string } = {},
): IocDocument {
  const id = options.id ?? `ioc-${++nextId}`;
  return {
    id,
    version: "1.1",
    metadata: { shortDescription: options.name ?? `IOC ${id}`, links: [] },
    root: root.kind === "item" ? or(root) : root,
    parameters: [],
    file: options.file ?? `${id}.ioc`,
    contentHash: options.contentHash ?? "0".repeat(64),
  };
}

/** An observed object (the key defaults to a counter). */
export function observed(
  document: string,
  fields: ObservedItem["fields"],
  key?: string,
): ObservedItem {
  return { document, key: key ?? `${document}#${++nextId}`, fields };
}

/**
 * Compiles `documents`, observes `objects` and returns the detections. The
 * objects are given, so every catalogued term is evaluated unless `options`
 * say `objects: "collectors"`.
 */
export async function detect(
  documents: IocDocument | IocDocument[],
  objects: ObservedItem[],
  options?: CompilePlanOptions,
): Promise<DetectionEvent[]> {
  const plan = compilePlan(Array.isArray(documents) ? documents : [documents], {
    objects: "given",
    ...options,
  });
  const session = plan.createSession();
  for (const object of objects) await session.observe(object);
  return session.finish();
}

/** Whether a single IOC made of `root` hits on `objects`. */
export async function hits(root: IndicatorNode, objects: ObservedItem[]): Promise<boolean> {
  return (await detect(ioc(root), objects)).length > 0;
}
