/**
 * Parsing the event XML that `wevtutil qe … /f:RenderedXml` prints (one
 * `<Event>` per record, with a `<RenderingInfo>` holding the formatted
 * message) into {@linkcode WindowsEvent}s. A small purpose-built parser: the
 * input is machine-written, and it must be fast and never throw.
 *
 * @module
 */
import {
  childElement,
  eventDataFields,
  systemFields,
  textOf,
  type XmlContent,
  type XmlElement,
} from "../../formats/evtx/mod.ts";
import { type EventOrigin, type WindowsEvent, windowsEvent } from "./windows_event.ts";

/** The XML entities (a Map: the text names the entity). */
const entities: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** Replaces XML entity and character references. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return entities.get(ref) ?? whole;
  });
}

/**
 * Parses an XML document into its root element, or undefined when it is not
 * well-formed enough to read. Comments, the XML declaration and processing
 * instructions are dropped; CDATA becomes text.
 *
 * @example
 * ```ts
 * import { parseXmlElement } from "./rendered_xml.ts";
 * parseXmlElement("<a x='1'>t&amp;u<b/></a>");
 * // { name: "a", attributes: ["x", "1"], children: ["t&u", { name: "b", … }] }
 * ```
 */
export function parseXmlElement(xml: string): XmlElement | undefined {
  const root: XmlElement = { name: "#root", attributes: [], children: [] };
  const stack: XmlElement[] = [root];
  let pos = 0;
  const attrPattern = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
  while (pos < xml.length) {
    const lt = xml.indexOf("<", pos);
    const top = stack[stack.length - 1]!;
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > pos) {
      const text = xml.slice(pos, textEnd);
      if (stack.length > 1) top.children.push(decodeEntities(text));
    }
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt + 4);
      if (end < 0) return undefined;
      pos = end + 3;
    } else if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt + 9);
      if (end < 0) return undefined;
      top.children.push(xml.slice(lt + 9, end));
      pos = end + 3;
    } else if (xml[lt + 1] === "?" || xml[lt + 1] === "!") {
      const end = xml.indexOf(">", lt);
      if (end < 0) return undefined;
      pos = end + 1;
    } else if (xml[lt + 1] === "/") {
      const end = xml.indexOf(">", lt);
      if (end < 0 || stack.length <= 1) return undefined;
      dropIndentation(stack.pop()!);
      pos = end + 1;
    } else {
      let p = lt + 1;
      while (p < xml.length && !/[\s/>]/.test(xml[p]!)) p++;
      const element: XmlElement = { name: xml.slice(lt + 1, p), attributes: [], children: [] };
      for (;;) {
        while (p < xml.length && /\s/.test(xml[p]!)) p++;
        attrPattern.lastIndex = p;
        const m = attrPattern.exec(xml);
        if (!m) break;
        element.attributes.push(m[1]!, decodeEntities(m[3] ?? m[4] ?? ""));
        p = attrPattern.lastIndex;
      }
      while (p < xml.length && /\s/.test(xml[p]!)) p++;
      top.children.push(element);
      if (xml.startsWith("/>", p)) pos = p + 2;
      else if (xml[p] === ">") {
        stack.push(element);
        pos = p + 1;
      } else return undefined;
    }
  }
  const first = root.children.find((c): c is XmlElement =>
    typeof c === "object" && "children" in c
  );
  return first;
}

/** Drops whitespace-only text between child elements (pretty-printing), keeping leaf text as is. */
function dropIndentation(element: XmlElement): void {
  if (!element.children.some((c) => typeof c === "object")) return;
  element.children = element.children.filter((c) => typeof c !== "string" || c.trim() !== "");
}

function stripPrefix(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Drops namespace prefixes so that `<e:Event>` reads like `<Event>`. */
function localNames(element: XmlElement): XmlElement {
  return {
    name: stripPrefix(element.name),
    attributes: element.attributes,
    children: element.children.map((c: XmlContent) =>
      typeof c === "object" && "children" in c ? localNames(c) : c
    ),
  };
}

/**
 * Converts one rendered `<Event>` document to a {@linkcode WindowsEvent}, or
 * undefined when it is not an event.
 */
export function eventFromRenderedXml(xml: string, origin: string): WindowsEvent | undefined {
  const parsed = parseXmlElement(xml);
  if (!parsed) return undefined;
  const event = localNames(parsed);
  if (event.name !== "Event") return undefined;
  const system = systemFields(event);
  const from: EventOrigin = { recordId: 0, data: eventDataFields(event), origin };
  // A rendered event has no record header: it was written when it was created.
  if (system.timeCreated !== undefined) from.writtenTime = system.timeCreated;
  const result = windowsEvent(system, from);
  const rendering = childElement(event, "RenderingInfo");
  if (rendering) {
    const message = childElement(rendering, "Message");
    const level = childElement(rendering, "Level");
    const task = childElement(rendering, "Task");
    if (message) result.message = textOf(message);
    if (level) result.levelName = textOf(level);
    if (task && textOf(task) !== "") result.taskName = textOf(task);
  }
  return result;
}

/**
 * Splits a stream of text holding concatenated `<Event>` documents (wevtutil
 * output, with or without an `<Events>` wrapper) into one document per event.
 * Feed it text as it arrives; it returns the complete documents seen so far.
 */
export class EventXmlSplitter {
  #buffer = "";

  /** Adds text and returns the complete `<Event>…</Event>` documents in it. */
  push(text: string): string[] {
    this.#buffer += text;
    const out: string[] = [];
    for (;;) {
      const start = this.#buffer.search(/<Event[\s>]/);
      if (start < 0) {
        // Keep a tail in case a start tag is split across pushes.
        if (this.#buffer.length > 16) this.#buffer = this.#buffer.slice(-16);
        return out;
      }
      const end = this.#buffer.indexOf("</Event>", start);
      if (end < 0) {
        this.#buffer = this.#buffer.slice(start);
        return out;
      }
      out.push(this.#buffer.slice(start, end + 8));
      this.#buffer = this.#buffer.slice(end + 8);
    }
  }
}
