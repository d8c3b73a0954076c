/**
 * BinXML, the token stream inside EVTX records: parsing into template trees
 * (cached per chunk) and instantiating them with a record's substitution
 * values into an {@linkcode XmlElement} tree.
 *
 * Everything a record refers to (names, template definitions, nested BinXML
 * values) lives in the same 64 KiB chunk, at chunk-relative offsets, so one
 * {@linkcode BinXmlChunk} holds the caches for one chunk.
 *
 * @module
 */
import {
  type AttributeNode,
  type ElementNode,
  NodeKind,
  type TemplateDefinition,
  type TemplateInstanceNode,
  type TemplateNode,
} from "./binxml_model.ts";
import { BinXmlToken, fragmentHeaderSize, moreDataFlag, tokenType } from "./binxml_tokens.ts";
import { fixedSize, formatArray, formatScalar, readUtf16, ValueType } from "./values.ts";
import type { XmlContent, XmlElement } from "./xml_tree.ts";

/** A structural problem in BinXML, with the chunk-relative offset where it was found. */
export class BinXmlError extends Error {
  /** Chunk-relative offset of the problem. */
  readonly offset: number;
  /** A problem described by `message`, found at the chunk-relative `offset`. */
  constructor(message: string, offset: number) {
    super(message);
    this.name = "BinXmlError";
    this.offset = offset;
  }
}

/** The XML entities, replaced by their text (a Map: evidence names the entity). */
const knownEntities: ReadonlyMap<string, string> = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);

const emptyValues: number[] = [];

/** Parser and caches for the BinXML of one chunk. */
export class BinXmlChunk {
  /** The chunk's bytes (64 KiB, or less for a truncated last chunk). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  #names = new Map<number, string>();
  #templates = new Map<number, TemplateDefinition>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Number of distinct template definitions parsed so far in this chunk. */
  get templateCount(): number {
    return this.#templates.size;
  }

  /**
   * Parses the BinXML document of a record stored at `[start, end)` and
   * instantiates it into elements.
   */
  renderRecord(start: number, end: number): XmlContent[] {
    const [nodes] = this.#parseFragment(start, end, false);
    const out: XmlContent[] = [];
    this.#instantiate(nodes, emptyValues, out);
    return out;
  }

  /**
   * Parses a record body (or a nested BinXML value) and returns its template
   * instance when the body is just that (fragment header, one template
   * instance, end) — the shape of nearly every record Windows writes — else
   * undefined.
   */
  instanceAt(start: number, end: number): TemplateInstanceNode | undefined {
    const b = this.bytes;
    const instance = start + fragmentHeaderSize;
    if (
      b[start] === BinXmlToken.FragmentHeader && b[instance] === BinXmlToken.TemplateInstance &&
      instance + 1 < end
    ) {
      // The usual shape, read directly: fragment header, template instance, end of fragment.
      const [node, next] = this.#parseTemplateInstance(instance, end);
      if (next < end && b[next] === BinXmlToken.EndOfFragment) return node;
    }
    const [nodes] = this.#parseFragment(start, end, false);
    const only = nodes.length === 1 ? nodes[0] : undefined;
    return only !== undefined && typeof only !== "string" && only.k === NodeKind.TemplateInstance
      ? only
      : undefined;
  }

  #u32(pos: number, limit: number): number {
    if (pos + 4 > limit) throw new BinXmlError("unexpected end of data", pos);
    return this.view.getUint32(pos, true);
  }

  #u16(pos: number, limit: number): number {
    if (pos + 2 > limit) throw new BinXmlError("unexpected end of data", pos);
    return this.view.getUint16(pos, true);
  }

  /** Whether a name structure plausibly sits at `offset` (used to resolve the dependency-id quirk). */
  #plausibleName(offset: number, after: number): boolean {
    if (this.#names.has(offset)) return offset === after || offset < after;
    if (offset !== after && offset >= after) return false;
    if (offset + 10 > this.bytes.length) return false;
    const count = this.view.getUint16(offset + 6, true);
    const nul = offset + 8 + 2 * count;
    return count > 0 && count < 512 && nul + 2 <= this.bytes.length &&
      this.bytes[nul] === 0 && this.bytes[nul + 1] === 0;
  }

  /** Reads the name at `offset`; returns it and the position after an inline definition. */
  #name(offset: number, pos: number): [string, number] {
    let name = this.#names.get(offset);
    if (name === undefined) {
      if (offset + 8 > this.bytes.length) throw new BinXmlError("name offset out of chunk", pos);
      const count = this.view.getUint16(offset + 6, true);
      if (offset + 10 + 2 * count > this.bytes.length) {
        throw new BinXmlError("name runs past the chunk", offset);
      }
      name = readUtf16(this.bytes, offset + 8, count);
      this.#names.set(offset, name);
    }
    if (offset === pos) pos += 10 + 2 * name.length;
    return [name, pos];
  }

  /** Parses (or returns the cached) template definition at `offset`. */
  #template(offset: number): TemplateDefinition {
    let def = this.#templates.get(offset);
    if (def) return def;
    if (offset < 512 || offset + 24 > this.bytes.length) {
      throw new BinXmlError("template definition offset out of chunk", offset);
    }
    const dataSize = this.view.getUint32(offset + 20, true);
    const start = offset + 24;
    const end = Math.min(start + dataSize, this.bytes.length);
    // Register before parsing so that a self-referencing template cannot recurse forever.
    def = { offset, dataSize, nodes: [] };
    this.#templates.set(offset, def);
    try {
      def.nodes = this.#parseFragment(start, end, true)[0];
    } catch (error) {
      this.#templates.delete(offset);
      throw error;
    }
    return def;
  }

  #parseTemplateInstance(pos: number, limit: number): [TemplateInstanceNode, number] {
    // token, unknown byte, template id
    const defOffset = this.#u32(pos + 6, limit);
    pos += 10;
    let template: TemplateDefinition;
    if (defOffset === pos) {
      template = this.#template(defOffset);
      pos = defOffset + 24 + template.dataSize;
    } else {
      template = this.#template(defOffset);
    }
    const count = this.#u32(pos, limit);
    pos += 4;
    if (count > 8192 || pos + 4 * count > limit) {
      throw new BinXmlError(`implausible substitution count ${count}`, pos - 4);
    }
    const values: number[] = new Array(3 * count);
    let data = pos + 4 * count;
    const view = this.view;
    for (let i = 0; i < count; i++) {
      const size = view.getUint16(pos, true);
      values[3 * i] = this.bytes[pos + 2]!;
      values[3 * i + 1] = data;
      values[3 * i + 2] = size;
      data += size;
      pos += 4;
    }
    if (data > limit) throw new BinXmlError("substitution values run past the record", pos);
    return [{ k: NodeKind.TemplateInstance, template, values }, data];
  }

  /**
   * Parses one BinXML fragment at `[start, limit)`. `hasDependencyId` says
   * whether element starts carry the 2-byte dependency id (template
   * definitions do; record bodies and nested BinXML values normally do not —
   * the parser checks which reading gives a valid name and takes that one).
   */
  #parseFragment(start: number, limit: number, hasDependencyId: boolean): [TemplateNode[], number] {
    const b = this.bytes;
    const root: TemplateNode[] = [];
    const stack: ElementNode[] = [];
    let attr: AttributeNode | undefined;
    let pos = start;
    const push = (node: TemplateNode) => {
      if (attr) attr.parts.push(node);
      else if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
      else root.push(node);
    };
    while (pos < limit) {
      const token = b[pos]!;
      const type = tokenType(token);
      switch (type) {
        case BinXmlToken.EndOfFragment:
          pos++;
          if (stack.length > 0) throw new BinXmlError("end of fragment inside an element", pos - 1);
          return [root, pos];
        case BinXmlToken.FragmentHeader:
          pos += fragmentHeaderSize;
          break;
        case BinXmlToken.OpenStartElement: {
          attr = undefined;
          const order = hasDependencyId ? [true, false] : [false, true];
          let nameOffset = -1;
          let after = 0;
          for (const dep of order) {
            const p = pos + 1 + (dep ? 2 : 0);
            if (p + 8 > limit) continue;
            const candidate = this.view.getUint32(p + 4, true);
            if (this.#plausibleName(candidate, p + 8)) {
              nameOffset = candidate;
              after = p + 8;
              break;
            }
          }
          if (nameOffset < 0) throw new BinXmlError("element start without a valid name", pos);
          const [name, next] = this.#name(nameOffset, after);
          pos = next;
          if (token & moreDataFlag) pos += 4; // attribute list size
          const element: ElementNode = { k: NodeKind.Element, name, attributes: [], children: [] };
          push(element);
          stack.push(element);
          break;
        }
        case BinXmlToken.CloseStartElement:
          attr = undefined;
          pos++;
          break;
        case BinXmlToken.CloseEmptyElement:
          attr = undefined;
          if (stack.pop() === undefined) throw new BinXmlError("unbalanced empty element", pos);
          pos++;
          break;
        case BinXmlToken.EndElement:
          attr = undefined;
          if (stack.pop() === undefined) throw new BinXmlError("unbalanced end element", pos);
          pos++;
          break;
        case BinXmlToken.Value: {
          const valueType = b[pos + 1]!;
          pos += 2;
          if (valueType === ValueType.String) {
            const count = this.#u16(pos, limit);
            if (pos + 2 + 2 * count > limit) {
              throw new BinXmlError("value text runs past data", pos);
            }
            push(readUtf16(b, pos + 2, count));
            pos += 2 + 2 * count;
          } else {
            // Other value types in value tokens are rare; they carry their own size prefix
            // only for strings, so sized types are read at their fixed width.
            const size = valueType === ValueType.AnsiString ? this.#u16(pos, limit) : 0;
            if (valueType === ValueType.AnsiString) pos += 2;
            const width = size || fixedSize(valueType);
            if (width === 0 || pos + width > limit) {
              throw new BinXmlError(
                `unsupported value token type 0x${valueType.toString(16)}`,
                pos,
              );
            }
            push(formatScalar(b, this.view, valueType, pos, width));
            pos += width;
          }
          break;
        }
        case BinXmlToken.Attribute: {
          const element = stack[stack.length - 1];
          if (!element) throw new BinXmlError("attribute outside an element", pos);
          const [name, next] = this.#name(this.#u32(pos + 1, limit), pos + 5);
          pos = next;
          attr = { name, parts: [] };
          element.attributes.push(attr);
          break;
        }
        case BinXmlToken.CDataSection: {
          const count = this.#u16(pos + 1, limit);
          push(readUtf16(b, pos + 3, count));
          pos += 3 + 2 * count;
          break;
        }
        case BinXmlToken.CharacterReference:
          push(String.fromCharCode(this.#u16(pos + 1, limit)));
          pos += 3;
          break;
        case BinXmlToken.EntityReference: {
          const [name, next] = this.#name(this.#u32(pos + 1, limit), pos + 5);
          pos = next;
          push(knownEntities.get(name) ?? { k: NodeKind.Entity, name });
          break;
        }
        case BinXmlToken.ProcessingInstructionTarget: { // followed by its data token
          const [target, next] = this.#name(this.#u32(pos + 1, limit), pos + 5);
          pos = next;
          let data = "";
          if (b[pos] === BinXmlToken.ProcessingInstructionData) {
            const count = this.#u16(pos + 1, limit);
            data = readUtf16(b, pos + 3, count);
            pos += 3 + 2 * count;
          }
          push({ k: NodeKind.ProcessingInstruction, target, data });
          break;
        }
        case BinXmlToken.ProcessingInstructionData: { // stray, without a target
          const count = this.#u16(pos + 1, limit);
          pos += 3 + 2 * count;
          break;
        }
        case BinXmlToken.TemplateInstance: {
          const [node, next] = this.#parseTemplateInstance(pos, limit);
          push(node);
          pos = next;
          break;
        }
        case BinXmlToken.NormalSubstitution:
        case BinXmlToken.OptionalSubstitution:
          push({
            k: NodeKind.Substitution,
            index: this.#u16(pos + 1, limit),
            optional: type === BinXmlToken.OptionalSubstitution,
          });
          pos += 4;
          break;
        default:
          throw new BinXmlError(`invalid BinXML token 0x${token.toString(16)}`, pos);
      }
    }
    if (pos > limit || stack.length > 0) {
      throw new BinXmlError("BinXML truncated", Math.min(pos, limit));
    }
    return [root, pos];
  }

  #instantiate(nodes: TemplateNode[], values: number[], out: XmlContent[]): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (typeof node === "string") {
        out.push(node);
        continue;
      }
      switch (node.k) {
        case NodeKind.Element:
          this.#instantiateElement(node, values, out);
          break;
        case NodeKind.Substitution:
          this.#substitute(node.index, values, out);
          break;
        case NodeKind.TemplateInstance:
          this.#instantiate(node.template.nodes, node.values, out);
          break;
        case NodeKind.ProcessingInstruction:
          out.push({ target: node.target, data: node.data });
          break;
        case NodeKind.Entity:
          out.push(`&${node.name};`);
          break;
      }
    }
  }

  #instantiateElement(node: ElementNode, values: number[], out: XmlContent[]): void {
    const attributes: string[] = [];
    for (const a of node.attributes) {
      let value = "";
      let drop = false;
      for (const part of a.parts) {
        if (typeof part === "string") value += part;
        else if (part.k === NodeKind.Substitution) {
          const j = part.index * 3;
          const type = j < values.length ? values[j]! : 0;
          const size = j < values.length ? values[j + 2]! : 0;
          if (type === ValueType.Null || size === 0) {
            if (part.optional) drop = true;
            continue;
          }
          const parts: XmlContent[] = [];
          this.#substitute(part.index, values, parts);
          for (const p of parts) if (typeof p === "string") value += p;
        } else if (part.k === NodeKind.Entity) value += `&${part.name};`;
      }
      if (!drop) attributes.push(a.name, value);
    }
    const only = node.children.length === 1 ? node.children[0] : undefined;
    if (only !== undefined && typeof only !== "string" && only.k === NodeKind.Substitution) {
      const j = only.index * 3;
      const type = j < values.length ? values[j]! : 0;
      // An element whose only content is an optional substitution with no value
      // vanishes, as libevtx renders it (`<Data/>` before an unnamed Binary).
      if (
        only.optional && attributes.length === 0 &&
        (type === ValueType.Null || (j < values.length ? values[j + 2]! : 0) === 0)
      ) return;
      if (type & ValueType.ArrayFlag && type !== (ValueType.ArrayFlag | ValueType.BinXml)) {
        // An array value repeats its element once per item (and at least once).
        const items = formatArray(this.bytes, this.view, type, values[j + 1]!, values[j + 2]!);
        if (items.length === 0) out.push({ name: node.name, attributes, children: [] });
        for (const item of items) {
          out.push({ name: node.name, attributes, children: item === "" ? [] : [item] });
        }
        return;
      }
    }
    const element: XmlElement = { name: node.name, attributes, children: [] };
    if (node.children.length > 0) this.#instantiate(node.children, values, element.children);
    out.push(element);
  }

  #substitute(index: number, values: number[], out: XmlContent[]): void {
    const j = index * 3;
    if (j >= values.length) return;
    const type = values[j]!;
    const offset = values[j + 1]!;
    const size = values[j + 2]!;
    if (type === ValueType.Null || size === 0) return;
    if (type === ValueType.BinXml) {
      const [nodes] = this.#parseFragment(offset, offset + size, false);
      this.#instantiate(nodes, emptyValues, out);
      return;
    }
    if (type & ValueType.ArrayFlag) {
      out.push(formatArray(this.bytes, this.view, type, offset, size).join(", "));
      return;
    }
    const text = formatScalar(this.bytes, this.view, type, offset, size);
    if (text !== "") out.push(text);
  }
}
