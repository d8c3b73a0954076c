/**
 * A pure PE (Portable Executable) parser for the OpenIOC `FileItem/PEInfo`
 * terms: type, subsystem, base address, timestamp, sections, imports
 * (normal and delay-load), exports, resources, version strings, the
 * Authenticode signer's subject and issuer, and whether the signature
 * verifies (integrity and signer, not trust: see authenticode_verify.ts).
 *
 * It reads through a random-access {@linkcode ByteSource}, so only headers and
 * tables are read, never a whole 1 GiB file; it has no OS access of its own.
 * It never throws for bad input, and bounds every loop and read.
 *
 * @example Parse a file on disk and put the result where the matcher looks
 * ```ts ignore
 * import { byteSourceFromSeekable, parsePeInfo } from "./formats/pe/mod.ts";
 *
 * using file = await Deno.open("C:/Windows/System32/kernel32.dll");
 * const { size } = await file.stat();
 * const result = await parsePeInfo(byteSourceFromSeekable(file, size));
 * if (result.ok) {
 *   const fields = { PEInfo: result.info };
 *   console.log(result.info.Type, result.info.DigitalSignature.CertificateSubject);
 *   for (const warning of result.warnings) console.error(`kernel32.dll: ${warning}`);
 * } else {
 *   console.error(`kernel32.dll: ${result.reason}: ${result.detail}`);
 * }
 * ```
 *
 * @example Parse bytes already in memory
 * ```ts
 * import { byteSourceFromBytes, parsePeInfo } from "./mod.ts";
 *
 * const result = await parsePeInfo(byteSourceFromBytes(new TextEncoder().encode("not a PE file")));
 * console.log(result.ok ? "PE" : result.reason); // "not-pe"
 * ```
 *
 * @module
 */
export {
  type ByteSource,
  byteSourceFromBytes,
  byteSourceFromSeekable,
  type SeekableReader,
} from "../byte_source.ts";
export { parsePeInfo } from "./parse_pe_info.ts";
export { PARTIAL_INFO_LEFT_OUT } from "./pe_info.ts";
export type {
  PeDigitalSignature,
  PeExports,
  PeFailureReason,
  PeGap,
  PeGapCode,
  PeImportedModule,
  PeInfo,
  PeInfoResult,
  PeParseOptions,
  PePartialInfo,
  PeResourceInfoItem,
  PeSection,
  PeSections,
  PeType,
  PeVersionInfoItem,
} from "./pe_info.ts";
