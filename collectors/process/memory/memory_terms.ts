/**
 * The `ProcessItem` terms this library fills, and the `SectionList` terms of
 * the MIR term lists it does not: the process collector's catalogue entries
 * are written from these lists (one definition).
 *
 * @module
 */
import type { IndicatorNode, IocDocument } from "../../../openioc/model.ts";
import { allTerms } from "../../../openioc/term_catalogue.ts";

/** The prefix of a memory section's terms. */
export const memorySectionTerm = "ProcessItem/SectionList/MemorySection";

/** The fields of a section other than PEInfo, with their value types (MIR 2013: Mapped is a string). */
export const memorySectionFields = {
  Name: "string",
  Protection: "string",
  RegionStart: "integer",
  RegionSize: "integer",
  Mapped: "string",
  Injected: "bool",
  RawFlags: "string",
} as const;

/**
 * The `PEInfo/…` paths a mapped PE file's section carries: what the PE
 * parser fills for `FileItem/PEInfo` (the same parser, the same record).
 */
export function sectionPeInfoPaths(): string[] {
  return allTerms()
    .filter((term) =>
      term.document === "FileItem" && term.path[0] === "PEInfo" && term.coverage === "produced"
    )
    .map((term) => term.path.join("/"));
}

/**
 * Every term this library produces, as `search` paths with their value
 * types: the section fields, the sections' PEInfo, and `StringList/string`.
 */
export const processMemoryTerms: ReadonlyMap<string, string> = memoryTerms();

function memoryTerms(): ReadonlyMap<string, string> {
  const peTypes = new Map(
    allTerms()
      .filter((term) => term.document === "FileItem" && term.path[0] === "PEInfo")
      .map((term) => [term.path.join("/"), term.valueType]),
  );
  return new Map<string, string>([
    ...Object.entries(memorySectionFields).map(([field, type]) =>
      [`${memorySectionTerm}/${field}`, type] as [string, string]
    ),
    ...sectionPeInfoPaths().map((path) =>
      [`${memorySectionTerm}/${path}`, peTypes.get(path)!] as [string, string]
    ),
    ["ProcessItem/StringList/string", "string"],
  ]);
}

/**
 * `SectionList` terms of the MIR lists this library does not fill: the
 * section's own hashes and signature (of the mapped file: the process
 * collector hashes images through the hashing wing), Redline's injected-code
 * signatures and the PE analyses the parser does not make.
 */
export const processMemoryNotProducedTerms: readonly string[] = [
  "Md5sum",
  "Sha1sum",
  "Sha256sum",
  "DigitalSignature/SignatureExists",
  "DigitalSignature/SignatureVerified",
  "DigitalSignature/CertificateSubject",
  "DigitalSignature/CertificateIssuer",
  "DigitalSignature/Description",
  "InjectedHexPattern",
  "PEInfo/DetectedAnomalies/string",
  "PEInfo/DetectedEntryPointSignature/Name",
  "PEInfo/DetectedEntryPointSignature/Type",
  "PEInfo/EpJumpCodes/Depth",
  "PEInfo/EpJumpCodes/Opcodes",
  "PEInfo/ExtraneousBytes",
  "PEInfo/PEChecksum/PEComputedAPI",
  "PEInfo/PEChecksum/PEFileAPI",
  "PEInfo/PEChecksum/PEFileRaw",
  "PEInfo/Sections/Section/DetectedCharacteristics",
  "PEInfo/Sections/Section/DetectedSignatureKeys/string",
  "PEInfo/Sections/Section/Entropy/CurveData/float",
].map((path) => `${memorySectionTerm}/${path}`);

/**
 * Whether any item of `documents` reads a section's PEInfo: without one, no
 * mapped file is opened (a Windows process maps a hundred DLLs).
 */
export function usesSectionPeInfo(documents: readonly IocDocument[]): boolean {
  const prefix = `${memorySectionTerm}/PEInfo`.toLowerCase();
  const reads = (node: IndicatorNode): boolean =>
    node.kind === "item"
      ? node.context.search.trim().toLowerCase().startsWith(prefix)
      : node.children.some(reads);
  return documents.some((document) => reads(document.root));
}
