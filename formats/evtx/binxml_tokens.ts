/**
 * The BinXML token codes: the first byte of every item in a record body or
 * template definition. Parsing (binxml.ts) reads them; the model
 * (binxml_model.ts) never sees them.
 *
 * @module
 */

/**
 * Token codes, as libevtx's format description and omerbenamram/evtx name
 * them. A token may carry {@linkcode moreDataFlag}; compare
 * {@linkcode tokenType} of a byte with these.
 */
export const BinXmlToken = {
  /** End of a fragment (of a record body, a template or a nested value). */
  EndOfFragment: 0x00,
  /** `<name`: dependency id (templates only), data size, name. With the flag: an attribute list follows. */
  OpenStartElement: 0x01,
  /** `>` after the attributes. */
  CloseStartElement: 0x02,
  /** `/>`. */
  CloseEmptyElement: 0x03,
  /** `</name>`. */
  EndElement: 0x04,
  /** Literal text: a value type byte and the value. */
  Value: 0x05,
  /** An attribute name; its value is the tokens that follow. With the flag: more attributes follow. */
  Attribute: 0x06,
  /** A CDATA section. */
  CDataSection: 0x07,
  /** `&#N;`. */
  CharacterReference: 0x08,
  /** `&name;`. */
  EntityReference: 0x09,
  /** `<?target`. */
  ProcessingInstructionTarget: 0x0a,
  /** The data of a processing instruction. */
  ProcessingInstructionData: 0x0b,
  /** A template reference (or inline definition) and the record's substitution values. */
  TemplateInstance: 0x0c,
  /** `%index%`: a substitution always rendered. */
  NormalSubstitution: 0x0d,
  /** `%index%`: a substitution whose element or attribute vanishes when it is NULL. */
  OptionalSubstitution: 0x0e,
  /** Fragment header: the token, major and minor version, flags. */
  FragmentHeader: 0x0f,
} as const;

/** One of the {@linkcode BinXmlToken} codes. */
export type BinXmlTokenCode = typeof BinXmlToken[keyof typeof BinXmlToken];

/** The flag bit a token byte may carry: "has attributes" or "more attributes follow". */
export const moreDataFlag = 0x40;

/** Size of the fragment header token (token, major version, minor version, flags). */
export const fragmentHeaderSize = 4;

/**
 * The token code of a token byte, without {@linkcode moreDataFlag}.
 *
 * @example
 * ```ts
 * import { BinXmlToken, tokenType } from "./binxml_tokens.ts";
 * tokenType(0x41) === BinXmlToken.OpenStartElement; // true
 * ```
 */
export function tokenType(byte: number): number {
  return byte & ~moreDataFlag & 0xff;
}
