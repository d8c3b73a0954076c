/**
 * Turning the bytes of an XML file into text: byte-order marks, UTF-16 and
 * declared legacy encodings, and a clear error for bytes that are not text.
 *
 * @module
 */
import { bytePositionOf } from "./source_positions.ts";
import { XmlSyntaxError } from "./xml_error.ts";

/** Decoded XML text and how it was decoded. */
export interface DecodedXml {
  /** The text without its byte-order mark. */
  text: string;
  /** The encoding actually used, e.g. `utf-8` or `utf-16le`. */
  encoding: string;
  /** Whether the file started with a byte-order mark. */
  bom: boolean;
  /** Oddities that did not stop decoding (e.g. a declared encoding the bytes contradict). */
  notes: string[];
}

/** Encodings whose bytes are read as UTF-8: ASCII is a subset of it. */
const utf8Compatible = new Set(["utf-8", "utf8", "us-ascii", "ascii", "unicode-1-1-utf-8"]);

/**
 * Decodes the bytes of an XML document.
 *
 * UTF-8 (with or without BOM) and UTF-16 (LE/BE, with a BOM or recognisable
 * from a leading `<`) are decoded; an 8-bit encoding named in the XML
 * declaration (e.g. `ISO-8859-1`) is honoured when the runtime knows it.
 *
 * @throws {XmlSyntaxError} UTF-32, an unknown declared encoding, or bytes that are not valid UTF-8.
 *
 * @example
 * ```ts
 * import { decodeXmlBytes } from "./xml_decode.ts";
 * const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("<a/>")]);
 * decodeXmlBytes(bytes).text; // "<a/>"
 * ```
 */
export function decodeXmlBytes(bytes: Uint8Array): DecodedXml {
  const b0 = bytes[0], b1 = bytes[1], b2 = bytes[2], b3 = bytes[3];
  if (
    (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) ||
    (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
  ) {
    throw new XmlSyntaxError("UTF-32 encoded files are not supported; save the file as UTF-8", {
      line: 1,
      column: 1,
    });
  }
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { text: decodeUtf8(bytes, 3), encoding: "utf-8", bom: true, notes: [] };
  }
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(bytes, "utf-16le", true);
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(bytes, "utf-16be", true);
  // Without a BOM, UTF-16 still shows itself: the document starts with "<" and a NUL byte.
  if (b0 === 0x3c && b1 === 0) return decodeUtf16(bytes, "utf-16le", false);
  if (b0 === 0 && b1 === 0x3c) return decodeUtf16(bytes, "utf-16be", false);

  const declared = declaredEncoding(bytes);
  const notes: string[] = [];
  if (declared !== undefined && !utf8Compatible.has(declared)) {
    if (declared.startsWith("utf-16") || declared === "unicode") {
      // The bytes are 8-bit (no BOM, no NUL after "<"), so the declaration is wrong.
      notes.push(`the declaration says ${declared} but the bytes are 8-bit; read as UTF-8`);
    } else {
      let decoder: TextDecoder;
      try {
        decoder = new TextDecoder(declared, { fatal: true });
      } catch {
        // An encoding name the runtime does not know (e.g. "latin-1"): fine if the bytes are UTF-8.
        if (firstInvalidUtf8(bytes, 0) !== -1) {
          throw new XmlSyntaxError(`unsupported encoding "${declared}" in the XML declaration`, {
            line: 1,
            column: 1,
          });
        }
        notes.push(
          `unknown encoding "${declared}" in the declaration; the bytes are valid UTF-8 and were read as such`,
        );
        return { text: decodeUtf8(bytes, 0), encoding: "utf-8", bom: false, notes };
      }
      if (decoder.encoding !== "utf-8") {
        try {
          return { text: decoder.decode(bytes), encoding: decoder.encoding, bom: false, notes };
        } catch {
          throw new XmlSyntaxError(`bytes are not valid ${declared}`, { line: 1, column: 1 });
        }
      }
    }
  }
  return { text: decodeUtf8(bytes, 0), encoding: "utf-8", bom: false, notes };
}

function decodeUtf8(bytes: Uint8Array, start: number): string {
  const invalidAt = firstInvalidUtf8(bytes, start);
  if (invalidAt !== -1) {
    throw new XmlSyntaxError(
      `not valid UTF-8 (byte 0x${
        bytes[invalidAt]!.toString(16).padStart(2, "0")
      } at offset ${invalidAt}); ` +
        "binary data, or a file saved in an encoding its XML declaration does not name",
      bytePositionOf(bytes, invalidAt),
    );
  }
  return new TextDecoder("utf-8").decode(bytes.subarray(start));
}

function decodeUtf16(
  bytes: Uint8Array,
  encoding: "utf-16le" | "utf-16be",
  bom: boolean,
): DecodedXml {
  if (bytes.length % 2 !== 0) {
    throw new XmlSyntaxError(
      `${encoding.toUpperCase()} file has an odd number of bytes (truncated?)`,
      {
        line: 1,
        column: 1,
      },
    );
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding, bom, notes: [] };
  } catch {
    throw new XmlSyntaxError(`not valid ${encoding.toUpperCase()}`, { line: 1, column: 1 });
  }
}

/** The lower-cased `encoding` of an XML declaration at the start of the bytes, if any. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  if (!(bytes[0] === 0x3c && bytes[1] === 0x3f)) return undefined; // "<?"
  let end = 2;
  while (end < bytes.length && end < 512 && bytes[end] !== 0x3e) end++;
  const head = String.fromCharCode(...bytes.subarray(0, end));
  const match = /^<\?xml\s[^>]*?encoding\s*=\s*(["'])([A-Za-z][-\w.:]*)\1/.exec(head);
  return match?.[2]?.toLowerCase();
}

/** The offset of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array, start: number): number {
  let i = start;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
