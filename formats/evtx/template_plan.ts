/**
 * Compiled extraction plans: for a template of the usual shape
 * (`<Event><System>…</System><EventData><Data Name="…">…</Data>…</EventData></Event>`)
 * a list of (field, template parts) pairs built once per template, so that a
 * record's System fields and event data come straight from its substitution
 * values without building an element tree. Records whose values do not fit
 * the plan (nested BinXML, arrays) return undefined and take the tree path.
 *
 * @module
 */
import type { BinXmlChunk } from "./binxml.ts";
import {
  type ElementNode,
  NodeKind,
  type TemplateDefinition,
  type TemplateNode,
  type TemplatePlan,
} from "./binxml_model.ts";
import {
  type EvtxDataField,
  type EvtxSystem,
  systemElementAttributes,
  systemElementTexts,
  SystemValueKind,
} from "./model.ts";
import { storeSystemValue } from "./system_value.ts";
import { formatScalar, readInteger, ValueType } from "./values.ts";

function isFlat(parts: TemplateNode[]): boolean {
  for (const p of parts) if (typeof p !== "string" && p.k !== NodeKind.Substitution) return false;
  return true;
}

/** Whether an element disappears when its only content, an optional substitution, is NULL. */
function vanishes(element: ElementNode): boolean {
  const only = element.children.length === 1 ? element.children[0] : undefined;
  return element.attributes.length === 0 && only !== undefined && typeof only !== "string" &&
    only.k === NodeKind.Substitution && only.optional;
}

function onlyElement(nodes: TemplateNode[]): ElementNode | undefined {
  let found: ElementNode | undefined;
  for (const n of nodes) {
    if (typeof n === "string") continue;
    if (n.k !== NodeKind.Element || found) return undefined;
    found = n;
  }
  return found;
}

/** Builds the plan for a record template, or null when its shape is not the usual one. */
function buildPlan(template: TemplateDefinition): TemplatePlan | null {
  const event = onlyElement(template.nodes);
  if (!event || event.name !== "Event") return null;
  return planSections(event.children);
}

/**
 * The plan of a record template (`<Event>…`), compiled on first use and cached
 * on the template; null when its shape is not the usual one.
 */
export function recordPlan(template: TemplateDefinition): TemplatePlan | null {
  const cached = template.plan;
  if (cached !== undefined) return cached;
  return template.plan = buildPlan(template);
}

/**
 * The plan of a template inside a nested BinXML value (`<EventData>…`),
 * compiled on first use and cached on the template; null when not plannable.
 */
export function sectionPlan(template: TemplateDefinition): TemplatePlan | null {
  const cached = template.sectionPlan;
  if (cached !== undefined) return cached;
  return template.sectionPlan = planSections(template.nodes);
}

function planSections(sections: TemplateNode[]): TemplatePlan | null {
  const plan: TemplatePlan = { system: [], data: [], nested: [] };
  for (const section of sections) {
    if (typeof section === "string") continue;
    if (section.k === NodeKind.Substitution) {
      plan.nested.push(section.index);
      continue;
    }
    if (section.k !== NodeKind.Element) return null;
    if (section.name === "System") {
      for (const child of section.children) {
        if (typeof child === "string") continue;
        if (child.k !== NodeKind.Element || !isFlat(child.children)) return null;
        for (const a of child.attributes) if (!isFlat(a.parts)) return null;
        const text = systemElementTexts.get(child.name);
        if (text) {
          plan.system.push({
            field: text[0],
            kind: text[1],
            parts: child.children,
            attribute: vanishes(child),
          });
        }
        for (const [attr, field, kind] of systemElementAttributes.get(child.name) ?? []) {
          const a = child.attributes.find((x) => x.name === attr);
          if (a) plan.system.push({ field, kind, parts: a.parts, attribute: true });
        }
      }
    } else if (section.name === "EventData") {
      let position = 0;
      for (const child of section.children) {
        if (typeof child === "string") continue;
        if (child.k !== NodeKind.Element || !isFlat(child.children)) return null;
        position++;
        if (child.name === "Data") {
          const nameAttr = child.attributes.find((x) => x.name === "Name");
          if (nameAttr && !nameAttr.parts.every((p) => typeof p === "string")) return null;
          const name = nameAttr ? (nameAttr.parts as string[]).join("") : `Data${position}`;
          plan.data.push({ name, parts: child.children, vanishes: vanishes(child) });
        } else {
          if (child.attributes.length > 0) return null;
          plan.data.push({ name: child.name, parts: child.children, vanishes: vanishes(child) });
        }
      }
    } else if (section.name !== "RenderingInfo") {
      return null;
    }
  }
  return plan;
}

/** Marks a value the plan cannot render (nested BinXML, arrays). */
const unplannable = Symbol("unplannable");

function evaluate(
  chunk: BinXmlChunk,
  parts: TemplateNode[],
  values: number[],
  attribute: boolean,
): string | undefined | typeof unplannable {
  if (parts.length === 1) {
    // The usual case: one literal, or one substitution (no string building).
    const part = parts[0]!;
    if (typeof part === "string") return part;
    if (part.k === NodeKind.Substitution) {
      const j = part.index * 3;
      if (j >= values.length) return "";
      const type = values[j]!;
      const size = values[j + 2]!;
      if (type === ValueType.Null || size === 0) return part.optional && attribute ? undefined : "";
      if (type === ValueType.BinXml || (type & ValueType.ArrayFlag) !== 0) return unplannable;
      return formatScalar(chunk.bytes, chunk.view, type, values[j + 1]!, size);
    }
  }
  let s = "";
  for (const part of parts) {
    if (typeof part === "string") {
      s += part;
      continue;
    }
    if (part.k !== NodeKind.Substitution) return unplannable;
    const j = part.index * 3;
    if (j >= values.length) continue;
    const type = values[j]!;
    const size = values[j + 2]!;
    if (type === ValueType.Null || size === 0) {
      if (part.optional && attribute) return undefined;
      continue;
    }
    if (type === ValueType.BinXml || (type & ValueType.ArrayFlag) !== 0) return unplannable;
    s += formatScalar(chunk.bytes, chunk.view, type, values[j + 1]!, size);
  }
  return s;
}

/**
 * Extracts System fields and event data through a plan, or returns undefined
 * when this record's values need the general path.
 */
export function extractWithPlan(
  chunk: BinXmlChunk,
  plan: TemplatePlan,
  values: number[],
): { system: EvtxSystem; data: EvtxDataField[] } | undefined {
  const system: EvtxSystem = {};
  const target = system as Record<string, string | number>;
  for (const slot of plan.system) {
    if (slot.kind === SystemValueKind.Number && slot.parts.length === 1) {
      // A number straight from an integer value, without a round trip through text.
      const part = slot.parts[0]!;
      if (typeof part !== "string" && part.k === NodeKind.Substitution) {
        const j = part.index * 3;
        const n = j < values.length
          ? readInteger(chunk.view, values[j]!, values[j + 1]!, values[j + 2]!)
          : undefined;
        if (n !== undefined) {
          target[slot.field] = n;
          continue;
        }
      }
    }
    const value = evaluate(chunk, slot.parts, values, slot.attribute);
    if (value === unplannable) return undefined;
    if (value !== undefined) storeSystemValue(system, slot.field, slot.kind, value);
  }
  const data: EvtxDataField[] = [];
  if (!extractData(chunk, plan, values, data, 0)) return undefined;
  return { system, data };
}

function extractData(
  chunk: BinXmlChunk,
  plan: TemplatePlan,
  values: number[],
  data: EvtxDataField[],
  depth: number,
): boolean {
  for (const slot of plan.data) {
    const value = evaluate(chunk, slot.parts, values, slot.vanishes);
    if (value === unplannable) return false;
    if (value !== undefined) data.push({ name: slot.name, value });
  }
  for (const index of plan.nested) {
    const j = index * 3;
    if (j >= values.length) continue;
    const type = values[j]!;
    const size = values[j + 2]!;
    if (type === ValueType.Null || size === 0) continue;
    if (type !== ValueType.BinXml || depth > 4) return false;
    const offset = values[j + 1]!;
    const instance = chunk.instanceAt(offset, offset + size);
    if (!instance) return false;
    const nested = sectionPlan(instance.template);
    if (!nested || nested.system.length > 0) return false;
    if (!extractData(chunk, nested, instance.values, data, depth + 1)) return false;
  }
  return true;
}
