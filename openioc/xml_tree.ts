/**
 * A small, strict, non-validating XML reader for the subset OpenIOC files use:
 * elements, attributes, text, CDATA, comments and processing instructions.
 *
 * Why not a general XML library: IOC files are hostile input, and the loader
 * needs document order across differently named siblings (items after
 * sub-Indicators) plus a line:column for every element and every error.
 * This reader keeps order, records the offset of every node, and refuses what
 * an IOC never needs and an attacker would use:
 *
 * - any `<!DOCTYPE …>` (so no entity expansion and no external entities; the
 *   only references are the five predefined entities and character references),
 * - nesting deeper than a fixed limit (checked as it goes, without recursion),
 * - characters that XML 1.0 does not allow (binary data).
 *
 * Comments and processing instructions are skipped. Line endings inside text
 * and attribute values are normalised to `\n`, as XML requires.
 *
 * @module
 */
import { LineIndex } from "./source_positions.ts";
import { XmlSyntaxError } from "./xml_error.ts";

/** One attribute of an element, value with references resolved. */
export interface XmlAttribute {
  /** The qualified name as written, e.g. `xmlns:xsi` or `id`. */
  name: string;
  /** The value with references resolved and whitespace characters normalised to spaces. */
  value: string;
  /** Offset of the attribute name in the text. */
  offset: number;
}

/** An element with its children in document order. */
export interface XmlElement {
  /** Distinguishes elements from text in {@linkcode XmlNode}. */
  kind: "element";
  /** The qualified name as written, e.g. `ioc` or `ns:ioc`. */
  name: string;
  /** Attributes in the order written. */
  attributes: XmlAttribute[];
  /** Elements and character data in document order (comments and PIs left out). */
  children: XmlNode[];
  /** Offset of the `<` that opens the element. */
  offset: number;
}

/** Character data (text or CDATA) inside an element. */
export interface XmlText {
  /** Distinguishes text from elements in {@linkcode XmlNode}. */
  kind: "text";
  /** The characters, references resolved, line ends normalised to `\n`. */
  text: string;
  /** Offset of the first character (or of `<![CDATA[`). */
  offset: number;
}

/** A child of an element. */
export type XmlNode = XmlElement | XmlText;

/** The XML declaration, when the document has one. */
export interface XmlDeclaration {
  /** `version`, e.g. `1.0`. */
  version: string;
  /** `encoding` as written, e.g. `us-ascii`. */
  encoding?: string;
  /** `standalone` as written. */
  standalone?: string;
}

/** A parsed document. */
export interface XmlDocument {
  /** The document element. */
  root: XmlElement;
  /** The XML declaration, when present. */
  declaration?: XmlDeclaration;
  /** Converts node offsets into lines and columns. */
  lines: LineIndex;
}

/** Limits that keep hostile documents bounded. */
export interface ParseXmlOptions {
  /** The deepest element nesting accepted; deeper is an error. Defaults to 256. */
  maxDepth?: number;
}

/** The default limit on element nesting (real IOC files go about 12 deep). */
export const defaultMaxXmlDepth = 256;

const nameAt = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
// Control characters are exactly what this pattern looks for (XML 1.0 forbids them).
// deno-lint-ignore no-control-regex
const invalidChar = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
/** The five predefined entities; a Map, so `&__proto__;` or `&constructor;` is no entity. */
const predefinedEntities: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);
/** A reference: `&`, a name or `#…`, and `;` (missing in a malformed one). */
const referencePattern = /&([^;&\s<]*);?/g;
/** The longest piece of hostile text quoted in an error message. */
const maxQuotedChars = 40;

/**
 * Parses an XML document.
 *
 * @throws {XmlSyntaxError} When the text is not well-formed, has a DOCTYPE, or nests too deep.
 *
 * @example
 * ```ts
 * import { parseXml } from "./xml_tree.ts";
 * const { root } = parseXml("<a><b/>text<c x='1'/></a>");
 * root.children.map((c) => c.kind === "element" ? c.name : c.text); // ["b", "text", "c"]
 * ```
 */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlDocument {
  return new XmlReader(text, options.maxDepth ?? defaultMaxXmlDepth).read();
}

/** The part of a qualified name after its prefix: `ns:ioc` → `ioc`. */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The value of the attribute named `name` (qualified name, exact), if present. */
export function attributeValue(element: XmlElement, name: string): string | undefined {
  for (const attribute of element.attributes) if (attribute.name === name) return attribute.value;
  return undefined;
}

/** The namespace URI of an element declared on that element itself (`xmlns` or `xmlns:prefix`). */
export function ownNamespace(element: XmlElement): string | undefined {
  const colon = element.name.indexOf(":");
  const declaration = colon === -1 ? "xmlns" : `xmlns:${element.name.slice(0, colon)}`;
  return attributeValue(element, declaration);
}

/** The concatenated character data directly inside an element. */
export function textOf(element: XmlElement): string {
  let text = "";
  for (const child of element.children) if (child.kind === "text") text += child.text;
  return text;
}

class XmlReader {
  readonly #text: string;
  readonly #maxDepth: number;
  readonly #lines: LineIndex;
  #at = 0;

  constructor(text: string, maxDepth: number) {
    this.#text = text;
    this.#maxDepth = maxDepth;
    this.#lines = new LineIndex(text);
  }

  read(): XmlDocument {
    const bad = invalidChar.exec(this.#text);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).padStart(4, "0");
      this.#fail(
        `character U+${code.toUpperCase()} is not allowed in XML (binary data?)`,
        bad.index,
      );
    }
    const declaration = this.#readDeclaration();
    this.#skipMisc("before the root element");
    if (this.#at >= this.#text.length) this.#fail("no root element", this.#at);
    const root = this.#readElementTree();
    this.#skipMisc("after the root element");
    if (this.#at < this.#text.length) this.#fail("content after the root element", this.#at);
    return declaration === undefined
      ? { root, lines: this.#lines }
      : { root, declaration, lines: this.#lines };
  }

  #fail(message: string, offset: number): never {
    throw new XmlSyntaxError(message, this.#lines.positionOf(offset));
  }

  #readDeclaration(): XmlDeclaration | undefined {
    const text = this.#text;
    if (!/^<\?xml[\s?]/.test(text)) return undefined;
    const end = text.indexOf("?>");
    if (end === -1) this.#fail("unterminated XML declaration", 0);
    const body = text.slice(5, end);
    const pseudo = /\s*([a-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
    const values = new Map<string, string>();
    // Trimmed once: trimming on every pass would rescan trailing spaces per pseudo-attribute.
    const bodyEnd = body.trimEnd().length;
    let position = 0;
    while (position < bodyEnd) {
      pseudo.lastIndex = position;
      const match = pseudo.exec(body);
      if (!match) this.#fail("malformed XML declaration", 5 + position);
      values.set(match[1]!, match[2] ?? match[3] ?? "");
      position = pseudo.lastIndex;
    }
    const version = values.get("version");
    if (version === undefined) this.#fail("XML declaration without a version", 0);
    this.#at = end + 2;
    const declaration: XmlDeclaration = { version };
    const encoding = values.get("encoding");
    if (encoding !== undefined) declaration.encoding = encoding;
    const standalone = values.get("standalone");
    if (standalone !== undefined) declaration.standalone = standalone;
    return declaration;
  }

  /** Skips whitespace, comments and processing instructions outside the root element. */
  #skipMisc(where: string): void {
    const text = this.#text;
    for (;;) {
      while (this.#at < text.length && isSpace(text.charCodeAt(this.#at))) this.#at++;
      if (text.startsWith("<!--", this.#at)) this.#skipComment();
      else if (text.startsWith("<?", this.#at)) this.#skipInstruction();
      else if (text.startsWith("<!DOCTYPE", this.#at) || text.startsWith("<!doctype", this.#at)) {
        this.#fail(
          "DOCTYPE declarations are not accepted (they allow entity expansion and external entities)",
          this.#at,
        );
      } else if (this.#at < text.length && text[this.#at] !== "<") {
        this.#fail(`text ${where}`, this.#at);
      } else if (this.#at < text.length && text.startsWith("<!", this.#at)) {
        this.#fail(`unexpected markup ${where}`, this.#at);
      } else return;
    }
  }

  #skipComment(): void {
    const end = this.#text.indexOf("-->", this.#at + 4);
    if (end === -1) this.#fail("unterminated comment", this.#at);
    this.#at = end + 3;
  }

  #skipInstruction(): void {
    const start = this.#at;
    nameAt.lastIndex = start + 2;
    const target = nameAt.exec(this.#text)?.[0];
    if (target === undefined) this.#fail("malformed processing instruction", start);
    if (target.toLowerCase() === "xml") {
      this.#fail("XML declaration is only allowed at the very start of the file", start);
    }
    const end = this.#text.indexOf("?>", start + 2);
    if (end === -1) this.#fail("unterminated processing instruction", start);
    this.#at = end + 2;
  }

  #readName(): string {
    nameAt.lastIndex = this.#at;
    const match = nameAt.exec(this.#text);
    if (!match) this.#fail("expected a name", this.#at);
    this.#at = nameAt.lastIndex;
    return match[0];
  }

  /** Reads the root element and everything inside it, iteratively. */
  #readElementTree(): XmlElement {
    const text = this.#text;
    const root = this.#readStartTag();
    if (root.selfClosing) return root.element;
    const stack: XmlElement[] = [root.element];
    while (stack.length > 0) {
      const parent = stack[stack.length - 1]!;
      const lt = text.indexOf("<", this.#at);
      if (lt === -1) {
        const open = this.#lines.positionOf(parent.offset);
        this.#fail(
          `unexpected end of file: <${parent.name}> opened at ${open.line}:${open.column} is not closed`,
          text.length,
        );
      }
      if (lt > this.#at) {
        const raw = text.slice(this.#at, lt);
        const cdataEnd = raw.indexOf("]]>");
        if (cdataEnd !== -1) this.#fail("']]>' is not allowed in text", this.#at + cdataEnd);
        parent.children.push({
          kind: "text",
          text: this.#resolve(raw, this.#at),
          offset: this.#at,
        });
        this.#at = lt;
      }
      if (text.startsWith("</", lt)) {
        this.#at = lt + 2;
        const name = this.#readName();
        while (this.#at < text.length && isSpace(text.charCodeAt(this.#at))) this.#at++;
        if (text[this.#at] !== ">") this.#fail(`malformed end tag </${name}`, lt);
        this.#at++;
        if (name !== parent.name) {
          const open = this.#lines.positionOf(parent.offset);
          this.#fail(
            `end tag </${name}> does not match <${parent.name}> opened at ${open.line}:${open.column}`,
            lt,
          );
        }
        stack.pop();
      } else if (text.startsWith("<!--", lt)) {
        this.#skipComment();
      } else if (text.startsWith("<![CDATA[", lt)) {
        const end = text.indexOf("]]>", lt + 9);
        if (end === -1) this.#fail("unterminated CDATA section", lt);
        parent.children.push({
          kind: "text",
          text: normaliseLineEnds(text.slice(lt + 9, end)),
          offset: lt,
        });
        this.#at = end + 3;
      } else if (text.startsWith("<?", lt)) {
        this.#skipInstruction();
      } else if (text.startsWith("<!", lt)) {
        this.#fail(
          text.startsWith("<!DOCTYPE", lt)
            ? "DOCTYPE declarations are not accepted (they allow entity expansion and external entities)"
            : "unexpected markup declaration inside an element",
          lt,
        );
      } else {
        if (stack.length >= this.#maxDepth) {
          this.#fail(`elements are nested deeper than ${this.#maxDepth} levels`, lt);
        }
        const child = this.#readStartTag();
        parent.children.push(child.element);
        if (!child.selfClosing) stack.push(child.element);
      }
    }
    return root.element;
  }

  #readStartTag(): { element: XmlElement; selfClosing: boolean } {
    const text = this.#text;
    const offset = this.#at;
    this.#at++; // "<"
    nameAt.lastIndex = this.#at;
    if (!nameAt.test(text)) this.#fail("expected an element name after '<'", offset);
    const name = this.#readName();
    const element: XmlElement = { kind: "element", name, attributes: [], children: [], offset };
    const seen = new Set<string>();
    for (;;) {
      const beforeSpace = this.#at;
      while (this.#at < text.length && isSpace(text.charCodeAt(this.#at))) this.#at++;
      if (this.#at >= text.length) {
        this.#fail(`unexpected end of file inside the start tag <${name}>`, offset);
      }
      if (text.startsWith("/>", this.#at)) {
        this.#at += 2;
        return { element, selfClosing: true };
      }
      if (text[this.#at] === ">") {
        this.#at++;
        return { element, selfClosing: false };
      }
      if (this.#at === beforeSpace) {
        this.#fail(`expected whitespace, '>' or '/>' in <${name}>`, this.#at);
      }
      const attributeOffset = this.#at;
      nameAt.lastIndex = this.#at;
      if (!nameAt.test(text)) this.#fail(`malformed attribute in <${name}>`, this.#at);
      const attributeName = this.#readName();
      while (isSpace(text.charCodeAt(this.#at))) this.#at++;
      if (text[this.#at] !== "=") {
        this.#fail(`attribute ${attributeName} has no value`, attributeOffset);
      }
      this.#at++;
      while (isSpace(text.charCodeAt(this.#at))) this.#at++;
      const quote = text[this.#at];
      if (quote !== '"' && quote !== "'") {
        this.#fail(`value of attribute ${attributeName} is not quoted`, this.#at);
      }
      const end = text.indexOf(quote, this.#at + 1);
      if (end === -1) this.#fail(`unterminated value of attribute ${attributeName}`, this.#at);
      const raw = text.slice(this.#at + 1, end);
      const lt = raw.indexOf("<");
      if (lt !== -1) {
        this.#fail(`'<' in the value of attribute ${attributeName}`, this.#at + 1 + lt);
      }
      // A Set, not a scan of the list: a hostile tag with a million attributes stays linear.
      if (seen.has(attributeName)) {
        this.#fail(`duplicate attribute ${attributeName} in <${name}>`, attributeOffset);
      }
      const value = this.#resolve(raw, this.#at + 1).replace(/[\t\n]/g, " ");
      element.attributes.push({ name: attributeName, value, offset: attributeOffset });
      seen.add(attributeName);
      this.#at = end + 1;
    }
  }

  /**
   * Resolves character and predefined entity references, and normalises line ends.
   * Linear in the text: the raw offset of a reference (which CRLF normalisation shifts)
   * is worked out only for the one that fails, never for each reference.
   */
  #resolve(raw: string, offset: number): string {
    const normalised = normaliseLineEnds(raw);
    if (!normalised.includes("&")) return normalised;
    return normalised.replace(referencePattern, (whole, name: string, index: number) => {
      const fail = (message: string): never => this.#fail(message, offset + rawIndex(raw, index));
      if (!whole.endsWith(";")) fail("'&' must start a reference such as &amp;");
      const predefined = predefinedEntities.get(name);
      if (predefined !== undefined) return predefined;
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
      if (numeric) {
        const code = numeric[1] !== undefined
          ? parseInt(numeric[1], 16)
          : parseInt(numeric[2]!, 10);
        if (!isXmlChar(code)) {
          fail(`character reference ${clip(whole)} is not a valid XML character`);
        }
        return String.fromCodePoint(code);
      }
      return fail(
        `undefined entity ${clip(whole)} (only the five predefined entities are accepted)`,
      );
    });
  }
}

/** The index in `raw` of the character at `index` after CRLF→LF normalisation. */
function rawIndex(raw: string, index: number): number {
  let normalisedIndex = 0;
  for (let i = 0; i < raw.length; i++) {
    if (normalisedIndex === index) return i;
    if (raw[i] === "\r" && raw[i + 1] === "\n") continue;
    normalisedIndex++;
  }
  return raw.length;
}

/** Quotes at most {@linkcode maxQuotedChars} characters of `text` in a message. */
function clip(text: string): string {
  return text.length <= maxQuotedChars ? text : `${text.slice(0, maxQuotedChars)}…`;
}

function normaliseLineEnds(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
