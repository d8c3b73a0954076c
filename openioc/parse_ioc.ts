/**
 * Loading one IOC file from its bytes.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readIocDocument } from "./ioc_reader.ts";
import { IocLoadError } from "./load_error.ts";
import type { IocDocument, LoadWarning } from "./model.ts";
import { decodeXmlBytes } from "./xml_decode.ts";
import { XmlSyntaxError } from "./xml_error.ts";
import { defaultMaxXmlDepth, parseXml } from "./xml_tree.ts";

/** The default per-file size limit: 3 MB, as Kaspersky's IOC scan documents it. */
export const defaultMaxFileBytes = 3 * 1024 * 1024;

/** Limits applied while loading. */
export interface ParseIocOptions {
  /** Files larger than this are rejected unread. Defaults to {@linkcode defaultMaxFileBytes}. */
  maxFileBytes?: number;
  /** The deepest XML element nesting accepted. Defaults to 256. */
  maxDepth?: number;
}

/** One loaded document and what was worked around while loading it. */
export interface ParsedIoc {
  /** The loaded document. */
  document: IocDocument;
  /** Oddities worked around, in file order. */
  warnings: LoadWarning[];
}

/**
 * Loads an OpenIOC 1.0 or 1.1 document from the bytes of a file.
 *
 * @param bytes The whole file.
 * @param file The path to record in the document, warnings and errors.
 * @throws {IocLoadError} When the file must be rejected: too large, not text,
 *   not well-formed XML (or carrying a DOCTYPE), not OpenIOC, or with a
 *   criterion that cannot be read. Never throws anything else.
 *
 * @example
 * ```ts
 * import { parseIoc } from "./parse_ioc.ts";
 * const xml = `<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="x"><definition>
 *   <Indicator operator="OR" id="i"><IndicatorItem id="a" condition="is">
 *     <Context document="FileItem" search="FileItem/Md5sum" type="mir"/>
 *     <Content type="md5">d41d8cd98f00b204e9800998ecf8427e</Content>
 *   </IndicatorItem></Indicator></definition></ioc>`;
 * const { document } = parseIoc(new TextEncoder().encode(xml), "x.ioc");
 * document.version; // "1.0"
 * ```
 */
export function parseIoc(
  bytes: Uint8Array,
  file: string,
  options: ParseIocOptions = {},
): ParsedIoc {
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  if (bytes.length > maxFileBytes) throw tooLarge(file, bytes.length, maxFileBytes);
  try {
    const decoded = decodeXmlBytes(bytes);
    const xml = parseXml(decoded.text, { maxDepth: options.maxDepth ?? defaultMaxXmlDepth });
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const result = readIocDocument(xml, file, contentHash);
    for (const note of decoded.notes) {
      result.warnings.unshift({ file, code: "encoding", message: note, iocId: result.document.id });
    }
    return result;
  } catch (error) {
    if (error instanceof IocLoadError) throw error;
    if (error instanceof XmlSyntaxError) {
      throw new IocLoadError(
        file,
        `not well-formed XML: ${error.message}`,
        error.position.line,
        error.position.column,
      );
    }
    // Anything else is a bug in the loader; the file is still only rejected, never fatal.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new IocLoadError(file, `internal loader error: ${message}`);
  }
}

/** The error for a file over the size limit. */
export function tooLarge(file: string, size: number, limit: number): IocLoadError {
  return new IocLoadError(
    file,
    `file is ${size} bytes, over the ${limit}-byte limit (see --max-file-size)`,
  );
}
