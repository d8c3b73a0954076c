/**
 * The term catalogue: the one table of every search term iocscan supports.
 *
 * For each term it records the document the term belongs to, the field path
 * inside an observed object, the value type used for comparison (which wins over
 * `Content/@type`, since real files disagree with the term lists), and the
 * collector that supplies it.
 *
 * @example Resolve a term, whatever its spelling
 * ```ts
 * import { resolveTerm } from "./term_catalogue.ts";
 * const term = resolveTerm("FileItem/MD5Sum");
 * // term?.search === "FileItem/Md5sum", term?.valueType === "md5"
 * ```
 *
 * @module
 */

/** How a term's values are compared. */
export type ValueType =
  | "string"
  | "integer"
  | "date"
  | "duration"
  | "md5"
  | "sha1"
  | "sha256"
  | "ip"
  | "bool";

/**
 * The collectors built into iocscan: scan/collector_list.ts holds one
 * descriptor for each (the compiler checks it), and `scan.registerCollector()`
 * adds a collector at run time.
 */
export const builtinCollectors = [
  "file",
  "eventlog",
  "registry",
  "process",
  "port",
  "dns",
  "arp",
  "route",
  "network",
  "url-history",
  "volume",
  "user",
  "system",
  "task",
  "autoruns",
  "service",
  "driver",
  "disk",
  // The critical-areas scan's (docs/critical-scan.md): they own no document; `--types` runs them.
  "process-modules",
  "boot-files",
  "antivirus",
] as const;

/** The name of a collector built into iocscan. */
export type BuiltinCollectorName = typeof builtinCollectors[number];

/** The collectors whose documents the catalogue lists but that iocscan does not have (yet). */
export const plannedCollectors = [
  // PrefetchItem: Windows Prefetch files (what ran, when, how often), read below mounted images.
  "prefetch",
] as const;

/** The collectors that can supply terms: the built-in ones and the planned ones. */
export type CollectorName = BuiltinCollectorName | typeof plannedCollectors[number];

const available: string[] = [...builtinCollectors];

/**
 * The collectors that exist in this run: the built-in ones, then those added
 * with `scan.registerCollector()`. A live view: it grows when one is added.
 */
export const implementedCollectors: readonly string[] = available;

/**
 * Marks a collector as existing, so that the terms of its documents read as
 * `produced` (scan/collector_list.ts calls it when a collector is registered).
 */
export function markCollectorImplemented(name: string): void {
  if (!available.includes(name)) available.push(name);
}

/** The documents the catalogue assigns to a collector, in catalogue order. */
export function documentsOfCollector(name: string): readonly string[] {
  return [...new Set(table.filter((t) => t.collector === name).map((t) => t.document))];
}

/**
 * Whether a scan can evaluate a term: `produced` when its collector exists and
 * fills the field, `no-collector` when no collector of this build produces the
 * term's document, `not-produced` when the collector exists but never fills
 * this field. Items on terms that are not `produced` are reported as not
 * evaluated with the same word as reason.
 */
export type TermCoverage = "produced" | "no-collector" | "not-produced";

/**
 * How a string term's values are folded before comparison (engine/text_form.ts):
 * `file-extension` drops a leading dot, `registry-path` folds root names, user
 * hives and control sets to one spelling; `registry-key-path` (a key path
 * below the root, mount included) does too, and also tests observed key paths
 * relative to their hive's root; `mac-address` folds link-layer addresses to
 * lower case with `:` separators.
 */
export type TextForm =
  | "plain"
  | "file-extension"
  | "registry-path"
  | "registry-key-path"
  | "mac-address";

/** One supported search term. */
export interface TermDefinition {
  /** The canonical search path, e.g. `FileItem/Md5sum` or `processEvent/process`. */
  readonly search: string;
  /** The document the term reads, e.g. `FileItem`; HX event terms use the event name. */
  readonly document: string;
  /** The field path inside the observed object, e.g. `["PEInfo", "PETimeStamp"]`. */
  readonly path: readonly string[];
  /** How `Content` is compared for this term (wins over `Content/@type`). */
  readonly valueType: ValueType;
  /** The collector that produces objects of this term's document. */
  readonly collector: CollectorName;
  /** The fold applied to both sides of a string comparison (engine/text_form.ts). */
  readonly textForm: TextForm;
  /**
   * Whether a scan can read this term today. `tests/term_production_test.ts`
   * checks it against what each collector really emits.
   */
  readonly coverage: TermCoverage;
}

/** The key path below the root, mount included, of hive-backed registry objects. */
const registryKeyPathTerm = "registryitem/keypath";
/** DriverItem's kernel-object terms: the driver and device objects and their dispatch routines. */
const driverObjectTerms: readonly string[] = [
  "DriverInit",
  "DriverObjectAddress",
  "DriverStartIo",
  "DriverUnload",
  ...[
    "CLEANUP",
    "CLOSE",
    "CREATE",
    "CREATE_MAILSLOT",
    "CREATE_NAMED_PIPE",
    "DEVICE_CHANGE",
    "DEVICE_CONTROL",
    "DIRECTORY_CONTROL",
    "FILE_SYSTEM_CONTROL",
    "FLUSH_BUFFERS",
    "INTERNAL_DEVICE_CONTROL",
    "LOCK_CONTROL",
    "PNP",
    "POWER",
    "QUERY_EA",
    "QUERY_INFORMATION",
    "QUERY_QUOTA",
    "QUERY_SECURITY",
    "QUERY_VOLUME_INFORMATION",
    "READ",
    "SET_EA",
    "SET_INFORMATION",
    "SET_QUOTA",
    "SET_SECURITY",
    "SET_VOLUME_INFORMATION",
    "SHUTDOWN",
    "SYSTEM_CONTROL",
    "WRITE",
  ].map((major) => `IRP_MJ_${major}`),
  ...[
    "AttachedDeviceName",
    "AttachedDeviceObject",
    "AttachedDriverName",
    "AttachedDriverObject",
    "AttachedToDeviceName",
    "AttachedToDeviceObject",
    "AttachedToDriverName",
    "AttachedToDriverObject",
    "DeviceName",
    "DeviceObject",
    "DriverName",
  ].map((field) => `DeviceItem/${field}`),
];

/** HookItem's fields (none is produced: docs/driver.md). */
const hookItemFields: Readonly<Record<string, ValueType>> = {
  HookDescription: "string",
  HookedFunction: "string",
  HookedModule: "string",
  HookingModule: "string",
  HookingAddress: "integer",
  "DigitalSignatureHooking/SignatureExists": "bool",
  "DigitalSignatureHooking/SignatureVerified": "bool",
  "DigitalSignatureHooking/CertificateSubject": "string",
  "DigitalSignatureHooking/CertificateIssuer": "string",
  "DigitalSignatureHooking/Description": "string",
  "DigitalSignatureHooked/SignatureExists": "bool",
  "DigitalSignatureHooked/SignatureVerified": "bool",
  "DigitalSignatureHooked/CertificateSubject": "string",
  "DigitalSignatureHooked/CertificateIssuer": "string",
  "DigitalSignatureHooked/Description": "string",
};

/** The signature fields of a service's image or DLL, after their prefix (`pathSignatureExists`). */
const serviceSignatureFields: Readonly<Record<string, ValueType>> = {
  SignatureExists: "bool",
  SignatureVerified: "bool",
  SignatureDescription: "string",
  CertificateSubject: "string",
  CertificateIssuer: "string",
};

/** `fields` with each name after `prefix` (no separator). */
function prefixed(
  prefix: string,
  fields: Readonly<Record<string, ValueType>>,
): Record<string, ValueType> {
  return Object.fromEntries(Object.entries(fields).map(([name, type]) => [prefix + name, type]));
}

/**
 * Terms of implemented collectors that those collectors do not fill (yet):
 * lower-cased `document/field`. An item on one of them is not evaluated
 * (`not-produced`), never read as a missing field: a negated item would hold.
 */
const notProducedTerms: ReadonlySet<string> = new Set([
  "fileitem/devicepath",
  "fileitem/filenamecreated",
  "fileitem/filenamemodified",
  "fileitem/filenameaccessed",
  "fileitem/filenamechanged",
  "fileitem/fileattributes",
  "fileitem/securityid",
  "fileitem/securitytype",
  "fileitem/peakentropy",
  "fileitem/streamlist/stream/name",
  "fileitem/streamlist/stream/sizeinbytes",
  "fileitem/stringlist/string",
  // Endpoint-network sees host names only (docs/matching.md, "Endpoint network mode").
  "network/string",
  "network/useragent",
  "network/http_referr",
  "network/http_referrer",
  // When a neighbour was last (un)reachable: Windows keeps milliseconds since, in a union whose
  // meaning depends on a flag, Linux counters since the last use; neither is the time 1.1 means.
  "arpentryitem/lastreachable",
  "arpentryitem/lastunreachable",
  // Windows documents MIB_IPFORWARD_ROW2.Age as unused; Linux keeps no age.
  "routeentryitem/routeage",
  // ProcessItem: what the process collector does not fill (docs/process-collector.md), and a
  // memory section's own digests, signature and Redline's injected-code patterns
  // (docs/process-memory.md).
  "processitem/securitytype",
  "processitem/hooked/api/functionname",
  "processitem/hooked/api/hookingmodulename",
  "processitem/sectionlist/memorysection/md5sum",
  "processitem/sectionlist/memorysection/sha1sum",
  "processitem/sectionlist/memorysection/sha256sum",
  "processitem/sectionlist/memorysection/injectedhexpattern",
  "processitem/sectionlist/memorysection/digitalsignature/signatureexists",
  "processitem/sectionlist/memorysection/digitalsignature/signatureverified",
  "processitem/sectionlist/memorysection/digitalsignature/certificatesubject",
  "processitem/sectionlist/memorysection/digitalsignature/certificateissuer",
  "processitem/sectionlist/memorysection/digitalsignature/description",
  // VolumeItem (docs/volume.md): when a volume was created is in no API iocscan calls (Redline
  // read it from the file system's own records).
  "volumeitem/creationtime",
  // UrlHistoryItem (docs/url-history.md): the local time of a visit needs the user's time zone,
  // which a history database does not record; bookmarks, page text and thumbnails are other
  // stores than the history iocscan reads.
  "urlhistoryitem/lastvisitdatelocal",
  "urlhistoryitem/firstbookmarkdate",
  "urlhistoryitem/indexedcontent",
  "urlhistoryitem/thumbnail",
  // TaskItem (docs/task.md): the next run is the scheduler's computation, not a stored fact;
  // the signatures of a task's or an action's image are not checked; WorkItemData is the Windows
  // XP .job format; a trigger's value queries, delay in seconds, a task's reference and group are
  // not kept.
  "taskitem/nextruntime",
  "taskitem/actionlist/action/digitalsignature/signatureexists",
  "taskitem/actionlist/action/digitalsignature/signatureverified",
  "taskitem/actionlist/action/digitalsignature/certificatesubject",
  "taskitem/actionlist/action/digitalsignature/certificateissuer",
  "taskitem/actionlist/action/digitalsignature/description",
  "taskitem/triggerlist/trigger/triggervaluequeries",
  "taskitem/triggers/trigger/delay",
  "taskitem/workitemdata",
  "taskitem/signatureexists",
  "taskitem/signatureverified",
  "taskitem/signaturedescription",
  "taskitem/certificatesubject",
  "taskitem/certificateissuer",
  "taskitem/digitalsignature/signatureexists",
  "taskitem/digitalsignature/signatureverified",
  "taskitem/digitalsignature/certificatesubject",
  "taskitem/digitalsignature/certificateissuer",
  "taskitem/digitalsignature/certificatechain",
  "taskitem/digitalsignature/description",
  "taskitem/reference",
  "taskitem/groupname",
  // ServiceItem (docs/service.md): macOS launchd facts, and a certificate chain nothing gives.
  "serviceitem/digitalsignature/certificatechain",
  "serviceitem/pathcertificatechain",
  "serviceitem/groupname",
  "serviceitem/machservices/machservice",
  "serviceitem/reference",
  "serviceitem/username",
  // DriverItem and ModuleItem (docs/driver.md): kernel objects (driver and device objects, their
  // dispatch routines) need a kernel driver of our own to read; a Linux module's .modinfo
  // section (license, signer, parameters…) is not parsed.
  ...driverObjectTerms.map((field) => `driveritem/${field.toLowerCase()}`),
  "driveritem/stringlist/string",
  "moduleitem/moduleinit",
  "moduleitem/moduleaddress",
  "moduleitem/aliaslist/alias/name",
  "moduleitem/dependslist/depends/module",
  "moduleitem/intree",
  "moduleitem/license",
  "moduleitem/parmlist/parm/name",
  "moduleitem/retpoline",
  "moduleitem/sighashalgorithm",
  "moduleitem/sigkey",
  "moduleitem/signat",
  "moduleitem/signer",
  "moduleitem/srcversion",
  "moduleitem/vermagic",
  // HookItem: finding kernel hooks needs kernel memory; no sound way from user mode (docs/driver.md).
  ...Object.keys(hookItemFields).map((field) => `hookitem/${field.toLowerCase()}`),
]);

/** The link-layer address terms, folded to one spelling (`mac-address`). */
const macAddressTerms = new Set(["arpentryitem/physicaladdress"]);

/** Registry locations written as paths, whose root and user spellings vary. */
const registryPathTerms = new Set([
  "registryitem/hive",
  "registryitem/path",
  "regkeyevent/hive",
  "regkeyevent/keypath",
  "regkeyevent/path",
]);

/** The fields of the HX events about a file a process loaded or wrote (one shape for both). */
const hxFileEventFields: Readonly<Record<string, ValueType>> = {
  fileName: "string",
  filePath: "string",
  fullPath: "string",
  fileExtension: "string",
  drive: "string",
  process: "string",
  processPath: "string",
  pid: "integer",
  username: "string",
  md5: "md5",
  sha1: "sha1",
  sha256: "sha256",
  timestamp: "date",
};

/**
 * The fields of a parsed PE image (formats/pe), one list for every place one
 * is read: a file's `PEInfo`, and a process memory section's mapped file
 * (`ProcessItem/SectionList/MemorySection/PEInfo`).
 */
const peInfoFields: Readonly<Record<string, ValueType>> = {
  "PEInfo/Type": "string",
  "PEInfo/Subsystem": "string",
  "PEInfo/BaseAddress": "integer",
  "PEInfo/PETimeStamp": "date",
  "PEInfo/Sections/NumberOfSections": "integer",
  "PEInfo/Sections/Section/Name": "string",
  "PEInfo/Sections/Section/Type": "string",
  "PEInfo/Sections/Section/SizeInBytes": "integer",
  "PEInfo/ImportedModules/Module/Name": "string",
  "PEInfo/ImportedModules/Module/NumberOfFunctions": "integer",
  "PEInfo/ImportedModules/Module/ImportedFunctions/string": "string",
  "PEInfo/Exports/DllName": "string",
  "PEInfo/Exports/ExportsTimeStamp": "date",
  "PEInfo/Exports/NumberOfFunctions": "integer",
  "PEInfo/Exports/NumberOfNames": "integer",
  "PEInfo/Exports/ExportedFunctions/string": "string",
  "PEInfo/ResourceInfoList/ResourceInfoItem/Name": "string",
  "PEInfo/ResourceInfoList/ResourceInfoItem/Type": "string",
  "PEInfo/ResourceInfoList/ResourceInfoItem/Language": "string",
  "PEInfo/ResourceInfoList/ResourceInfoItem/Size": "integer",
  "PEInfo/VersionInfoList/VersionInfoItem/Comments": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/CompanyName": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/FileDescription": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/FileVersion": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/InternalName": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/Language": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/LegalCopyright": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/LegalTrademarks": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/OriginalFilename": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/PrivateBuild": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/ProductName": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/ProductVersion": "string",
  "PEInfo/VersionInfoList/VersionInfoItem/SpecialBuild": "string",
  "PEInfo/DigitalSignature/SignatureExists": "bool",
  "PEInfo/DigitalSignature/SignatureVerified": "bool",
  "PEInfo/DigitalSignature/CertificateSubject": "string",
  "PEInfo/DigitalSignature/CertificateIssuer": "string",
  "PEInfo/DigitalSignature/Description": "string",
};

/** The fields of a memory section (docs/process-memory.md), its mapped file's PEInfo included. */
const memorySectionFields: Readonly<Record<string, ValueType>> = {
  Name: "string",
  Protection: "string",
  RegionStart: "integer",
  RegionSize: "integer",
  Mapped: "string",
  Injected: "bool",
  RawFlags: "string",
  InjectedHexPattern: "string",
  Md5sum: "md5",
  Sha1sum: "sha1",
  Sha256sum: "sha256",
  "DigitalSignature/SignatureExists": "bool",
  "DigitalSignature/SignatureVerified": "bool",
  "DigitalSignature/CertificateSubject": "string",
  "DigitalSignature/CertificateIssuer": "string",
  "DigitalSignature/Description": "string",
  ...peInfoFields,
};

/** The fields of one port, as a PortItem and inside a process's `PortList`. */
const portFields: Readonly<Record<string, ValueType>> = {
  pid: "integer",
  process: "string",
  path: "string",
  protocol: "string",
  state: "string",
  localIP: "ip",
  localPort: "integer",
  remoteIP: "ip",
  remotePort: "integer",
  CreationTime: "date",
  isIPv6: "bool",
};

/** `fields` with each name under `prefix/`. */
function nested(
  prefix: string,
  fields: Readonly<Record<string, ValueType>>,
): Record<string, ValueType> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, type]) => [`${prefix}/${name}`, type]),
  );
}

/**
 * The table. Grouped by document; within a group, spelled exactly as the
 * Mandiant/FireEye term lists spell the search path (the canonical form that
 * collectors should emit). Only terms that some iocscan collector can supply
 * belong here: anything else must resolve to undefined so that `indicators`
 * marks it unsupported and scans list it as not evaluated.
 */
const table: readonly TermDefinition[] = [
  // FileItem: the file-system walker, with hashes, PE data and strings computed lazily.
  ...group("FileItem", "file", {
    FullPath: "string",
    FilePath: "string",
    FileName: "string",
    FileExtension: "string",
    DevicePath: "string",
    Drive: "string",
    SizeInBytes: "integer",
    Created: "date",
    Modified: "date",
    Accessed: "date",
    Changed: "date",
    FilenameCreated: "date",
    FilenameModified: "date",
    FilenameAccessed: "date",
    FilenameChanged: "date",
    FileAttributes: "string",
    Username: "string",
    SecurityID: "string",
    SecurityType: "string",
    Md5sum: "md5",
    Sha1sum: "sha1",
    Sha256sum: "sha256",
    PeakEntropy: "string",
    ...peInfoFields,
    "StreamList/Stream/Name": "string",
    "StreamList/Stream/SizeInBytes": "integer",
    "StringList/string": "string",
  }),
  // RegistryItem: one registry value (or a key with no values) from live hives or hive files.
  ...group("RegistryItem", "registry", {
    Hive: "string",
    KeyPath: "string",
    Path: "string",
    ValueName: "string",
    Type: "string",
    Text: "string",
    Value: "string",
    NumSubKeys: "integer",
    NumValues: "integer",
    Modified: "date",
    Username: "string",
    SecurityID: "string",
    ReportedLengthInBytes: "integer",
    // One object per ShimCache (AppCompatCache) entry of a SYSTEM hive (docs/registry.md):
    // ExecutablePath from the 1.1 term list, the others iocscan extensions.
    "ShimCache/ExecutablePath": "string",
    "ShimCache/LastModified": "date",
    "ShimCache/Executed": "bool",
    "ShimCache/Position": "integer",
  }),
  // EventLogItem: one event record from a live channel or an .evtx file.
  ...group("EventLogItem", "eventlog", {
    log: "string",
    source: "string",
    EID: "integer",
    index: "integer",
    type: "string",
    category: "string",
    categoryNum: "string",
    genTime: "date",
    writeTime: "date",
    user: "string",
    machine: "string",
    message: "string",
    "unformattedMessage/string": "string",
    ExecutionProcessId: "integer",
    ExecutionThreadId: "integer",
    CorrelationActivityId: "string",
    CorrelationRelatedActivityId: "string",
  }),
  // ProcessItem: one running process (collectors/process/), its image hashed lazily.
  ...group("ProcessItem", "process", {
    name: "string",
    pid: "integer",
    parentpid: "integer",
    ParentProcessName: "string",
    path: "string",
    arguments: "string",
    cmdLine: "string",
    Username: "string",
    SecurityID: "string",
    SecurityType: "string",
    startTime: "date",
    kernelTime: "string",
    userTime: "string",
    md5sum: "md5",
    sha1sum: "sha1",
    sha256sum: "sha256",
    DllPath: "string",
    "EnabledPrivilege/Name": "string",
    "Hooked/API/FunctionName": "string",
    "Hooked/API/HookingModuleName": "string",
    "HandleList/Handle/Name": "string",
    "HandleList/Handle/Type": "string",
    "HandleList/Handle/FileDescriptor": "integer",
    "HandleList/Handle/INode": "integer",
    ...nested("SectionList/MemorySection", memorySectionFields),
    ...nested("PortList/PortItem", portFields),
    "StringList/string": "string",
  }),
  // PortItem: one TCP/UDP endpoint of the connection table.
  ...group("PortItem", "port", portFields),
  // DnsEntryItem: one record of the resolver cache.
  ...group("DnsEntryItem", "dns", {
    Host: "string",
    RecordName: "string",
    RecordType: "string",
    TimeToLive: "integer",
    Flags: "string",
    DataLength: "integer",
    "RecordData/Host": "string",
    "RecordData/IPv4Address": "ip",
    "RecordData/IPv6Address": "ip",
    "RecordData/String": "string",
  }),
  // ArpEntryItem: one neighbour-cache entry.
  ...group("ArpEntryItem", "arp", {
    Interface: "string",
    InterfaceType: "string",
    PhysicalAddress: "string",
    IPv4Address: "ip",
    IPv6Address: "ip",
    IsRouter: "bool",
    State: "string",
    CacheType: "string",
    LastReachable: "string",
    LastUnreachable: "string",
  }),
  // RouteEntryItem: one routing-table entry.
  ...group("RouteEntryItem", "route", {
    Interface: "string",
    Destination: "ip",
    Netmask: "ip",
    Gateway: "ip",
    RouteType: "string",
    Protocol: "string",
    Metric: "integer",
    IsIPv6: "bool",
    Flags: "string",
    MTU: "integer",
    Origin: "string",
    ValidLifetime: "integer",
    PreferredLifetime: "integer",
    IsLoopback: "bool",
    IsAutoconfigureAddress: "bool",
    IsPublish: "bool",
    IsImmortal: "bool",
    RouteAge: "string",
  }),
  // ServiceItem: one Windows service, or a Linux systemd unit or init script (collectors/service/).
  ...group("ServiceItem", "service", {
    name: "string",
    descriptiveName: "string",
    description: "string",
    mode: "string",
    startedAs: "string",
    path: "string",
    arguments: "string",
    pathmd5sum: "md5",
    pathsha1sum: "sha1",
    pathsha256sum: "sha256",
    ...prefixed("path", serviceSignatureFields),
    pathCertificateChain: "string",
    pid: "integer",
    serviceDLL: "string",
    serviceDLLmd5sum: "md5",
    serviceDLLsha1sum: "sha1",
    serviceDLLsha256sum: "sha256",
    ...prefixed("serviceDLL", serviceSignatureFields),
    status: "string",
    type: "string",
    // The macOS spellings of the image's digests and signature: the same facts.
    md5sum: "md5",
    sha1sum: "sha1",
    sha256sum: "sha256",
    "DigitalSignature/SignatureExists": "bool",
    "DigitalSignature/SignatureVerified": "bool",
    "DigitalSignature/CertificateSubject": "string",
    "DigitalSignature/CertificateIssuer": "string",
    "DigitalSignature/Description": "string",
    "DigitalSignature/CertificateChain": "string",
    groupName: "string",
    "machServices/machService": "string",
    reference: "string",
    userName: "string",
    // iocscan's extension: what runs when the service fails (FailureCommand).
    failureCommand: "string",
  }),
  // UserItem: one local account.
  ...group("UserItem", "user", {
    Username: "string",
    SecurityID: "string",
    SecurityType: "string",
    fullname: "string",
    description: "string",
    homedirectory: "string",
    scriptpath: "string",
    LastLogin: "date",
    disabled: "bool",
    lockedout: "bool",
    passwordrequired: "bool",
    userpasswordage: "duration",
    "grouplist/groupname": "string",
  }),
  // SystemInfoItem: the one host-description object.
  ...group("SystemInfoItem", "system", {
    hostname: "string",
    domain: "string",
    OS: "string",
    OSbitness: "string",
    buildNumber: "string",
    productName: "string",
    productID: "string",
    patchLevel: "string",
    installDate: "date",
    machine: "string",
    processor: "string",
    timezone: "string",
    totalphysical: "integer",
    availphysical: "integer",
    uptime: "duration",
    user: "string",
    loggedOnUser: "string",
    kernelVersion: "string",
    platform: "string",
    date: "date",
    directory: "string",
    regOwner: "string",
    regOrg: "string",
    primaryIpAddress: "ip",
    primaryIpv4Address: "ip",
    primaryIpv6Address: "ip",
    MAC: "string",
    "networkArray/networkInfo/adapter": "string",
    "networkArray/networkInfo/description": "string",
    "networkArray/networkInfo/MAC": "string",
    "networkArray/networkInfo/ipArray/ipInfo/ipAddress": "ip",
    "networkArray/networkInfo/ipArray/ipInfo/subnetMask": "string",
    "networkArray/networkInfo/ipArray/ipInfo/ipv6Address": "ip",
    "networkArray/networkInfo/ipGatewayArray/ipGateway": "ip",
  }),
  // VolumeItem: one mounted volume (docs/volume.md).
  ...group("VolumeItem", "volume", {
    Name: "string",
    DevicePath: "string",
    DriveLetter: "string",
    Type: "string",
    VolumeName: "string",
    SerialNumber: "integer",
    FileSystemName: "string",
    FileSystemFlags: "string",
    TotalSize: "integer",
    FreeSize: "integer",
    IsMounted: "bool",
    CreationTime: "date",
    BytesPerSector: "integer",
    SectorsPerAllocationUnit: "integer",
    TotalAllocationUnits: "integer",
    ActualAvailableAllocationUnits: "integer",
  }),
  // DriverItem: one kernel driver or module (collectors/driver/), its image hashed lazily.
  ...group("DriverItem", "driver", {
    DriverName: "string",
    ImageBase: "integer",
    ImageSize: "integer",
    Md5sum: "md5",
    Sha1sum: "sha1",
    Sha256sum: "sha256",
    SignatureExists: "bool",
    SignatureVerified: "bool",
    SignatureDescription: "string",
    CertificateSubject: "string",
    CertificateIssuer: "string",
    ...peInfoFields,
    "StringList/string": "string",
    ...Object.fromEntries(driverObjectTerms.map((field) => [field, "string" as ValueType])),
  }),
  // ModuleItem: one loaded kernel module, in its Windows and its Linux spellings.
  ...group("ModuleItem", "driver", {
    ModuleName: "string",
    ModulePath: "string",
    ModuleBase: "integer",
    ModuleSize: "integer",
    ModuleInit: "integer",
    ModuleAddress: "integer",
    Module: "string",
    Filename: "string",
    Size: "integer",
    Status: "string",
    Address: "string",
    "UsedByList/Module": "string",
    Md5sum: "md5",
    Sha1sum: "sha1",
    Sha256sum: "sha256",
    "AliasList/Alias/Name": "string",
    "DependsList/Depends/Module": "string",
    Intree: "bool",
    License: "string",
    "ParmList/Parm/Name": "string",
    Retpoline: "bool",
    SigHashAlgorithm: "string",
    SigKey: "string",
    Signat: "string",
    Signer: "string",
    SrcVersion: "string",
    Vermagic: "string",
  }),
  // TaskItem: one scheduled task (collectors/task/, docs/task.md): Windows task files and
  // TaskCache, Linux cron, anacron, systemd timers and at; the 1.0 (Redline) and 1.1 terms.
  ...group("TaskItem", "task", {
    Name: "string",
    VirtualPath: "string",
    path: "string",
    Status: "string",
    disabled: "bool",
    Flag: "string",
    Comment: "string",
    Creator: "string",
    AccountName: "string",
    userName: "string",
    AccountLogonType: "string",
    AccountRunLevel: "string",
    ApplicationName: "string",
    Parameters: "string",
    arguments: "string",
    WorkingDirectory: "string",
    CreationDate: "date",
    MostRecentRunTime: "date",
    NextRunTime: "date",
    ExitCode: "integer",
    MaxRunTime: "string",
    Priority: "string",
    md5sum: "md5",
    sha1sum: "sha1",
    sha256sum: "sha256",
    "ActionList/Action/ActionType": "string",
    "ActionList/Action/ExecProgramPath": "string",
    "ActionList/Action/ExecArguments": "string",
    "ActionList/Action/ExecWorkingDirectory": "string",
    "ActionList/Action/ExecProgramMd5sum": "md5",
    "ActionList/Action/ExecProgramSha1sum": "sha1",
    "ActionList/Action/ExecProgramSha256sum": "sha256",
    "ActionList/Action/COMClassId": "string",
    "ActionList/Action/COMData": "string",
    "ActionList/Action/EmailAttachments": "string",
    "ActionList/Action/EmailBCC": "string",
    "ActionList/Action/EmailBody": "string",
    "ActionList/Action/EmailCC": "string",
    "ActionList/Action/EmailFrom": "string",
    "ActionList/Action/EmailReplyTo": "string",
    "ActionList/Action/EmailServer": "string",
    "ActionList/Action/EmailSubject": "string",
    "ActionList/Action/EmailTo": "string",
    "ActionList/Action/ShowMessageBody": "string",
    "ActionList/Action/ShowMessageTitle": "string",
    "ActionList/Action/DigitalSignature/SignatureExists": "bool",
    "ActionList/Action/DigitalSignature/SignatureVerified": "bool",
    "ActionList/Action/DigitalSignature/CertificateSubject": "string",
    "ActionList/Action/DigitalSignature/CertificateIssuer": "string",
    "ActionList/Action/DigitalSignature/Description": "string",
    "TriggerList/Trigger/TriggerEnabled": "bool",
    "TriggerList/Trigger/TriggerBegin": "date",
    "TriggerList/Trigger/TriggerEnd": "date",
    "TriggerList/Trigger/TriggerFrequency": "string",
    "TriggerList/Trigger/TriggerUsername": "string",
    "TriggerList/Trigger/TriggerDelay": "string",
    "TriggerList/Trigger/TriggerMaxRunTime": "string",
    "TriggerList/Trigger/TriggerSessionChangeType": "string",
    "TriggerList/Trigger/TriggerSubscription": "string",
    "TriggerList/Trigger/TriggerValueQueries": "string",
    "triggers/trigger/type": "string",
    "triggers/trigger/schedule": "string",
    "triggers/trigger/details": "string",
    "triggers/trigger/delay": "integer",
    crontabCommand: "string",
    crontabMinute: "string",
    crontabHour: "string",
    crontabDayOfMonth: "string",
    crontabMonth: "string",
    crontabDayOfWeek: "string",
    crontabPath: "string",
    crontabPeriod: "string",
    crontabEvent: "string",
    crontabDelay: "integer",
    crontabJobIdentifier: "string",
    WorkItemData: "string",
    SignatureExists: "bool",
    SignatureVerified: "bool",
    SignatureDescription: "string",
    CertificateSubject: "string",
    CertificateIssuer: "string",
    "DigitalSignature/SignatureExists": "bool",
    "DigitalSignature/SignatureVerified": "bool",
    "DigitalSignature/CertificateSubject": "string",
    "DigitalSignature/CertificateIssuer": "string",
    "DigitalSignature/CertificateChain": "string",
    "DigitalSignature/Description": "string",
    reference: "string",
    groupName: "string",
  }),
  // UrlHistoryItem: one URL of a browser profile's history, with its visits (docs/url-history.md).
  ...group("UrlHistoryItem", "url-history", {
    URL: "string",
    HostName: "string",
    PageTitle: "string",
    Username: "string",
    Profile: "string",
    BrowserName: "string",
    BrowserVersion: "string",
    VisitType: "string",
    VisitFrom: "string",
    VisitCount: "integer",
    Typed: "bool",
    Hidden: "bool",
    FirstVisitDate: "date",
    LastVisitDate: "date",
    LastVisitDateLocal: "date",
    FirstBookmarkDate: "date",
    IndexedContent: "string",
    Thumbnail: "string",
  }),
  // HookItem: one kernel hook, found while enumerating drivers; never produced (docs/driver.md).
  ...group("HookItem", "driver", hookItemFields),
  // DiskItem: one disk (fixed disk of the live host, or disk image) with its partition table
  // and its boot records, hashed and checked (docs/disk.md). Model, SectorSize,
  // PartitionScheme, DiskSignature, DiskGuid, the Partition extras and BootRecordList are
  // iocscan extensions.
  ...group("DiskItem", "disk", {
    DiskName: "string",
    DiskSize: "integer",
    DevicePath: "string",
    DiskConnection: "string",
    Type: "string",
    Model: "string",
    SectorSize: "integer",
    PartitionScheme: "string",
    DiskSignature: "string",
    DiskGuid: "string",
    "PartitionList/Partition/PartitionNumber": "integer",
    "PartitionList/Partition/PartitionOffset": "integer",
    "PartitionList/Partition/PartitionLength": "integer",
    "PartitionList/Partition/PartitionType": "string",
    "PartitionList/Partition/PartitionTypeId": "string",
    "PartitionList/Partition/PartitionRole": "string",
    "PartitionList/Partition/PartitionName": "string",
    "PartitionList/Partition/PartitionGuid": "string",
    "PartitionList/Partition/Bootable": "bool",
    "BootRecordList/BootRecord/Kind": "string",
    "BootRecordList/BootRecord/Offset": "integer",
    "BootRecordList/BootRecord/Size": "integer",
    "BootRecordList/BootRecord/PartitionNumber": "integer",
    "BootRecordList/BootRecord/Md5sum": "md5",
    "BootRecordList/BootRecord/Sha1sum": "sha1",
    "BootRecordList/BootRecord/Sha256sum": "sha256",
    "BootRecordList/BootRecord/Problem": "string",
  }),
  // PrefetchItem: one Windows Prefetch file (the planned prefetch collector).
  ...group("PrefetchItem", "prefetch", {
    ApplicationFileName: "string",
    ApplicationFullPath: "string",
    FullPath: "string",
    PrefetchHash: "string",
    Created: "date",
    LastRun: "date",
    TimesExecuted: "integer",
    SizeInBytes: "integer",
    ReportedSizeInBytes: "integer",
    "AccessedFileList/AccessedFile": "string",
    "VolumeList/VolumeItem/DevicePath": "string",
    "VolumeList/VolumeItem/SerialNumber": "integer",
    "VolumeList/VolumeItem/CreationTime": "date",
  }),
  // AutorunItem: one autostart entry (an iocscan extension document, docs/autoruns.md); its
  // image is also a FileItem of the autoruns collector's.
  ...group("AutorunItem", "autoruns", {
    Category: "string",
    Location: "string",
    EntryName: "string",
    Command: "string",
    ImagePath: "string",
    Arguments: "string",
    Enabled: "bool",
    Username: "string",
    Source: "string",
    Md5sum: "md5",
    Sha1sum: "sha1",
    Sha256sum: "sha256",
  }),
  // HX real-time event documents, read back from Sysmon/Security event records. Only fields
  // those records carry are listed (docs/eventlog.md); the rest of HX's event terms stay
  // unsupported, so they are reported as not evaluated rather than never matching in silence.
  ...group("processEvent", "eventlog", {
    process: "string",
    processPath: "string",
    processCmdLine: "string",
    parentProcess: "string",
    parentProcessPath: "string",
    pid: "integer",
    parentPid: "integer",
    username: "string",
    startTime: "date",
    eventType: "string",
    md5: "md5",
    sha1: "sha1",
    sha256: "sha256",
    timestamp: "date",
  }),
  ...group("imageLoadEvent", "eventlog", hxFileEventFields),
  ...group("fileWriteEvent", "eventlog", hxFileEventFields),
  ...group("regKeyEvent", "eventlog", {
    hive: "string",
    path: "string",
    keyPath: "string",
    valueName: "string",
    valueType: "string",
    text: "string",
    process: "string",
    processPath: "string",
    pid: "integer",
    eventType: "integer",
    username: "string",
    timestamp: "date",
  }),
  ...group("dnsLookupEvent", "eventlog", {
    hostname: "string",
    process: "string",
    processPath: "string",
    pid: "integer",
    username: "string",
    timestamp: "date",
  }),
  // Network: what a network sensor sees. The endpoint-network mode (opt-in) gives the host
  // names this machine resolved: DNS, and URI matched on the host only.
  ...group("Network", "network", {
    DNS: "string",
    URI: "string",
    String: "string",
    UserAgent: "string",
    HTTP_Referr: "string",
    HTTP_Referrer: "string",
  }),
  ...group("ipv4NetworkEvent", "eventlog", {
    remoteIP: "ip",
    remotePort: "integer",
    localIP: "ip",
    localPort: "integer",
    protocol: "string",
    process: "string",
    processPath: "string",
    pid: "integer",
    username: "string",
    timestamp: "date",
  }),
];

/** Builds the entries of one document from `field path → value type`. */
function group(
  document: string,
  collector: CollectorName,
  fields: Readonly<Record<string, ValueType>>,
): TermDefinition[] {
  return Object.entries(fields).map(([field, valueType]) => ({
    search: `${document}/${field}`,
    document,
    path: field.split("/"),
    valueType,
    collector,
    textForm: textFormOf(document, field),
    // A getter: a collector registered at run time makes its terms `produced`.
    get coverage() {
      return coverageOf(this.search, collector);
    },
  }));
}

function coverageOf(search: string, collector: string): TermCoverage {
  if (!implementedCollectors.includes(collector)) return "no-collector";
  return notProducedTerms.has(search.toLowerCase()) ? "not-produced" : "produced";
}

function textFormOf(document: string, field: string): TextForm {
  if (/(^|\/)fileextension$/i.test(field)) return "file-extension";
  if (registryPathTerms.has(`${document}/${field}`.toLowerCase())) return "registry-path";
  if (`${document}/${field}`.toLowerCase() === registryKeyPathTerm) return "registry-key-path";
  if (macAddressTerms.has(`${document}/${field}`.toLowerCase())) return "mac-address";
  return "plain";
}

const byLowerSearch = new Map(table.map((t) => [t.search.toLowerCase(), t]));

/**
 * Finds the catalogue entry for a search path as written in an IOC file.
 * Matching is case-insensitive, and the HX `eventItem/<event>/<field>` spelling
 * resolves to the same entry as `<event>/<field>`.
 *
 * @param search `Context/@search` as written.
 * @returns The entry, or undefined when the term is not supported.
 */
export function resolveTerm(search: string): TermDefinition | undefined {
  let key = search.trim().toLowerCase();
  if (key.startsWith("eventitem/")) key = key.slice("eventitem/".length);
  return byLowerSearch.get(key);
}

/** Every supported term, in catalogue order. */
export function allTerms(): readonly TermDefinition[] {
  return table;
}
