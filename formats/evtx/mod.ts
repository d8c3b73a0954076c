/**
 * A pure EVTX (Windows XML Event Log) parser: file header, 64 KiB chunks,
 * records, BinXML with templates and every substitution value type, CRC32
 * checks, and tolerant handling of damaged files. No OS access: files are read
 * through a {@linkcode ByteSource}.
 *
 * @example
 * ```ts ignore
 * import { byteSourceFromBytes, readEvtx } from "./mod.ts";
 * const warnings: string[] = [];
 * const source = byteSourceFromBytes(await Deno.readFile("System.evtx"));
 * for await (const record of readEvtx(source, { onWarning: (w) => warnings.push(w.message) })) {
 *   const system = record.system();
 *   console.log(record.recordId, system.channel, system.eventId, record.data());
 * }
 * ```
 *
 * @module
 */
export { type ByteSource, byteSourceFromBytes } from "../byte_source.ts";
export { BinXmlError } from "./binxml.ts";
export { crc32 } from "./crc32.ts";
export {
  type EvtxFileHeader,
  type EvtxReadOptions,
  type EvtxReadStats,
  readEvtx,
  readEvtxChunks,
  readFileHeader,
} from "./reader.ts";
export {
  carriedSystemFields,
  type EvtxCarriedSystem,
  type EvtxDataField,
  type EvtxSystem,
} from "./model.ts";
export { eventDataFields, EvtxRecord, systemFields } from "./record.ts";
export { filetimeToIso } from "./time.ts";
export type { EvtxWarning } from "./warning.ts";
export {
  attribute,
  childElement,
  isElement,
  textOf,
  toXml,
  type XmlContent,
  type XmlElement,
  type XmlProcessingInstruction,
} from "./xml_tree.ts";
