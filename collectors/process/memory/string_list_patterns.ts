/**
 * The strings to search process memory for, taken from the loaded IOCs:
 * every `ProcessItem/StringList/string` item with `contains` or `is`. The
 * engine's plan hands collectors only the top-level fields a document needs
 * (`StringList`), not the values, so the process collector asks the IOCs
 * themselves, the same way the engine compiles them: the term's text form
 * applied, case-sensitive only when the item preserves case.
 *
 * @module
 */
import type { IndicatorItem, IndicatorNode, IocDocument } from "../../../openioc/model.ts";
import { resolveTerm } from "../../../openioc/term_catalogue.ts";
import { applyTextForm } from "../../../engine/text_form.ts";
import type { MemoryPattern } from "./byte_patterns.ts";

/** The term whose items are searched in process memory. */
export const processStringListTerm = "ProcessItem/StringList/string";

/** The patterns of the IOCs, and the items on the term that a memory search cannot answer. */
export interface StringListPatterns {
  readonly patterns: readonly MemoryPattern[];
  /**
   * Items on the term with another condition (`matches`, `starts-with`,
   * `ends-with`…): a search for given strings cannot answer them, so the
   * collector leaves `StringList` unevaluated on each process (they stay
   * unknown, unless a string found for another item matches them).
   */
  readonly unanswerable: readonly IndicatorItem[];
}

/**
 * The `StringList/string` patterns of `documents` (default term:
 * {@linkcode processStringListTerm}).
 *
 * @example
 * ```ts ignore
 * import { loadIocPaths } from "../../../openioc/mod.ts";
 * import { stringListPatterns } from "./string_list_patterns.ts";
 * const { documents } = await loadIocPaths(["iocs/"]);
 * const { patterns } = stringListPatterns(documents);
 * ```
 */
export function stringListPatterns(
  documents: readonly IocDocument[],
  search = processStringListTerm,
): StringListPatterns {
  const term = resolveTerm(search);
  const patterns: MemoryPattern[] = [];
  const unanswerable: IndicatorItem[] = [];
  if (term === undefined) return { patterns, unanswerable };
  const key = term.search.toLowerCase();
  for (const document of documents) {
    for (const item of leaves(document.root)) {
      if (resolveTerm(item.context.search)?.search.toLowerCase() !== key) continue;
      if (item.condition !== "contains" && item.condition !== "is") {
        unanswerable.push(item);
        continue;
      }
      const text = applyTextForm(item.content.value, term.textForm);
      if (text.trim() === "") continue;
      patterns.push({
        text,
        caseSensitive: term.valueType === "string" && item.preserveCase,
        condition: item.condition,
      });
    }
  }
  return { patterns, unanswerable };
}

function* leaves(node: IndicatorNode): Generator<IndicatorItem> {
  if (node.kind === "item") yield node;
  else for (const child of node.children) yield* leaves(child);
}
