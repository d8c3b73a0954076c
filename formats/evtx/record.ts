/**
 * One event record: header fields read eagerly (id, written time), the BinXML
 * body decoded on first use, then System fields and event data picked from it.
 *
 * @module
 */
import type { BinXmlChunk } from "./binxml.ts";
import {
  type EvtxDataField,
  type EvtxSystem,
  systemElementAttributes,
  systemElementTexts,
} from "./model.ts";
import { storeSystemValue } from "./system_value.ts";
import { extractWithPlan, recordPlan } from "./template_plan.ts";
import { filetimeToIso, filetimeToUnixMs } from "./time.ts";
import {
  attribute,
  childElement,
  isElement,
  textOf,
  toXml,
  type XmlContent,
  type XmlElement,
} from "./xml_tree.ts";

/** Picks the System fields out of a rendered `<Event>` element. */
export function systemFields(event: XmlElement | undefined): EvtxSystem {
  const system: EvtxSystem = {};
  const element = event && childElement(event, "System");
  if (!element) return system;
  for (const child of element.children) {
    if (!isElement(child)) continue;
    const text = systemElementTexts.get(child.name);
    if (text) storeSystemValue(system, text[0], text[1], textOf(child));
    for (const [name, field, kind] of systemElementAttributes.get(child.name) ?? []) {
      const value = attribute(child, name);
      if (value !== undefined) storeSystemValue(system, field, kind, value);
    }
  }
  return system;
}

/** Text of an element including the text of nested elements (nested BinXML values). */
function deepText(element: XmlElement): string {
  let s = "";
  for (const c of element.children) {
    if (typeof c === "string") s += c;
    else if (isElement(c)) s += deepText(c);
  }
  return s;
}

function hasElementChildren(element: XmlElement): boolean {
  for (const c of element.children) if (isElement(c)) return true;
  return false;
}

function flatten(element: XmlElement, out: EvtxDataField[]): void {
  for (const child of element.children) {
    if (!isElement(child)) continue;
    if (hasElementChildren(child)) {
      flatten(child, out);
      continue;
    }
    const name = attribute(child, "Name") ?? child.name;
    const text = textOf(child);
    if (text !== "" || child.attributes.length === 0) out.push({ name, value: text });
    for (let i = 0; i < child.attributes.length; i += 2) {
      const attr = child.attributes[i]!;
      if (attr === "Name" || attr.startsWith("xmlns")) continue;
      out.push({ name: `${name}.${attr}`, value: child.attributes[i + 1]! });
    }
  }
}

/**
 * Flattens `<EventData>` and `<UserData>` (and the other non-System sections)
 * into named values. `<Data Name="X">` gives `X`; unnamed `<Data>` elements
 * are named by position, `Data1`, `Data2`…; UserData leaves give their element
 * names.
 */
export function eventDataFields(event: XmlElement | undefined): EvtxDataField[] {
  const out: EvtxDataField[] = [];
  if (!event) return out;
  for (const section of event.children) {
    if (!isElement(section) || section.name === "System" || section.name === "RenderingInfo") {
      continue;
    }
    if (section.name === "EventData") {
      let position = 0;
      for (const child of section.children) {
        if (!isElement(child)) continue;
        position++;
        if (child.name === "Data") {
          const name = attribute(child, "Name") ?? `Data${position}`;
          out.push({ name, value: hasElementChildren(child) ? deepText(child) : textOf(child) });
        } else if (hasElementChildren(child)) {
          flatten(child, out);
        } else {
          out.push({ name: child.name, value: textOf(child) });
        }
      }
    } else {
      flatten(section, out);
    }
  }
  return out;
}

/** An event record of an EVTX file. */
export class EvtxRecord {
  /** The record identifier from the record header (`EventRecordID`). */
  readonly recordId: number;
  /** Byte offset of the record in the file. */
  readonly fileOffset: number;
  /** True for a stale copy carved from chunk slack (only with the reader's `recovered` option). */
  readonly recovered: boolean;
  readonly #chunk: BinXmlChunk;
  readonly #start: number;
  readonly #end: number;
  readonly #timeLow: number;
  readonly #timeHigh: number;
  #content: XmlContent[] | undefined;
  #fields: { system: EvtxSystem; data: EvtxDataField[] } | undefined;

  /** @internal Built by the chunk reader. */
  constructor(
    chunk: BinXmlChunk,
    chunkOffset: number,
    start: number,
    end: number,
    recordId: number,
    timeLow: number,
    timeHigh: number,
    recovered = false,
  ) {
    this.recovered = recovered;
    this.#chunk = chunk;
    this.#start = start;
    this.#end = end;
    this.recordId = recordId;
    this.fileOffset = chunkOffset + start - 24;
    this.#timeLow = timeLow;
    this.#timeHigh = timeHigh;
  }

  /** The written time from the record header, ISO-8601 UTC with 100 ns precision. */
  get writtenTime(): string {
    return filetimeToIso(this.#timeLow, this.#timeHigh);
  }

  /** The written time as (fractional) milliseconds since the Unix epoch. */
  get writtenTimeMs(): number {
    return filetimeToUnixMs(this.#timeLow, this.#timeHigh);
  }

  /**
   * The decoded record body. Decoding happens once, on first use; throws a
   * BinXmlError or RangeError when the BinXML is damaged.
   */
  content(): XmlContent[] {
    return this.#content ??= this.#chunk.renderRecord(this.#start, this.#end);
  }

  /** The `<Event>` element (the first element of the body). */
  event(): XmlElement | undefined {
    for (const node of this.content()) if (isElement(node)) return node;
    return undefined;
  }

  /**
   * System fields and event data, decoded once. Uses the template's compiled
   * plan when the record has the usual shape (no element tree is built), else
   * the element tree. Throws like {@linkcode content} on damaged data.
   */
  #decode(): { system: EvtxSystem; data: EvtxDataField[] } {
    if (this.#fields) return this.#fields;
    if (this.#content === undefined) {
      const instance = this.#chunk.instanceAt(this.#start, this.#end);
      if (instance) {
        const plan = recordPlan(instance.template);
        const fields = plan ? extractWithPlan(this.#chunk, plan, instance.values) : undefined;
        if (fields) return this.#fields = fields;
      }
    }
    const event = this.event();
    return this.#fields = { system: systemFields(event), data: eventDataFields(event) };
  }

  /** The System fields. */
  system(): EvtxSystem {
    return this.#decode().system;
  }

  /** The EventData/UserData values in document order. */
  data(): EvtxDataField[] {
    return this.#decode().data;
  }

  /** The record rendered as XML text. */
  toXml(): string {
    let s = "";
    for (const node of this.content()) s += toXml(node);
    return s;
  }
}
