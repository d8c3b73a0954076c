/**
 * The rendered form of an event record: a small XML element tree, and its
 * serialisation to text.
 *
 * @module
 */

/** A processing instruction inside a record (`<?target data?>`). */
export interface XmlProcessingInstruction {
  /** The PI target name. */
  target: string;
  /** The PI data text. */
  data: string;
}

/** Element content: child elements, text (unescaped) and processing instructions. */
export type XmlContent = XmlElement | string | XmlProcessingInstruction;

/** One element; `attributes` holds name/value pairs flattened: `[n0, v0, n1, v1…]`. */
export interface XmlElement {
  /** The element name. */
  name: string;
  /** Attribute names and values, flattened. */
  attributes: string[];
  /** Child content in document order. */
  children: XmlContent[];
}

/** Whether a content node is an element. */
export function isElement(node: XmlContent): node is XmlElement {
  return typeof node === "object" && "children" in node;
}

/** The value of an attribute, or undefined. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const a = element.attributes;
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

/** The concatenated text directly inside an element. */
export function textOf(element: XmlElement): string {
  const c = element.children;
  if (c.length === 1 && typeof c[0] === "string") return c[0];
  let s = "";
  for (const n of c) if (typeof n === "string") s += n;
  return s;
}

/** The first child element with the given name. */
export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  for (const n of element.children) if (isElement(n) && n.name === name) return n;
  return undefined;
}

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => escapes[c]!) : text;
}

/**
 * Serialises content as indented XML (two spaces, like evtxexport). Elements
 * whose content is only text stay on one line.
 *
 * @example
 * ```ts
 * import { toXml } from "./xml_tree.ts";
 * toXml({ name: "EventID", attributes: [], children: ["4624"] }); // "<EventID>4624</EventID>\n"
 * ```
 */
export function toXml(node: XmlContent, indent = ""): string {
  if (typeof node === "string") return indent + escapeXml(node) + "\n";
  if (!isElement(node)) return `${indent}<?${node.target} ${node.data}?>\n`;
  let open = `${indent}<${node.name}`;
  const a = node.attributes;
  for (let i = 0; i < a.length; i += 2) open += ` ${a[i]}="${escapeXml(a[i + 1]!)}"`;
  const c = node.children;
  if (c.length === 0) return `${open}/>\n`;
  if (c.every((n) => typeof n === "string")) {
    return `${open}>${escapeXml((c as string[]).join(""))}</${node.name}>\n`;
  }
  let s = `${open}>\n`;
  for (const n of c) s += toXml(n, indent + "  ");
  return `${s}${indent}</${node.name}>\n`;
}
