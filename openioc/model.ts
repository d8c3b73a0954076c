/**
 * The typed model that OpenIOC 1.0 and 1.1 documents load into.
 *
 * Both versions map onto the same shapes: 1.0 `isnot`/`containsnot` become
 * negated `is`/`contains`, and 1.0 `<Comment>` becomes {@linkcode IndicatorItem.comment}.
 *
 * @module
 */

/** The OpenIOC schema version, taken from the root element and its namespace. */
export type OpenIocVersion = "1.0" | "1.1";

/** An item condition after 1.0 negated forms are folded into {@linkcode IndicatorItem.negate}. */
export type Condition =
  | "is"
  | "contains"
  | "matches"
  | "starts-with"
  | "ends-with"
  | "greater-than"
  | "less-than";

/** The boolean operator of an {@linkcode Indicator}. */
export type Operator = "AND" | "OR";

/** A 1-based place in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One `<link>` of the document metadata. */
export interface IocLink {
  rel: string;
  title?: string;
  href?: string;
  value: string;
}

/** Descriptive metadata of an IOC document. */
export interface IocMetadata {
  shortDescription?: string;
  description?: string;
  keywords?: string;
  authoredBy?: string;
  authoredDate?: string;
  lastModified?: string;
  publishedDate?: string;
  links: IocLink[];
}

/** A 1.1 `<param>`: tool metadata attached to a criteria node by `ref-id`. */
export interface IocParameter {
  id?: string;
  refId: string;
  name: string;
  value: string;
  valueType?: string;
}

/** `Context` of an item: which document and search term it is evaluated against. */
export interface ItemContext {
  document: string;
  search: string;
  type: string;
}

/** `Content` of an item: the value as written (not trimmed). */
export interface ItemContent {
  type: string;
  value: string;
}

/** A leaf of the indicator tree. */
export interface IndicatorItem {
  kind: "item";
  /** The item id; synthesised as `<parent id>/<index>` when the file has none. */
  id: string;
  condition: Condition;
  negate: boolean;
  preserveCase: boolean;
  context: ItemContext;
  content: ItemContent;
  comment?: string;
  parameters: IocParameter[];
  position?: SourcePosition;
}

/** An AND/OR node of the indicator tree; children keep document order. */
export interface Indicator {
  kind: "indicator";
  id: string;
  operator: Operator;
  children: IndicatorNode[];
  parameters: IocParameter[];
  position?: SourcePosition;
}

/** Any node of the indicator tree. */
export type IndicatorNode = Indicator | IndicatorItem;

/** A loaded IOC document. */
export interface IocDocument {
  id: string;
  version: OpenIocVersion;
  metadata: IocMetadata;
  /** The top Indicator (`definition/Indicator` in 1.0, `criteria/Indicator` in 1.1). */
  root: Indicator;
  /** Every `<param>` of the document, dangling ones included. */
  parameters: IocParameter[];
  /** The path the document was loaded from, as given. */
  file: string;
  /** SHA-256 (lower-case hex) of the file's bytes. */
  contentHash: string;
}

/** A problem that does not stop a document from loading. */
export interface LoadWarning {
  file: string;
  /** A stable, kebab-case code such as `empty-content` or `duplicate-ioc-id`. */
  code: string;
  message: string;
  line?: number;
  column?: number;
  iocId?: string;
  itemId?: string;
}
