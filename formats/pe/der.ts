/**
 * A small, bounded DER/BER reader: enough ASN.1 to walk PKCS#7 SignedData and
 * X.509 certificates. Every length is checked against its parent, nesting is
 * limited, and BER indefinite lengths (which some old Authenticode blobs
 * use) are followed only to a bounded depth.
 *
 * @module
 */

/** A malformed encoding; the message names the offset. */
export class DerError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DerError";
  }
}

/** ASN.1 tag classes. */
export const tagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers used here. */
export const universalTag = {
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  numericString: 18,
  printableString: 19,
  t61String: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  visibleString: 26,
  universalString: 28,
  bmpString: 30,
} as const;

/** One element: its tag and where its header and contents lie in `bytes`. */
export type DerElement = {
  bytes: Uint8Array;
  tagClass: number;
  constructed: boolean;
  tagNumber: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset after the last content byte (before an end-of-contents marker). */
  contentEnd: number;
  /** Offset after the whole element. */
  end: number;
};

const maxDepth = 48;
// Where each indefinite-length element ends, per buffer: without this, nested
// indefinite lengths would be rescanned at every level (quadratic on hostile input).
const indefiniteEnds = new WeakMap<Uint8Array, Map<number, number>>();
const maxChildren = 100_000;

/** Reads the element at `offset`, which must end by `limit`. */
export function readElement(
  bytes: Uint8Array,
  offset: number,
  limit: number = bytes.length,
  depth = 0,
): DerElement {
  if (depth > maxDepth) throw new DerError(`nesting deeper than ${maxDepth} at offset ${offset}`);
  if (offset + 2 > limit) {
    throw new DerError(`element header at offset ${offset} runs past its container`);
  }
  const first = bytes[offset]!;
  let cursor = offset + 1;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let count = 0;; count++) {
      if (cursor >= limit || count >= 4) {
        throw new DerError(`bad long-form tag at offset ${offset}`);
      }
      const byte = bytes[cursor++]!;
      tagNumber = tagNumber * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
  }
  if (cursor >= limit) throw new DerError(`element at offset ${offset} has no length`);
  const lengthByte = bytes[cursor++]!;
  const constructed = (first & 0x20) !== 0;
  const base = { bytes, tagClass: first >> 6, constructed, tagNumber, start: offset };
  if (lengthByte === 0x80) {
    if (!constructed) {
      throw new DerError(`indefinite length on a primitive element at offset ${offset}`);
    }
    // BER indefinite length: children up to an end-of-contents marker (00 00).
    let known = indefiniteEnds.get(bytes);
    if (!known) indefiniteEnds.set(bytes, known = new Map());
    const contentEnd = known.get(offset);
    if (contentEnd !== undefined && contentEnd + 2 <= limit) {
      return { ...base, contentStart: cursor, contentEnd, end: contentEnd + 2 };
    }
    let child = cursor;
    for (let count = 0; count < maxChildren; count++) {
      if (child + 2 > limit) {
        throw new DerError(`unterminated indefinite length at offset ${offset}`);
      }
      if (bytes[child] === 0 && bytes[child + 1] === 0) {
        known.set(offset, child);
        return { ...base, contentStart: cursor, contentEnd: child, end: child + 2 };
      }
      child = readElement(bytes, child, limit, depth + 1).end;
    }
    throw new DerError(`too many elements in indefinite length at offset ${offset}`);
  }
  let length = lengthByte;
  if (lengthByte > 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4) throw new DerError(`length of ${count} bytes at offset ${offset} is too large`);
    if (cursor + count > limit) {
      throw new DerError(`length at offset ${offset} runs past its container`);
    }
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[cursor++]!;
  }
  if (cursor + length > limit) {
    throw new DerError(
      `element at offset ${offset} claims ${length} bytes, only ${limit - cursor} remain`,
    );
  }
  return { ...base, contentStart: cursor, contentEnd: cursor + length, end: cursor + length };
}

/** The children of a constructed element. */
export function childrenOf(element: DerElement): DerElement[] {
  if (!element.constructed) {
    throw new DerError(`element at offset ${element.start} is not constructed`);
  }
  const list: DerElement[] = [];
  let offset = element.contentStart;
  while (offset < element.contentEnd) {
    if (list.length >= maxChildren) {
      throw new DerError(`too many children at offset ${element.start}`);
    }
    const child = readElement(element.bytes, offset, element.contentEnd);
    list.push(child);
    offset = child.end;
  }
  return list;
}

/** Where an element starts, for messages (`?` when there is none). */
export function offsetOf(element: DerElement | undefined): string {
  return element === undefined ? "?" : String(element.start);
}

/** Whether the element has the given universal tag. */
export function isUniversal(element: DerElement | undefined, tag: number): element is DerElement {
  return element !== undefined && element.tagClass === tagClass.universal &&
    element.tagNumber === tag;
}

/** Whether the element is a context-specific `[n]` tag. */
export function isContext(element: DerElement | undefined, tag: number): element is DerElement {
  return element !== undefined && element.tagClass === tagClass.context &&
    element.tagNumber === tag;
}

/** The content bytes of an element. */
export function contentOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.contentStart, element.contentEnd);
}

/** The whole encoding of an element (header and contents). */
export function encodingOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.start, element.end);
}

/** Decodes an OBJECT IDENTIFIER to dotted form, e.g. `1.2.840.113549.1.7.2`. */
export function readOid(element: DerElement): string {
  if (!isUniversal(element, universalTag.oid)) {
    throw new DerError(`expected an OID at offset ${offsetOf(element)}`);
  }
  const content = contentOf(element);
  if (content.length === 0 || content.length > 64) {
    throw new DerError(`bad OID length at offset ${element.start}`);
  }
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) {
      throw new DerError(`OID arc too large at offset ${element.start}`);
    }
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) {
        const head = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(head, value - head * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  return arcs.join(".");
}

/** Whether two byte ranges hold the same bytes. */
export function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}
