/**
 * Building an {@linkcode IocDocument} from a parsed XML tree, for OpenIOC 1.0
 * and 1.1 alike.
 *
 * The reader is tolerant where real files deviate from the schemas without
 * ambiguity (child order, missing ids, 1.1 attributes in 1.0 files, metadata
 * in the other version's place) and strict where a guess could change what an
 * indicator means (unknown operator or condition, an invalid boolean, a 1.1
 * item without Context or Content). Tolerated oddities that someone may want
 * to know about become warnings.
 *
 * @module
 */
import { readCondition, readOperator } from "./conditions.ts";
import { IocLoadError } from "./load_error.ts";
import type {
  Indicator,
  IndicatorItem,
  IndicatorNode,
  IocDocument,
  IocLink,
  IocMetadata,
  LoadWarning,
  OpenIocVersion,
  SourcePosition,
} from "./model.ts";
import { attachParameters, readParameters } from "./parameters.ts";
import {
  attributeValue,
  localName,
  ownNamespace,
  textOf,
  type XmlDocument,
  type XmlElement,
} from "./xml_tree.ts";

/** The namespace of OpenIOC 1.0 (root element `ioc`). */
export const openIoc10Namespace = "http://schemas.mandiant.com/2010/ioc";
/** The namespace of OpenIOC 1.1 (root element `OpenIOC`). */
export const openIoc11Namespace = "http://openioc.org/schemas/OpenIOC_1.1";

/**
 * The longest IOC or node id accepted, in characters. Real ids are GUIDs or short names (the
 * longest in the corpus has 80 characters); ids are repeated in every synthesised child id and
 * every warning, so a megabyte-long id in a hostile file would be copied once per node.
 */
export const maxIdChars = 256;

/** The longest element name quoted in a warning. */
const maxQuotedNameChars = 64;

/** The result of reading one document. */
export interface ReadIocResult {
  /** The document read. */
  document: IocDocument;
  /** Oddities worked around, in file order. */
  warnings: LoadWarning[];
}

/**
 * Reads the IOC document held by a parsed XML tree.
 *
 * @param xml The parsed file.
 * @param file The path the bytes came from, as given (recorded in the document and in errors).
 * @param contentHash SHA-256 of the file's bytes.
 * @throws {IocLoadError} When the file is not an OpenIOC document or a criterion cannot be read.
 */
export function readIocDocument(
  xml: XmlDocument,
  file: string,
  contentHash: string,
): ReadIocResult {
  return new IocReader(xml, file, contentHash).read();
}

/** The schema version of a root element, or undefined with the reason. */
export function versionOfRoot(root: XmlElement): { version?: OpenIocVersion; problem?: string } {
  const name = localName(root.name);
  const namespace = ownNamespace(root);
  if (name === "ioc" && namespace === openIoc10Namespace) return { version: "1.0" };
  if (name === "OpenIOC" && namespace === openIoc11Namespace) return { version: "1.1" };
  const expected = `expected <ioc xmlns="${openIoc10Namespace}"> (OpenIOC 1.0) or ` +
    `<OpenIOC xmlns="${openIoc11Namespace}"> (OpenIOC 1.1)`;
  if (name === "ioc" || name === "OpenIOC") {
    const found = namespace === undefined ? "no namespace" : `namespace "${namespace}"`;
    return { problem: `root <${root.name}> has ${found}; ${expected}` };
  }
  return { problem: `unknown root element <${root.name}>; ${expected}` };
}

class IocReader {
  readonly #xml: XmlDocument;
  readonly #file: string;
  readonly #contentHash: string;
  readonly #warnings: LoadWarning[] = [];
  #version: OpenIocVersion = "1.0";
  #iocId = "";
  /** Every node id seen, to attach parameters and spot repeats. */
  readonly #nodesById = new Map<string, IndicatorNode[]>();

  constructor(xml: XmlDocument, file: string, contentHash: string) {
    this.#xml = xml;
    this.#file = file;
    this.#contentHash = contentHash;
  }

  read(): ReadIocResult {
    const root = this.#xml.root;
    const { version, problem } = versionOfRoot(root);
    if (version === undefined) this.#reject(problem ?? "not an OpenIOC document", root);
    this.#version = version;

    const writtenId = attributeValue(root, "id")?.trim();
    if (writtenId === undefined || writtenId === "") {
      this.#iocId = `sha256:${this.#contentHash.slice(0, 16)}`;
      this.#warn("missing-ioc-id", `the document has no id; using ${this.#iocId}`, root);
    } else {
      this.#checkIdLength(writtenId, "IOC id", root);
      this.#iocId = writtenId;
    }

    const metadata: IocMetadata = { links: [] };
    const lastModified = attributeValue(root, "last-modified");
    if (lastModified !== undefined) metadata.lastModified = lastModified.trim();
    const publishedDate = attributeValue(root, "published-date");
    if (publishedDate !== undefined) metadata.publishedDate = publishedDate.trim();

    const topIndicators: XmlElement[] = [];
    let criteria: XmlElement | undefined;
    const parameterElements: XmlElement[] = [];
    for (const child of elementChildren(root)) {
      const name = localName(child.name);
      if (name === "metadata") {
        for (const field of elementChildren(child)) this.#readMetadataField(field, metadata);
      } else if (name === "definition" || name === "criteria") {
        criteria ??= child;
        for (const node of elementChildren(child)) {
          if (localName(node.name) === "Indicator") topIndicators.push(node);
          else this.#warnUnknown(node, child);
        }
      } else if (name === "parameters") {
        // push, not concat: a file of 100,000 <parameters> blocks would copy the list each time.
        for (const element of elementChildren(child)) {
          if (localName(element.name) === "param") parameterElements.push(element);
        }
      } else if (!this.#readMetadataField(child, metadata)) {
        this.#warnUnknown(child, root);
      }
    }

    const rootIndicator = this.#readTop(topIndicators, criteria ?? root);
    const parameters = readParameters(
      parameterElements,
      (code, message, element) => this.#warn(code, message, element),
    );
    attachParameters(parameters.list, this.#nodesById, (param, element) => {
      this.#warn(
        "dangling-param-ref",
        `parameter "${param.name}" refers to "${param.refId}", which is no Indicator or IndicatorItem of this document`,
        element,
      );
    }, parameters.elements);

    const document: IocDocument = {
      id: this.#iocId,
      version: this.#version,
      metadata,
      root: rootIndicator,
      parameters: parameters.list,
      file: this.#file,
      contentHash: this.#contentHash,
    };
    return { document, warnings: this.#warnings };
  }

  /** Reads one metadata field into `metadata`; false when `element` is not one. */
  #readMetadataField(element: XmlElement, metadata: IocMetadata): boolean {
    const text = () => textOf(element).trim();
    switch (localName(element.name)) {
      case "short_description":
        metadata.shortDescription = text();
        return true;
      case "description":
        metadata.description = text();
        return true;
      case "keywords":
        metadata.keywords = text();
        return true;
      case "authored_by":
        metadata.authoredBy = text();
        return true;
      case "authored_date":
        metadata.authoredDate = text();
        return true;
      case "links":
        for (const link of elementChildren(element)) {
          if (localName(link.name) !== "link") {
            this.#warnUnknown(link, element);
            continue;
          }
          const entry: IocLink = {
            rel: attributeValue(link, "rel") ?? "",
            value: textOf(link).trim(),
          };
          const title = attributeValue(link, "title");
          if (title !== undefined) entry.title = title;
          const href = attributeValue(link, "href");
          if (href !== undefined) entry.href = href;
          metadata.links.push(entry);
        }
        return true;
      default:
        return false;
    }
  }

  #readTop(topIndicators: XmlElement[], where: XmlElement): Indicator {
    const place = this.#position(where);
    if (topIndicators.length === 1) {
      return this.#readIndicator(topIndicators[0]!, `${this.#iocId}/1`);
    }
    const root: Indicator = {
      kind: "indicator",
      id: `${this.#iocId}/criteria`,
      operator: "OR",
      children: topIndicators.map((element, index) =>
        this.#readIndicator(element, `${this.#iocId}/${index + 1}`)
      ),
      parameters: [],
      position: place,
    };
    if (topIndicators.length === 0) {
      this.#warn("no-indicators", "the document has no Indicator; it can never match", where);
    } else {
      this.#warn(
        "multiple-top-indicators",
        `${topIndicators.length} top-level Indicators; they are combined with OR`,
        where,
      );
    }
    return root;
  }

  #readIndicator(element: XmlElement, fallbackId: string): Indicator {
    const id = this.#nodeId(element, fallbackId, "Indicator");
    const writtenOperator = attributeValue(element, "operator");
    if (writtenOperator === undefined) {
      this.#reject("Indicator has no @operator (AND or OR)", element);
    }
    const operator = readOperator(writtenOperator);
    if (operator === undefined) {
      this.#reject(`unknown operator "${writtenOperator}" (expected AND or OR)`, element);
    }
    if (operator.nonStandard) {
      this.#warn(
        "nonstandard-operator",
        `operator written as "${writtenOperator}"; read as ${operator.operator}`,
        element,
      );
    }
    const indicator: Indicator = {
      kind: "indicator",
      id,
      operator: operator.operator,
      children: [],
      parameters: [],
      position: this.#position(element),
    };
    this.#register(indicator, element);
    let index = 0;
    // Children keep document order: real files put items after sub-Indicators.
    for (const child of elementChildren(element)) {
      const name = localName(child.name);
      if (name === "Indicator") {
        indicator.children.push(this.#readIndicator(child, `${id}/${++index}`));
      } else if (name === "IndicatorItem") {
        indicator.children.push(this.#readItem(child, `${id}/${++index}`));
      } else this.#warnUnknown(child, element);
    }
    if (indicator.children.length === 0) {
      this.#warn("empty-indicator", `Indicator "${id}" has no children`, element);
    }
    return indicator;
  }

  #readItem(element: XmlElement, fallbackId: string): IndicatorItem {
    const id = this.#nodeId(element, fallbackId, "IndicatorItem");
    const writtenCondition = attributeValue(element, "condition");
    if (writtenCondition === undefined) {
      this.#reject(`IndicatorItem "${id}" has no @condition`, element);
    }
    const condition = readCondition(writtenCondition, this.#version);
    if (condition === undefined) {
      this.#reject(`unknown condition "${writtenCondition}" in IndicatorItem "${id}"`, element);
    }
    if (condition.note !== undefined) {
      this.#warn("nonstandard-condition", `condition ${condition.note}`, element, id);
    }
    const negateAttribute = this.#boolean(element, "negate", id);
    const preserveCase = this.#boolean(element, "preserve-case", id);

    let context: XmlElement | undefined;
    let content: XmlElement | undefined;
    let comment: string | undefined;
    for (const child of elementChildren(element)) {
      const name = localName(child.name);
      if (name === "Context") {
        if (context === undefined) context = child;
        else {this.#warn(
            "repeated-element",
            `IndicatorItem "${id}" has a second Context; the first is used`,
            child,
            id,
          );}
      } else if (name === "Content") {
        if (content === undefined) content = child;
        else {this.#warn(
            "repeated-element",
            `IndicatorItem "${id}" has a second Content; the first is used`,
            child,
            id,
          );}
      } else if (name === "Comment") {
        comment = textOf(child).trim();
      } else {
        this.#warnUnknown(child, element);
      }
    }
    if (this.#version === "1.1") {
      if (context === undefined) this.#reject(`IndicatorItem "${id}" has no Context`, element);
      if (content === undefined) this.#reject(`IndicatorItem "${id}" has no Content`, element);
    }

    const item: IndicatorItem = {
      kind: "item",
      id,
      condition: condition.condition,
      // A 1.0 negated condition and a 1.1 negate="true" on the same item cancel out.
      negate: condition.negated !== negateAttribute,
      preserveCase,
      context: { document: "", search: "", type: "" },
      content: { type: "", value: "" },
      parameters: [],
      position: this.#position(element),
    };
    if (comment !== undefined) item.comment = comment;

    if (context === undefined) {
      this.#warn(
        "missing-context",
        `IndicatorItem "${id}" has no Context; it cannot be evaluated`,
        element,
        id,
      );
    } else {
      item.context = {
        document: attributeValue(context, "document") ?? "",
        search: attributeValue(context, "search") ?? "",
        type: attributeValue(context, "type") ?? "",
      };
      if (item.context.search.trim() === "") {
        this.#warn(
          "missing-search",
          `IndicatorItem "${id}" has no Context/@search; it cannot be evaluated`,
          context,
          id,
        );
      } else if (!searchBelongsTo(item.context.search, item.context.document)) {
        this.#warn(
          "context-document-mismatch",
          `Context/@document "${item.context.document}" does not match Context/@search "${item.context.search}"; the search path decides`,
          context,
          id,
        );
      }
    }

    if (content === undefined) {
      this.#warn(
        "empty-content",
        `IndicatorItem "${id}" has no Content; it never matches`,
        element,
        id,
      );
    } else {
      item.content = { type: attributeValue(content, "type") ?? "", value: textOf(content) };
      if (elementChildren(content).length > 0) {
        this.#warn(
          "content-markup",
          `Content of IndicatorItem "${id}" holds elements; only its text is used`,
          content,
          id,
        );
      }
      if (item.content.value.trim() === "") {
        this.#warn(
          "empty-content",
          `IndicatorItem "${id}" has an empty Content; it never matches`,
          content,
          id,
        );
      }
    }
    this.#register(item, element);
    return item;
  }

  #boolean(element: XmlElement, name: string, itemId: string): boolean {
    const written = attributeValue(element, name);
    if (written === undefined) return false;
    const value = written.trim().toLowerCase();
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    this.#reject(
      `@${name}="${written}" of IndicatorItem "${itemId}" is not a boolean (true, false, 1 or 0)`,
      element,
    );
  }

  #nodeId(element: XmlElement, fallbackId: string, kind: string): string {
    const written = attributeValue(element, "id")?.trim();
    if (written !== undefined && written !== "") {
      this.#checkIdLength(written, `${kind} id`, element);
      return written;
    }
    this.#warn(
      "missing-id",
      `${kind} without @id; using the synthesised id "${fallbackId}"`,
      element,
    );
    return fallbackId;
  }

  #checkIdLength(id: string, what: string, element: XmlElement): void {
    if (id.length <= maxIdChars) return;
    this.#reject(
      `${what} is ${id.length} characters long, over the ${maxIdChars}-character limit`,
      element,
    );
  }

  #register(node: IndicatorNode, element: XmlElement): void {
    const seen = this.#nodesById.get(node.id);
    if (seen === undefined) {
      this.#nodesById.set(node.id, [node]);
      return;
    }
    if (seen.length === 1) {
      this.#warn(
        "duplicate-node-id",
        `id "${node.id}" is used by more than one node of this document`,
        element,
      );
    }
    seen.push(node);
  }

  #position(element: XmlElement): SourcePosition {
    return this.#xml.lines.positionOf(element.offset);
  }

  #warnUnknown(element: XmlElement, parent: XmlElement): void {
    this.#warn(
      "unknown-element",
      `<${quotedName(element)}> is not expected inside <${quotedName(parent)}>; ignored`,
      element,
    );
  }

  #warn(code: string, message: string, element: XmlElement, itemId?: string): void {
    const { line, column } = this.#position(element);
    const warning: LoadWarning = { file: this.#file, code, message, line, column };
    if (this.#iocId !== "") warning.iocId = this.#iocId;
    if (itemId !== undefined) warning.itemId = itemId;
    this.#warnings.push(warning);
  }

  #reject(reason: string, element: XmlElement): never {
    const { line, column } = this.#position(element);
    throw new IocLoadError(this.#file, reason, line, column);
  }
}

/** An element's name for a message, clipped: one long name must not be copied per child. */
function quotedName(element: XmlElement): string {
  const { name } = element;
  return name.length <= maxQuotedNameChars ? name : `${name.slice(0, maxQuotedNameChars)}…`;
}

/** The element children of an element, in document order. */
function elementChildren(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => child.kind === "element");
}

/**
 * Whether a search path belongs to a document: `FileItem/Md5sum` to `FileItem`,
 * and HX `eventItem/processEvent/process` to `eventItem` or `processEvent`.
 */
function searchBelongsTo(search: string, document: string): boolean {
  const segments = search.trim().toLowerCase().split("/");
  const wanted = document.trim().toLowerCase();
  return segments[0] === wanted || (segments[0] === "eventitem" && segments[1] === wanted);
}
