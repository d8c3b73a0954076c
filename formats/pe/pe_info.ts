/**
 * The parser's result types. {@linkcode PeInfo} is shaped exactly like the
 * OpenIOC `FileItem/PEInfo` subtree: every property name is a search-path
 * segment, repeated elements are arrays, so a collector can store it as
 * `fields.PEInfo` unchanged and `FileItem/PEInfo/Sections/Section/Name` reads
 * `PEInfo.Sections.Section[*].Name`.
 *
 * These are type aliases rather than interfaces so that they are assignable to
 * the engine's `FieldValue` record type.
 *
 * @module
 */

/**
 * What kind of image this is, in the Mandiant spelling:
 * - `"Dll"` when the COFF characteristics carry `IMAGE_FILE_DLL`;
 * - `"Driver"` when the subsystem is `Native` and the image does not import
 *   `ntdll.dll` (kernel drivers link against `ntoskrnl.exe`/`hal.dll`, whereas
 *   native user-mode programs such as `smss.exe` import `ntdll.dll`), or the
 *   subsystem is an EFI boot-service or runtime driver;
 * - `"Executable"` otherwise.
 */
export type PeType = "Executable" | "Dll" | "Driver";

/** One section header. */
export type PeSection = {
  /** The 8-byte section name with trailing NULs removed, e.g. `.text`, `UPX0`. */
  Name: string;
  /** `SizeOfRawData`: the bytes the section occupies in the file. */
  SizeInBytes: number;
  /** `"Code"`, `"Data"`, `"UninitializedData"` or `"Other"`, from the content flags. */
  Type: string;
  /** The characteristic flags as `IMAGE_SCN_*` names joined with `" | "`. */
  DetectedCharacteristics: string;
  /** Shannon entropy (bits per byte, 0–8) of the raw data; only with `sectionEntropy`. */
  Entropy?: { AverageValue: number };
};

/** The section table. */
export type PeSections = {
  /** `NumberOfSections` as the COFF header states it. */
  NumberOfSections: number;
  /** How many section headers were actually present and parsed. */
  ActualNumberOfSections: number;
  Section: PeSection[];
};

/** One imported module (normal and delay-load imports alike). */
export type PeImportedModule = {
  /** The DLL name as written in the image, e.g. `KERNEL32.dll`. */
  Name: string;
  /** How many functions are imported from it (including ones imported by ordinal). */
  NumberOfFunctions: number;
  /** Function names; imports by ordinal appear as `#<ordinal>` (decimal). */
  ImportedFunctions: { string: string[] };
};

/**
 * The export directory. `ExportedFunctions` sits here, not directly under
 * `PEInfo`, because the OpenIOC term is `FileItem/PEInfo/Exports/ExportedFunctions/string`.
 */
export type PeExports = {
  /** The image's own name as stored in the export directory. */
  DllName?: string;
  /** The export directory's TimeDateStamp, ISO 8601 UTC; absent when zero. */
  ExportsTimeStamp?: string;
  /** Entries in the export address table. */
  NumberOfFunctions: number;
  /** Entries in the export name table. */
  NumberOfNames: number;
  /** Exported names (functions exported only by ordinal have no name and are not listed). */
  ExportedFunctions: { string: string[] };
};

/** One resource leaf (type / name / language). */
export type PeResourceInfoItem = {
  /** The resource name, or its numeric id in decimal. */
  Name: string;
  /** `RT_*` for the standard numeric types (`RT_VERSION`, `RT_ICON`…), else the name or decimal id. */
  Type: string;
  /** The language id as 4 upper-case hex digits, e.g. `0409`. */
  Language: string;
  /** Size of the resource data in bytes. */
  Size: number;
};

/**
 * One StringFileInfo string table from the RT_VERSION resource. Every string
 * in the table is kept under its own key (CompanyName, FileDescription,
 * FileVersion, InternalName, LegalCopyright, OriginalFilename, ProductName,
 * ProductVersion, Comments, LegalTrademarks, PrivateBuild, SpecialBuild, and
 * any non-standard keys such as `Assembly Version`). `Language` is the string
 * table's key, e.g. `040904B0` (language id then code page, hex).
 */
export type PeVersionInfoItem = { [key: string]: string };

/**
 * Authenticode signature facts read from the security directory.
 *
 * `SignatureVerified` is `true` only when the signature checks out as far as
 * the file alone allows (authenticode_verify.ts): the signed image digest
 * equals the file's Authenticode digest, the signer's certificate is in the
 * signature, the authenticated attributes' message digest matches the signed
 * content, and the signer's signature over them verifies with that
 * certificate's key. It says nothing about trust: the chain up to a trusted
 * root, validity dates and revocation are not checked. It is `false` for
 * unsigned files and for signatures that fail a check (or cannot be parsed),
 * and absent when the check could not be made (an unsupported algorithm, a
 * file or signature over the size limits); the parser then reports why.
 * Subject and issuer are the signer certificate's distinguished names, as
 * the signature claims them (verified or not), in the order Windows shows
 * them (most specific first, e.g.
 * `CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US`),
 * with the attribute names .NET's `X500DistinguishedName` uses (`S` for state,
 * `E` for e-mail, `OID.x.y.z` for unknown types).
 */
export type PeDigitalSignature = {
  SignatureExists: boolean;
  /** Absent when the signature could not be checked (see above). */
  SignatureVerified?: boolean;
  /** A short human description of what was found. */
  Description: string;
  CertificateSubject?: string;
  CertificateIssuer?: string;
};

/** The OpenIOC `FileItem/PEInfo` subtree of one PE image. */
export type PeInfo = {
  Type: PeType;
  /** The subsystem, e.g. `Windows_GUI`, `Windows_CUI`, `Native`, `EFI_Application`. */
  Subsystem: string;
  /** `ImageBase`; a bigint only when a PE32+ base exceeds 2^53. */
  BaseAddress: number | bigint;
  /** The COFF TimeDateStamp, ISO 8601 UTC (`2009-07-14T01:14:41Z`); absent when zero. */
  PETimeStamp?: string;
  /** Bytes after the last section's raw data that are not the certificate table (the overlay). */
  ExtraneousBytes: number;
  /** The checksum stored in the optional header. */
  PEChecksum: { PEFileRaw: number };
  Sections: PeSections;
  ImportedModules: { Module: PeImportedModule[] };
  /** Present when the image has an export directory. */
  Exports?: PeExports;
  ResourceInfoList: { ResourceInfoItem: PeResourceInfoItem[] };
  VersionInfoList: { VersionInfoItem: PeVersionInfoItem[] };
  DigitalSignature: PeDigitalSignature;
};

/** Why a source could not be parsed at all. */
export type PeFailureReason = "not-pe" | "corrupt" | "unreadable";

/**
 * What a PE whose optional header is damaged still tells: the COFF header's
 * timestamp and section count, the section table, and `Type` when the COFF
 * characteristics say `Dll`. Everything the optional header locates
 * (subsystem, base address, checksum, imports, exports, resources, version
 * strings, signature) is left out rather than guessed.
 */
export type PePartialInfo = Pick<PeInfo, "PETimeStamp" | "Sections"> & { Type?: "Dll" };

/**
 * The `PEInfo` fields a {@linkcode PePartialInfo} leaves out because the
 * optional header that locates them is damaged: not absent, unknown. `Type`
 * is unknown too unless the partial facts say `Dll`.
 */
export const PARTIAL_INFO_LEFT_OUT: readonly string[] = [
  "Subsystem",
  "BaseAddress",
  "ExtraneousBytes",
  "PEChecksum",
  "ImportedModules",
  "Exports",
  "ResourceInfoList",
  "VersionInfoList",
  "DigitalSignature",
];

/**
 * Why facts of the image are missing from the result:
 * - `pe-corrupt`: a part that did not parse (the optional header, a section
 *   table lying past the end of the file, a damaged import, export, resource
 *   or version table, a name past its length limit);
 * - `pe-capped`: a table cut at one of the parser's limits (sections,
 *   imported functions, exported names, resources, version string tables,
 *   strings or value lengths); what lies past the limit was not read;
 * - `pe-signature-not-evaluated`: the signature could not be checked, so
 *   `SignatureVerified` is absent.
 */
export type PeGapCode = "pe-corrupt" | "pe-capped" | "pe-signature-not-evaluated";

/**
 * A part of the image whose facts are missing or incomplete in the result,
 * and why ({@linkcode PeGapCode}). `fields` names what is missing for that
 * reason, as paths below `PEInfo` (`DigitalSignature/SignatureVerified`; a
 * path covers everything below it): a scan treats them as unknown, not
 * absent. A list cut short keeps the values read, but the list as a whole is
 * unknown: an item that the rest might hold neither holds nor fails.
 */
export type PeGap = {
  code: PeGapCode;
  message: string;
  fields: readonly string[];
};

/**
 * The parser's answer: the info plus warnings about parts that were damaged
 * or capped, or the reason nothing could be read.
 * - `not-pe`: no `MZ`, or no `PE\0\0` signature where `e_lfanew` points (DOS,
 *   NE and LE programs land here too);
 * - `corrupt`: it claims to be a PE file but its headers are truncated or
 *   invalid; `partial` holds what the intact COFF header and section table
 *   gave when only the optional header is damaged, and `gaps` what the
 *   section table itself lost (cut short or capped);
 * - `unreadable`: the byte source failed (I/O error).
 */
export type PeInfoResult =
  | { ok: true; info: PeInfo; warnings: string[]; gaps: PeGap[] }
  | {
    ok: false;
    reason: PeFailureReason;
    detail: string;
    partial?: PePartialInfo;
    gaps?: PeGap[];
  };

/** Limits and optional work for {@linkcode parsePeInfo}. */
export type PeParseOptions = {
  /** Compute each section's entropy (reads every section's raw data). Default `false`. */
  sectionEntropy?: boolean;
  /** Most bytes to read for tables and strings (entropy excluded). Default 64 MiB. */
  maxReadBytes?: number;
  /** Most section headers to parse. Default 1024. */
  maxSections?: number;
  /** Most imported plus delay-imported functions, all modules together. Default 65536. */
  maxImportedFunctions?: number;
  /** Most exported names. Default 65536. */
  maxExportedNames?: number;
  /** Most resource leaves. Default 8192. */
  maxResources?: number;
  /** Largest certificate table to read. Default 8 MiB. */
  maxCertificateBytes?: number;
  /**
   * Largest signed file whose Authenticode digest is computed (the whole file
   * is read once); larger files leave `SignatureVerified` out. Default 1 GiB.
   */
  maxSignedFileBytes?: number;
  /** Most warnings kept; later ones are counted in a last warning. Default 50. */
  maxWarnings?: number;
};
