/**
 * DOS, COFF and optional headers, data directories and the section table.
 *
 * @module
 */
import { hex, type ImageReader, latin1, view } from "./image_reader.ts";
import type { PeGap } from "./pe_info.ts";

/** One data directory entry (RVA and size; the security entry holds a file offset). */
export type DataDirectory = { address: number; size: number };

/** Indexes into the data directory array. */
export const directoryIndex = {
  export: 0,
  import: 1,
  resource: 2,
  security: 4,
  delayImport: 13,
} as const;

/** The `PEInfo` fields each data directory the parser reads locates. */
const directoryFields: readonly (readonly [number, readonly string[]])[] = [
  [directoryIndex.export, ["Exports"]],
  [directoryIndex.import, ["ImportedModules"]],
  [directoryIndex.resource, ["ResourceInfoList", "VersionInfoList"]],
  [directoryIndex.security, ["DigitalSignature"]],
  [directoryIndex.delayImport, ["ImportedModules"]],
];

/** One parsed section header. */
export type SectionHeader = {
  name: string;
  virtualSize: number;
  virtualAddress: number;
  rawSize: number;
  rawPointer: number;
  characteristics: number;
};

/** The headers the rest of the parser works from. */
export type PeHeaders = {
  /** Section-table facts lost (the table past the end of the file, cut short, or capped). */
  gaps: PeGap[];
  is64: boolean;
  machine: number;
  numberOfSections: number;
  timeDateStamp: number;
  characteristics: number;
  imageBase: number | bigint;
  fileAlignment: number;
  sizeOfHeaders: number;
  checkSum: number;
  /** File offset of the optional header's CheckSum field. */
  checkSumOffset: number;
  /** File offset of the data directory's certificate-table entry; undefined when not declared. */
  securityEntryOffset: number | undefined;
  subsystem: number;
  directories: DataDirectory[];
  sections: SectionHeader[];
};

/** The COFF header's facts and the section table, which do not depend on the optional header. */
export type CoffFacts = {
  machine: number;
  numberOfSections: number;
  timeDateStamp: number;
  characteristics: number;
  sections: SectionHeader[];
  /** Section-table facts lost (the table past the end of the file, cut short, or capped). */
  gaps: PeGap[];
};

/**
 * Why the headers could not be read; becomes the `ok: false` result. `coff`
 * holds what the intact COFF header and section table gave when only the
 * optional header is damaged.
 */
export type HeaderFailure = { reason: "not-pe" | "corrupt"; detail: string; coff?: CoffFacts };

const dosHeaderSize = 64;
const coffHeaderSize = 20;
const sectionHeaderSize = 40;
const pe32Magic = 0x10b;
const pe32PlusMagic = 0x20b;
const checkSumField = 64;
const dataDirectoryBytes = 8;

/**
 * Reads the headers. Problems that make the file unusable are returned as a
 * {@linkcode HeaderFailure}; survivable ones (a section table cut short or
 * capped, data directories past the end of the file) become `gaps`.
 */
export async function readHeaders(
  reader: ImageReader,
  maxSections: number,
): Promise<PeHeaders | HeaderFailure> {
  if (reader.size < 2) return { reason: "not-pe", detail: "file too small to hold an MZ header" };
  const head = await reader.readUpTo(0, 4096, "DOS header");
  if (head[0] !== 0x4d || head[1] !== 0x5a) {
    return { reason: "not-pe", detail: "no MZ signature at offset 0" };
  }
  if (head.length < dosHeaderSize) {
    return { reason: "corrupt", detail: `DOS header truncated: file is ${reader.size} bytes` };
  }
  const peOffset = view(head).getUint32(0x3c, true);
  if (peOffset + 4 + coffHeaderSize > reader.size) {
    return {
      reason: "corrupt",
      detail: `e_lfanew ${hex(peOffset)} points beyond the end of the ${reader.size}-byte file`,
    };
  }
  const coff = await reader.readAt(peOffset, 4 + coffHeaderSize, "COFF header");
  const coffView = view(coff);
  if (coffView.getUint32(0, true) !== 0x00004550) {
    return {
      reason: "not-pe",
      detail: `no PE signature at e_lfanew ${hex(peOffset)} (DOS, NE or LE program)`,
    };
  }
  const machine = coffView.getUint16(4, true);
  const numberOfSections = coffView.getUint16(6, true);
  const timeDateStamp = coffView.getUint32(8, true);
  const sizeOfOptionalHeader = coffView.getUint16(20, true);
  const characteristics = coffView.getUint16(22, true);

  const optionalOffset = peOffset + 4 + coffHeaderSize;
  const coffFacts: CoffFacts = {
    machine,
    numberOfSections,
    timeDateStamp,
    characteristics,
    ...await readSectionTable(
      reader,
      optionalOffset + sizeOfOptionalHeader,
      numberOfSections,
      maxSections,
    ),
  };
  const damaged = (detail: string): HeaderFailure => ({
    reason: "corrupt",
    detail,
    coff: coffFacts,
  });
  // Read the optional header as the loader does: from the file, whatever
  // SizeOfOptionalHeader says (tiny PE tricks shrink it and overlap the section table).
  const optional = await reader.readUpTo(
    optionalOffset,
    Math.max(sizeOfOptionalHeader, 240),
    "optional header",
  );
  if (optional.length < 2) {
    return damaged("optional header missing (file ends after the COFF header)");
  }
  const optionalView = view(optional);
  const magic = optionalView.getUint16(0, true);
  if (magic !== pe32Magic && magic !== pe32PlusMagic) {
    return damaged(
      `optional header magic ${hex(magic)} is neither PE32 (0x10b) nor PE32+ (0x20b)`,
    );
  }
  const is64 = magic === pe32PlusMagic;
  const directoriesOffset = is64 ? 112 : 96;
  if (optional.length < directoriesOffset) {
    return damaged(
      `optional header truncated: ${optional.length} of ${directoriesOffset} bytes in the file`,
    );
  }
  const imageBase = is64
    ? safeBig(optionalView.getBigUint64(24, true))
    : optionalView.getUint32(28, true);
  const fileAlignment = optionalView.getUint32(36, true);
  const sizeOfHeaders = optionalView.getUint32(60, true);
  const checkSum = optionalView.getUint32(checkSumField, true);
  const subsystem = optionalView.getUint16(68, true);
  const declaredDirectories = optionalView.getUint32(directoriesOffset - 4, true);
  let directoryCount = Math.min(declaredDirectories, 16);
  const roomForDirectories = Math.floor((optional.length - directoriesOffset) / 8);
  const gaps = [...coffFacts.gaps];
  if (directoryCount > roomForDirectories) {
    gaps.push({
      code: "pe-corrupt",
      message:
        `optional header: ${directoryCount} data directories declared, only ${roomForDirectories} present in the file`,
      fields: directoryFields.filter(([index]) =>
        index >= roomForDirectories && index < directoryCount
      )
        .flatMap(([, fields]) => fields),
    });
    directoryCount = roomForDirectories;
  }
  const directories: DataDirectory[] = [];
  for (let index = 0; index < 16; index++) {
    directories.push(
      index < directoryCount
        ? {
          address: optionalView.getUint32(directoriesOffset + index * dataDirectoryBytes, true),
          size: optionalView.getUint32(directoriesOffset + index * dataDirectoryBytes + 4, true),
        }
        : { address: 0, size: 0 },
    );
  }

  return {
    ...coffFacts,
    gaps,
    is64,
    imageBase,
    fileAlignment,
    sizeOfHeaders,
    checkSum,
    checkSumOffset: optionalOffset + checkSumField,
    securityEntryOffset: directoryCount > directoryIndex.security
      ? optionalOffset + directoriesOffset + directoryIndex.security * dataDirectoryBytes
      : undefined,
    subsystem,
    directories,
  };
}

/** Reads the section table at `sectionTableOffset` (COFF facts only: no optional header needed). */
async function readSectionTable(
  reader: ImageReader,
  sectionTableOffset: number,
  numberOfSections: number,
  maxSections: number,
): Promise<{ sections: SectionHeader[]; gaps: PeGap[] }> {
  const gaps: PeGap[] = [];
  let wanted = numberOfSections;
  if (wanted > maxSections) {
    gaps.push({
      code: "pe-capped",
      message:
        `section table: ${numberOfSections} sections declared, only the first ${maxSections} parsed`,
      fields: sectionsCutFields,
    });
    wanted = maxSections;
  }
  const table = await reader.readUpTo(
    sectionTableOffset,
    wanted * sectionHeaderSize,
    "section table",
  );
  const present = Math.floor(table.length / sectionHeaderSize);
  if (present === 0 && wanted > 0) {
    gaps.push({
      code: "pe-corrupt",
      message: `section table at ${
        hex(sectionTableOffset)
      } lies past the end of the ${reader.size}-byte file: none of its ${wanted} headers present`,
      fields: sectionTableFields,
    });
  } else if (present < wanted) {
    gaps.push({
      code: "pe-corrupt",
      message: `section table at ${
        hex(sectionTableOffset)
      } truncated: ${present} of ${wanted} headers present`,
      fields: sectionsCutFields,
    });
  }
  const tableView = view(table);
  const sections: SectionHeader[] = [];
  for (let index = 0; index < present; index++) {
    const base = index * sectionHeaderSize;
    const rawName = table.subarray(base, base + 8);
    const nul = rawName.indexOf(0);
    sections.push({
      name: latin1(rawName.subarray(0, nul < 0 ? 8 : nul)),
      virtualSize: tableView.getUint32(base + 8, true),
      virtualAddress: tableView.getUint32(base + 12, true),
      rawSize: tableView.getUint32(base + 16, true),
      rawPointer: tableView.getUint32(base + 20, true),
      characteristics: tableView.getUint32(base + 36, true),
    });
  }
  return { sections, gaps };
}

/**
 * What a section table cut short (at the limit, or by the end of the file) leaves unknown: the
 * sections not read, and what is computed from all of them. Tables whose addresses fall in a
 * section not read fail to map and report their own gaps.
 */
const sectionsCutFields: readonly string[] = [
  "Sections/Section",
  "Sections/ActualNumberOfSections",
  "ExtraneousBytes",
];

/**
 * What a section table lost past the end of the file leaves unknown: the sections, and the
 * tables found by mapping addresses through them.
 */
const sectionTableFields: readonly string[] = [
  "Sections/Section",
  "ImportedModules",
  "Exports",
  "ResourceInfoList",
  "VersionInfoList",
];

function safeBig(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
