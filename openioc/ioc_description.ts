/**
 * A short description of a loaded document: its display name, how many items
 * it has and how many of them use a catalogued search term.
 *
 * @module
 */
import type { IndicatorItem, IndicatorNode, IocDocument } from "./model.ts";
import { resolveTerm } from "./term_catalogue.ts";

/** What `iocscan indicators` shows for one document. */
export interface IocDescription {
  /** `short_description`, or the id when there is none. */
  name: string;
  /** Number of IndicatorItems. */
  items: number;
  /**
   * Items whose search term is in the term catalogue. Not all of them are
   * evaluated by a scan: the catalogue's coverage and the content decide
   * (engine/plan.ts; `iocscan indicators` reports both).
   */
  catalogued: number;
  /** Search terms not in the catalogue, each once, as first written, in document order. */
  unsupported: string[];
}

/**
 * Every IndicatorItem of a document, in document order (depth first).
 *
 * @example
 * ```ts
 * import { iocItems } from "./ioc_description.ts";
 * import { loadIocPaths } from "./load.ts";
 * const [document] = (await loadIocPaths(["demo/iocs/invoice_dropper.ioc"])).documents;
 * const searches = iocItems(document!).map((item) => item.context.search);
 * ```
 */
export function iocItems(document: IocDocument): IndicatorItem[] {
  const items: IndicatorItem[] = [];
  const pending: IndicatorNode[] = [document.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === "item") items.push(node);
    else for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
  }
  return items;
}

/**
 * Describes a document for listings.
 *
 * @example
 * ```ts
 * import { describeIoc } from "./ioc_description.ts";
 * import { loadIocPaths } from "./load.ts";
 * const [document] = (await loadIocPaths(["demo/iocs/invoice_dropper.ioc"])).documents;
 * const { items, catalogued, unsupported } = describeIoc(document!);
 * ```
 */
export function describeIoc(document: IocDocument): IocDescription {
  const items = iocItems(document);
  const unsupported = new Map<string, string>();
  let catalogued = 0;
  for (const item of items) {
    if (resolveTerm(item.context.search) !== undefined) {
      catalogued++;
      continue;
    }
    const search = item.context.search.trim() === "" ? "(no search term)" : item.context.search;
    const key = search.toLowerCase();
    if (!unsupported.has(key)) unsupported.set(key, search);
  }
  const name = document.metadata.shortDescription?.trim();
  return {
    name: name === undefined || name === "" ? document.id : name,
    items: items.length,
    catalogued,
    unsupported: [...unsupported.values()],
  };
}
