/**
 * The PE parser's entry point: headers first, then each table on its own, so
 * that damage in one table costs only that table (with a warning).
 *
 * @module
 */
import { readAuthenticodeSigner } from "./authenticode.ts";
import { authenticodeDigest } from "./authenticode_digest.ts";
import { verifyAuthenticode } from "./authenticode_verify.ts";
import type { ByteSource } from "../byte_source.ts";
import { readExports } from "./exports.ts";
import {
  type CoffFacts,
  directoryIndex,
  type PeHeaders,
  readHeaders,
  type SectionHeader,
} from "./headers.ts";
import { hex, ImageReader, PeReadError, unixToIso } from "./image_reader.ts";
import { readDelayImports, readImports } from "./imports.ts";
import type {
  PeDigitalSignature,
  PeImportedModule,
  PeInfo,
  PeInfoResult,
  PeParseOptions,
  PePartialInfo,
  PeSection,
  PeType,
  PeVersionInfoItem,
} from "./pe_info.ts";
import { readResources, type ResourceLeaf, rtVersion } from "./resources.ts";
import { parseVersionInfo } from "./version_info.ts";
import { GapList } from "./gap_list.ts";
import { WarningList } from "./warning_list.ts";

const defaults = {
  maxReadBytes: 64 * 1024 * 1024,
  maxSections: 1024,
  maxImportedFunctions: 65536,
  maxExportedNames: 65536,
  maxResources: 8192,
  maxCertificateBytes: 8 * 1024 * 1024,
  maxSignedFileBytes: 1024 * 1024 * 1024,
  maxWarnings: 50,
};
const maxVersionResourceBytes = 1024 * 1024;
const maxVersionResources = 4;
const entropyChunk = 1024 * 1024;

/**
 * Parses the `PEInfo` facts of a PE image (PE32 or PE32+). Never throws for
 * bad input: a file that is not PE, is damaged beyond its headers' use, or
 * cannot be read gives `ok: false` with a reason (and, when only the optional
 * header is damaged, the `partial` facts of the intact COFF header and
 * section table). Whatever a table reader could not read, because the table
 * is damaged or cut at one of the limits, is listed in `gaps` with the
 * `PEInfo` field paths it leaves unknown (`pe-corrupt`, `pe-capped`), as is a
 * signature that could not be checked; `warnings` hold what cost no fact (a
 * subtree referenced twice, a certificate table that could not be read).
 * Every count, size, loop and read is bounded (see {@linkcode PeParseOptions}).
 *
 * @example
 * ```ts ignore
 * import { byteSourceFromBytes, parsePeInfo } from "./mod.ts";
 * const result = await parsePeInfo(byteSourceFromBytes(await Deno.readFile("app.exe")));
 * if (result.ok) console.log(result.info.ImportedModules.Module.map((module) => module.Name));
 * else console.error(`${result.reason}: ${result.detail}`);
 * ```
 */
export async function parsePeInfo(
  source: ByteSource,
  options: PeParseOptions = {},
): Promise<PeInfoResult> {
  const limits = { ...defaults, ...options };
  const warnings = new WarningList(limits.maxWarnings);
  try {
    if (!Number.isSafeInteger(source.size) || source.size < 0) {
      return { ok: false, reason: "unreadable", detail: `invalid source size ${source.size}` };
    }
    const reader = new ImageReader(source, limits.maxReadBytes);
    const headers = await readHeaders(reader, limits.maxSections);
    if ("reason" in headers) {
      const failure = { ok: false as const, reason: headers.reason, detail: headers.detail };
      if (headers.coff === undefined) return failure;
      const partial = await partialInfo(source, headers.coff, limits.sectionEntropy ?? false);
      return { ...failure, partial, gaps: headers.coff.gaps };
    }
    const gaps = new GapList(limits.maxWarnings);
    for (const gap of headers.gaps) gaps.add(gap.code, gap.message, gap.fields);
    reader.setSections(headers.sections, headers.sizeOfHeaders, headers.fileAlignment);

    const importBudget = { remaining: limits.maxImportedFunctions };
    const modules: PeImportedModule[] = [
      ...await readImports(
        reader,
        headers.directories[directoryIndex.import]!,
        headers.is64,
        importBudget,
        gaps,
      ),
      ...await readDelayImports(
        reader,
        headers.directories[directoryIndex.delayImport]!,
        headers.is64,
        headers.imageBase,
        importBudget,
        gaps,
      ),
    ];
    const exports = await readExports(
      reader,
      headers.directories[directoryIndex.export]!,
      limits.maxExportedNames,
      gaps,
    );
    const resources = await readResources(
      reader,
      headers.directories[directoryIndex.resource]!,
      limits.maxResources,
      warnings,
      gaps,
    );
    const versionItems = await readVersionItems(reader, resources, gaps);
    const signature = await readSignature(reader, source, headers, limits, warnings, gaps);
    const sections = await describeSections(
      source,
      headers.sections,
      limits.sectionEntropy ?? false,
      warnings,
    );

    const info: PeInfo = {
      Type: imageType(headers, modules),
      Subsystem: subsystemName(headers.subsystem),
      BaseAddress: headers.imageBase,
      ExtraneousBytes: extraneousBytes(source.size, headers),
      PEChecksum: { PEFileRaw: headers.checkSum },
      Sections: {
        NumberOfSections: headers.numberOfSections,
        ActualNumberOfSections: headers.sections.length,
        Section: sections,
      },
      ImportedModules: { Module: modules },
      ResourceInfoList: {
        ResourceInfoItem: resources.map(({ Name, Type, Language, Size }) => ({
          Name,
          Type,
          Language,
          Size,
        })),
      },
      VersionInfoList: { VersionInfoItem: versionItems },
      DigitalSignature: signature,
    };
    if (headers.timeDateStamp !== 0) info.PETimeStamp = unixToIso(headers.timeDateStamp);
    if (exports) info.Exports = exports;
    if (
      typeDependsOnImports(headers) &&
      gaps.toArray().some((gap) => gap.fields.includes("ImportedModules"))
    ) {
      gaps.add(
        "pe-corrupt",
        "Type: a native image is a driver unless it imports ntdll.dll, and its import list is unknown",
        ["Type"],
      );
    }
    return { ok: true, info, warnings: warnings.toArray(), gaps: gaps.toArray() };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (error instanceof PeReadError) return { ok: false, reason: "unreadable", detail };
    // Structural errors that escaped every table's own handling, including
    // any unexpected exception a hostile file provokes.
    return { ok: false, reason: "corrupt", detail };
  }
}

/** The facts of the intact COFF header and section table of an image whose optional header is damaged. */
async function partialInfo(
  source: ByteSource,
  coff: CoffFacts,
  withEntropy: boolean,
): Promise<PePartialInfo> {
  // Section descriptions warn only about entropy; the caller reports the damage itself.
  const sectionWarnings = new WarningList(1);
  const partial: PePartialInfo = {
    Sections: {
      NumberOfSections: coff.numberOfSections,
      ActualNumberOfSections: coff.sections.length,
      Section: await describeSections(source, coff.sections, withEntropy, sectionWarnings),
    },
  };
  if (coff.timeDateStamp !== 0) partial.PETimeStamp = unixToIso(coff.timeDateStamp);
  if ((coff.characteristics & imageFileDll) !== 0) partial.Type = "Dll";
  return partial;
}

const imageFileDll = 0x2000;
const subsystemNative = 1;

/** Whether {@linkcode imageType} looks at the import list: a native image that is no DLL. */
function typeDependsOnImports(headers: PeHeaders): boolean {
  return (headers.characteristics & imageFileDll) === 0 && headers.subsystem === subsystemNative;
}

function imageType(headers: PeHeaders, modules: PeImportedModule[]): PeType {
  if ((headers.characteristics & imageFileDll) !== 0) return "Dll";
  if (headers.subsystem === 11 || headers.subsystem === 12) return "Driver";
  if (
    typeDependsOnImports(headers) &&
    !modules.some((module) => module.Name.toLowerCase() === "ntdll.dll")
  ) return "Driver";
  return "Executable";
}

const subsystems: readonly (string | undefined)[] = [
  "Unknown",
  "Native",
  "Windows_GUI",
  "Windows_CUI",
  undefined,
  "OS2_CUI",
  undefined,
  "POSIX_CUI",
  "Native_Windows",
  "Windows_CE_GUI",
  "EFI_Application",
  "EFI_Boot_Service_Driver",
  "EFI_Runtime_Driver",
  "EFI_ROM",
  "Xbox",
  undefined,
  "Windows_Boot_Application",
];

function subsystemName(value: number): string {
  return subsystems[value] ?? `Unknown_${value}`;
}

/** Bytes past the last section's raw data, not counting a certificate table there. */
function extraneousBytes(size: number, headers: PeHeaders): number {
  let imageEnd = Math.min(headers.sizeOfHeaders, size);
  for (const section of headers.sections) {
    if (section.rawSize > 0) imageEnd = Math.max(imageEnd, section.rawPointer + section.rawSize);
  }
  imageEnd = Math.min(imageEnd, size);
  const security = headers.directories[directoryIndex.security]!;
  let certificateBytes = 0;
  if (security.size > 0 && security.address >= imageEnd && security.address < size) {
    certificateBytes = Math.min(size, security.address + security.size) - security.address;
  }
  return Math.max(0, size - imageEnd - certificateBytes);
}

/**
 * Reads the string tables of the first {@linkcode maxVersionResources} version resources. A
 * resource skipped, cut short or damaged leaves the version list unknown (a gap), never absent.
 */
async function readVersionItems(
  reader: ImageReader,
  resources: ResourceLeaf[],
  gaps: GapList,
): Promise<PeVersionInfoItem[]> {
  const items: PeVersionInfoItem[] = [];
  const all = resources.filter((leaf) => leaf.typeId === rtVersion);
  if (all.length > maxVersionResources) {
    gaps.add(
      "pe-capped",
      `${all.length} version resources; only the first ${maxVersionResources} read`,
      versionFields,
    );
  }
  for (const leaf of all.slice(0, maxVersionResources)) {
    const place = `version resource ${leaf.Name}/${leaf.Language} at RVA ${hex(leaf.dataRva)}`;
    try {
      if (leaf.Size > maxVersionResourceBytes) {
        gaps.add(
          "pe-capped",
          `${place}: ${leaf.Size} bytes is larger than the ${maxVersionResourceBytes}-byte limit; skipped`,
          versionFields,
        );
        continue;
      }
      const bytes = await reader.readRvaUpTo(leaf.dataRva, leaf.Size, place);
      if (bytes.length < leaf.Size) {
        gaps.add(
          "pe-corrupt",
          `${place}: only ${bytes.length} of ${leaf.Size} bytes in the file`,
          versionFields,
        );
      }
      const version = parseVersionInfo(bytes);
      items.push(...version.items);
      for (const gap of version.gaps) gaps.add(gap.code, `${place}: ${gap.message}`, gap.fields);
    } catch (error) {
      if (error instanceof PeReadError) throw error;
      gaps.add("pe-corrupt", `${place}: ${messageOf(error)}`, versionFields);
    }
  }
  return items;
}

/** What a version resource not read, or read in part, leaves unknown. */
const versionFields: readonly string[] = ["VersionInfoList"];

async function readSignature(
  reader: ImageReader,
  source: ByteSource,
  headers: PeHeaders,
  limits: typeof defaults,
  warnings: WarningList,
  gaps: GapList,
): Promise<PeDigitalSignature> {
  const security = headers.directories[directoryIndex.security]!;
  const unsigned = {
    SignatureExists: false,
    SignatureVerified: false,
    Description: "File is not signed",
  };
  if (security.address === 0 || security.size === 0) return unsigned;
  // The security directory holds a file offset, not an RVA.
  const place = `certificate table at file offset ${hex(security.address)}`;
  if (security.address + 8 > reader.size) {
    warnings.add(`${place} lies beyond the end of the file`);
    return unsigned;
  }
  const notEvaluated = (why: string): PeDigitalSignature => {
    gaps.add("pe-signature-not-evaluated", `${place}: ${why}`, [
      "DigitalSignature/SignatureVerified",
    ]);
    return { SignatureExists: true, Description: `File is signed; signature not checked: ${why}` };
  };
  const maxBytes = limits.maxCertificateBytes;
  if (security.size > maxBytes) {
    return notEvaluated(`${security.size} bytes is larger than the ${maxBytes}-byte limit`);
  }
  let table: Uint8Array;
  let signer: { subject: string; issuer: string };
  try {
    table = await reader.readUpTo(security.address, security.size, place);
    if (table.length < security.size) {
      warnings.add(`${place}: truncated to ${table.length} of ${security.size} bytes`);
    }
    signer = readAuthenticodeSigner(table);
  } catch (error) {
    if (error instanceof PeReadError) throw error;
    warnings.add(`${place}: ${messageOf(error)}`);
    return {
      SignatureExists: true,
      SignatureVerified: false,
      Description: `File has a signature that could not be read: ${messageOf(error)}`,
    };
  }
  const names = { CertificateSubject: signer.subject, CertificateIssuer: signer.issuer };
  const securityEntryOffset = headers.securityEntryOffset!;
  const verdict = await verifyAuthenticode(table, async (algorithm) => {
    if (source.size > limits.maxSignedFileBytes) {
      return `the ${source.size}-byte file is larger than the ${limits.maxSignedFileBytes}-byte limit for hashing`;
    }
    try {
      return await authenticodeDigest(source, {
        checkSumOffset: headers.checkSumOffset,
        securityEntryOffset,
        certificateTable: { offset: security.address, size: security.size },
      }, algorithm);
    } catch (error) {
      throw new PeReadError(
        `reading the file for its Authenticode digest failed: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    }
  });
  switch (verdict.status) {
    case "verified":
      return {
        SignatureExists: true,
        SignatureVerified: true,
        Description:
          `File is signed; the signature verifies (${verdict.detail}; trust in the root is not checked)`,
        ...names,
      };
    case "invalid":
      return {
        SignatureExists: true,
        SignatureVerified: false,
        Description: `File is signed; the signature does not verify: ${verdict.detail}`,
        ...names,
      };
    case "not-evaluated":
      return { ...notEvaluated(verdict.detail), ...names };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const characteristicNames: readonly [number, string][] = [
  [0x00000008, "IMAGE_SCN_TYPE_NO_PAD"],
  [0x00000020, "IMAGE_SCN_CNT_CODE"],
  [0x00000040, "IMAGE_SCN_CNT_INITIALIZED_DATA"],
  [0x00000080, "IMAGE_SCN_CNT_UNINITIALIZED_DATA"],
  [0x00000100, "IMAGE_SCN_LNK_OTHER"],
  [0x00000200, "IMAGE_SCN_LNK_INFO"],
  [0x00000800, "IMAGE_SCN_LNK_REMOVE"],
  [0x00001000, "IMAGE_SCN_LNK_COMDAT"],
  [0x00004000, "IMAGE_SCN_NO_DEFER_SPEC_EXC"],
  [0x00008000, "IMAGE_SCN_GPREL"],
  [0x00020000, "IMAGE_SCN_MEM_PURGEABLE"],
  [0x00040000, "IMAGE_SCN_MEM_LOCKED"],
  [0x00080000, "IMAGE_SCN_MEM_PRELOAD"],
  [0x01000000, "IMAGE_SCN_LNK_NRELOC_OVFL"],
  [0x02000000, "IMAGE_SCN_MEM_DISCARDABLE"],
  [0x04000000, "IMAGE_SCN_MEM_NOT_CACHED"],
  [0x08000000, "IMAGE_SCN_MEM_NOT_PAGED"],
  [0x10000000, "IMAGE_SCN_MEM_SHARED"],
  [0x20000000, "IMAGE_SCN_MEM_EXECUTE"],
  [0x40000000, "IMAGE_SCN_MEM_READ"],
  [0x80000000, "IMAGE_SCN_MEM_WRITE"],
];

function describeCharacteristics(flags: number): string {
  const names = characteristicNames.filter(([bit]) => (flags & bit) >>> 0 !== 0).map(([, name]) =>
    name
  );
  const alignment = (flags >>> 20) & 0xf;
  if (alignment >= 1 && alignment <= 14) names.push(`IMAGE_SCN_ALIGN_${1 << (alignment - 1)}BYTES`);
  return names.join(" | ");
}

function sectionType(flags: number): string {
  if (flags & 0x20) return "Code";
  if (flags & 0x40) return "Data";
  if (flags & 0x80) return "UninitializedData";
  if (flags & 0x20000000) return "Code";
  return "Other";
}

async function describeSections(
  source: ByteSource,
  headers: SectionHeader[],
  withEntropy: boolean,
  warnings: WarningList,
): Promise<PeSection[]> {
  // Overlapping sections could make entropy read the file many times over: read it at most once in total.
  let entropyBudget = source.size;
  const sections: PeSection[] = [];
  for (const header of headers) {
    const section: PeSection = {
      Name: header.name,
      SizeInBytes: header.rawSize,
      Type: sectionType(header.characteristics),
      DetectedCharacteristics: describeCharacteristics(header.characteristics),
    };
    if (withEntropy) {
      const start = Math.min(header.rawPointer, source.size);
      const length = Math.min(header.rawSize, source.size - start);
      if (length > entropyBudget) {
        warnings.add(
          `section ${header.name}: entropy skipped (overlapping sections exceed the file size)`,
        );
      } else {
        entropyBudget -= length;
        section.Entropy = { AverageValue: await entropyOf(source, start, length) };
      }
    }
    sections.push(section);
  }
  return sections;
}

async function entropyOf(source: ByteSource, start: number, length: number): Promise<number> {
  if (length === 0) return 0;
  const counts = new Float64Array(256);
  let total = 0;
  for (let offset = start; offset < start + length;) {
    let chunk: Uint8Array;
    try {
      chunk = await source.read(offset, Math.min(entropyChunk, start + length - offset));
    } catch (error) {
      throw new PeReadError(
        `read at ${hex(offset)} for section entropy failed: ${messageOf(error)}`,
        { cause: error },
      );
    }
    if (chunk.length === 0) break;
    for (const byte of chunk) counts[byte]!++;
    total += chunk.length;
    offset += chunk.length;
  }
  if (total === 0) return 0;
  let entropy = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const probability = count / total;
    entropy -= probability * Math.log2(probability);
  }
  return Math.round(entropy * 1e6) / 1e6;
}
