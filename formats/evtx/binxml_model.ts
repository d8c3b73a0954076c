/**
 * The BinXML model: template trees as the parser builds them once per chunk
 * (elements, substitutions, template instances…), told apart by a
 * {@linkcode NodeKind}, and the extraction plan compiled once per template and
 * cached on it. Types and named constants only; binxml.ts parses into this
 * model and template_plan.ts compiles plans from it.
 *
 * @module
 */
import type { EvtxSystem, SystemValueKindCode } from "./model.ts";

/** What a {@linkcode TemplateNode} that is not literal text holds. */
export const NodeKind = {
  /** An element with attributes and children ({@linkcode ElementNode}). */
  Element: 1,
  /** A substitution slot ({@linkcode SubstitutionNode}). */
  Substitution: 3,
  /** A template and a record's values ({@linkcode TemplateInstanceNode}). */
  TemplateInstance: 4,
  /** A processing instruction ({@linkcode ProcessingInstructionNode}). */
  ProcessingInstruction: 5,
  /** An entity reference other than the five XML ones ({@linkcode EntityNode}). */
  Entity: 6,
} as const;

/** An element of a template tree. */
export interface ElementNode {
  k: typeof NodeKind.Element;
  /** The element name. */
  name: string;
  /** Attributes in document order. */
  attributes: AttributeNode[];
  /** Child content in document order. */
  children: TemplateNode[];
}

/** An attribute of an {@linkcode ElementNode}: its value is made of parts. */
export interface AttributeNode {
  /** The attribute name. */
  name: string;
  /** Literal text and substitutions, concatenated. */
  parts: TemplateNode[];
}

/** A substitution slot in a template: `%index%` of a value type. */
export interface SubstitutionNode {
  k: typeof NodeKind.Substitution;
  /** Index into the record's substitution values. */
  index: number;
  /** Optional (conditional) substitution: a NULL value removes what holds it. */
  optional: boolean;
}

/** A template instance: a definition plus the record's values (type, offset, size triples). */
export interface TemplateInstanceNode {
  k: typeof NodeKind.TemplateInstance;
  /** The template it instantiates. */
  template: TemplateDefinition;
  /** Per substitution: value type, chunk-relative offset and size, flattened. */
  values: number[];
}

/** A processing instruction (`<?target data?>`). */
export interface ProcessingInstructionNode {
  k: typeof NodeKind.ProcessingInstruction;
  /** The PI target name. */
  target: string;
  /** The PI data text. */
  data: string;
}

/** An entity reference kept by name (`&name;`). */
export interface EntityNode {
  k: typeof NodeKind.Entity;
  /** The entity name. */
  name: string;
}

/** A parsed BinXML node; plain strings are literal text. */
export type TemplateNode =
  | string
  | ElementNode
  | SubstitutionNode
  | TemplateInstanceNode
  | ProcessingInstructionNode
  | EntityNode;

/** Where a plan finds one System field. */
export interface SystemSlot {
  /** The field it fills. */
  field: keyof EvtxSystem;
  /** How the value is stored. */
  kind: SystemValueKindCode;
  /** The template parts that make the value. */
  parts: TemplateNode[];
  /** Attribute values vanish with a NULL optional substitution; element text just becomes empty. */
  attribute: boolean;
}

/** Where a plan finds one event-data value. */
export interface DataSlot {
  /** The field name (`Name` attribute, `DataN` or element name). */
  name: string;
  /** The template parts that make the value. */
  parts: TemplateNode[];
  /** True when the element vanishes with a NULL optional substitution (see binxml.ts). */
  vanishes: boolean;
}

/** A compiled extraction plan for one template. */
export interface TemplatePlan {
  /** The System fields. */
  system: SystemSlot[];
  /** The event data, in document order. */
  data: DataSlot[];
  /** Substitutions holding whole sections as nested BinXML (Security's `<EventData>`). */
  nested: number[];
}

/** A template definition, parsed once per chunk. */
export interface TemplateDefinition {
  /** Chunk-relative offset of the definition header. */
  offset: number;
  /** Size of the BinXML data after the 24-byte header. */
  dataSize: number;
  /** The template tree. */
  nodes: TemplateNode[];
  /** Cache of the plan of a record template: undefined until compiled, null when not plannable. */
  plan?: TemplatePlan | null;
  /** The same for a template used inside a nested BinXML value (an `<EventData>` section). */
  sectionPlan?: TemplatePlan | null;
}
