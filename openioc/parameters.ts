/**
 * OpenIOC 1.1 `<parameters>`: reading `<param>` elements and attaching them to
 * the Indicator or IndicatorItem their `ref-id` names.
 *
 * Parameters are tool metadata (comments, scores, YARA modifiers); they do not
 * change whether an item matches. A `comment` parameter also fills
 * {@linkcode IndicatorItem.comment} when the item has no 1.0 `<Comment>`, so
 * both versions present comments the same way.
 *
 * @module
 */
import type { IndicatorNode, IocParameter } from "./model.ts";
import { attributeValue, localName, textOf, type XmlElement } from "./xml_tree.ts";

/** Reports a problem with one `<param>` element. */
export type ParameterWarn = (code: string, message: string, element: XmlElement) => void;

/** Parameters read from the document, with the element each came from (same order). */
export interface ReadParameters {
  /** The parameters, in file order. */
  list: IocParameter[];
  /** The `<param>` element of each parameter, for warning positions. */
  elements: XmlElement[];
}

/**
 * Reads `<param>` elements. A param without `@ref-id` cannot be attached; it is
 * kept in the list with an empty `refId` and reported.
 */
export function readParameters(params: readonly XmlElement[], warn: ParameterWarn): ReadParameters {
  const list: IocParameter[] = [];
  const elements: XmlElement[] = [];
  for (const element of params) {
    const refId = attributeValue(element, "ref-id")?.trim() ?? "";
    const name = attributeValue(element, "name") ?? "";
    const valueElement = element.children.find((c): c is XmlElement =>
      c.kind === "element" && localName(c.name) === "value"
    );
    const parameter: IocParameter = {
      refId,
      name,
      value: valueElement === undefined ? textOf(element).trim() : textOf(valueElement),
    };
    const id = attributeValue(element, "id");
    if (id !== undefined) parameter.id = id;
    const valueType = valueElement === undefined ? undefined : attributeValue(valueElement, "type");
    if (valueType !== undefined) parameter.valueType = valueType;
    if (refId === "") warn("param-without-ref-id", `parameter "${name}" has no @ref-id`, element);
    list.push(parameter);
    elements.push(element);
  }
  return { list, elements };
}

/**
 * Attaches each parameter to every node whose id is its `refId`. Parameters
 * that name no node are reported through `onDangling` and stay only in the
 * document's list.
 */
export function attachParameters(
  parameters: readonly IocParameter[],
  nodesById: ReadonlyMap<string, readonly IndicatorNode[]>,
  onDangling: (parameter: IocParameter, element: XmlElement) => void,
  elements: readonly XmlElement[],
): void {
  parameters.forEach((parameter, index) => {
    if (parameter.refId === "") return;
    const nodes = nodesById.get(parameter.refId);
    if (nodes === undefined) {
      onDangling(parameter, elements[index]!);
      return;
    }
    for (const node of nodes) {
      node.parameters.push(parameter);
      if (
        node.kind === "item" && node.comment === undefined &&
        parameter.name.toLowerCase() === "comment"
      ) {
        node.comment = parameter.value.trim();
      }
    }
  });
}
