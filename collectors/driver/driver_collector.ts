/**
 * The DriverItem and ModuleItem collector: the loaded kernel modules of a
 * live Linux system (`/proc/modules`, their `.ko` files hashed lazily) and
 * the kernel drivers configured in the SYSTEM hive of offline evidence
 * (their images hashed and PE-parsed lazily below a mounted root). A loaded
 * module is both a DriverItem and a ModuleItem; a configured driver is a
 * DriverItem only. HookItem, which the catalogue also assigns to this
 * collector, is not produced (docs/driver.md).
 *
 * @module
 */
import { thisComputerName } from "../live/mod.ts";
import type { Collector, CollectorFinding, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { FileOpener } from "../file/mod.ts";
import { entryFiles, type ImageField, ImageFiles, readingOf } from "../service/mod.ts";
import type { DriverRecord, DriverSource } from "./driver_source.ts";
import { unsignedTaint } from "./kernel_modules.ts";

/**
 * The finding of a loaded kernel module of unknown origin: its file cannot be found, or it taints
 * the kernel as unsigned (docs/critical-scan.md).
 */
export const unknownOriginDriver = "unknown-origin-driver";

/** The collector's name. */
export const driverCollectorName = "driver";
/** The documents it produces (HookItem's terms are all `not-produced`). */
export const driverDocuments: readonly string[] = ["DriverItem", "ModuleItem", "HookItem"];

const driverDocument = "DriverItem";
const moduleDocument = "ModuleItem";

/** The most objects of one document handed over; past it the document is unread. */
export const maxDriverObjects = 20_000;

/** The digests of a module or driver file: the file collector's, under the same names. */
const digestFields: readonly ImageField[] = [
  { name: "Md5sum", file: "", fileField: "Md5sum" },
  { name: "Sha1sum", file: "", fileField: "Sha1sum" },
  { name: "Sha256sum", file: "", fileField: "Sha256sum" },
];

/** DriverItem's lazy fields: digests, PEInfo, and the signature also at the top level. */
export const driverImageFields: readonly ImageField[] = [
  ...digestFields,
  { name: "PEInfo", file: "", fileField: "PEInfo" },
  ...([
    ["SignatureExists", "SignatureExists"],
    ["SignatureVerified", "SignatureVerified"],
    ["SignatureDescription", "Description"],
    ["CertificateSubject", "CertificateSubject"],
    ["CertificateIssuer", "CertificateIssuer"],
  ] as const).map(([name, below]): ImageField => ({
    name,
    file: "",
    fileField: "PEInfo",
    below: `DigitalSignature/${below}`,
  })),
];

/** ModuleItem's lazy fields: its file's digests. */
export const moduleImageFields: readonly ImageField[] = digestFields;

/** Why a configured driver's load address and size are unknown. */
export const notLoaded = "configured in a hive, not read from a running kernel: not known";

/** The figures of a run. */
export interface DriverCollectorStats {
  source: string;
  drivers: number;
  modules: number;
  skipped: number;
  images: number;
}

/** Options of {@linkcode createDriverCollector}. */
export interface DriverCollectorOptions {
  readonly source: DriverSource;
  /** The computer for provenance (default `Deno.hostname()`; `""` for offline evidence: none). */
  readonly hostname?: string;
  readonly opener?: FileOpener;
  readonly hashWorkers?: number;
  /** Whether a link is followed to an image (false below a mounted root). Default true. */
  readonly followSymlinks?: boolean;
  readonly maxObjects?: number;
  /**
   * Report loaded modules of unknown origin as findings (`unknown-origin-driver`), whether or not
   * an IOC needs drivers: the live Linux source (the critical-areas scan).
   */
  readonly findings?: boolean;
  /** The clock of findings (tests). */
  readonly now?: () => Date;
}

/** The driver collector. */
export interface DriverCollector extends Collector {
  readonly stats: Readonly<DriverCollectorStats>;
}

/** Makes a driver collector over one source. */
export function createDriverCollector(options: DriverCollectorOptions): DriverCollector {
  const empty = (): DriverCollectorStats => ({
    source: options.source.name,
    drivers: 0,
    modules: 0,
    skipped: 0,
    images: 0,
  });
  let stats = empty();
  let images: ImageFiles | undefined;
  let moduleImages: ImageFiles | undefined;
  return {
    name: driverCollectorName,
    documents: driverDocuments,
    get stats() {
      return { ...stats, images: (images?.images ?? 0) + (moduleImages?.images ?? 0) };
    },
    collect(request: CollectRequest): AsyncIterable<ObservedItem> {
      stats = empty();
      const reading = {
        ...readingOf(options, request, () => stats.skipped++),
        collector: driverCollectorName,
      };
      const driverNeeds = request.needs.get(driverDocument);
      const moduleNeeds = request.needs.get(moduleDocument);
      images = driverNeeds && new ImageFiles(reading, driverImageFields, driverNeeds);
      moduleImages = moduleNeeds && new ImageFiles(reading, moduleImageFields, moduleNeeds);
      return collectDrivers(options, request, stats, images, moduleImages);
    },
  };
}

async function* collectDrivers(
  options: DriverCollectorOptions,
  request: CollectRequest,
  stats: DriverCollectorStats,
  images: ImageFiles | undefined,
  moduleImages: ImageFiles | undefined,
): AsyncGenerator<ObservedItem> {
  const wantDrivers = request.needs.has(driverDocument);
  const wantModules = request.needs.has(moduleDocument);
  if (!wantDrivers && !wantModules && !options.findings) return;
  const read = await options.source.read(request.signal);
  if (options.findings) {
    reportUnknownOrigin(read.records, options, request);
    for (const skip of read.skips.filter((skip) => skip.unreadDocuments !== undefined)) {
      // The kernel area of a critical-areas scan, not listed: said, never silent (a kernel
      // built without loadable modules has no /proc/modules at all).
      request.reporter.finding?.({
        source: driverCollectorName,
        kind: "area-not-read",
        object: skip.object,
        severity: "notice",
        detail: `the loaded kernel modules were not listed: ${skip.detail}`,
        time: (options.now ?? (() => new Date()))().toISOString(),
      });
    }
  }
  for (const skip of read.skips) {
    const documents = skip.unreadDocuments ?? [];
    if (documents.length > 0 && !documents.some((document) => request.needs.has(document))) {
      continue;
    }
    stats.skipped++;
    request.reporter.skipped({ collector: driverCollectorName, ...skip });
  }
  for (const warning of read.warnings) {
    request.reporter.warning({ collector: driverCollectorName, ...warning });
  }
  const computer = options.hostname ?? thisComputerName();
  const observed = new Date().toISOString();
  const cap = options.maxObjects ?? maxDriverObjects;
  const overCap = (document: string): boolean => {
    stats.skipped++;
    request.reporter.skipped({
      collector: driverCollectorName,
      object: options.source.name,
      reason: "source-unavailable",
      detail: `more than ${cap} ${document} objects: the rest was not read`,
      unreadDocuments: [document],
    });
    return true;
  };
  try {
    if (wantDrivers) {
      for (const record of read.records) {
        if (request.signal?.aborted) return;
        if (stats.drivers >= cap && overCap(driverDocument)) break;
        stats.drivers++;
        yield driverItemOf(record, computer, observed, images);
      }
    }
    if (wantModules) {
      for (const record of read.records.filter((record) => record.loaded)) {
        if (request.signal?.aborted) return;
        if (stats.modules >= cap && overCap(moduleDocument)) break;
        stats.modules++;
        yield moduleItemOf(record, computer, observed, moduleImages);
      }
    }
  } finally {
    images?.release();
    moduleImages?.release();
  }
}

/** A finding for each loaded module whose file was not found or that is unsigned. */
function reportUnknownOrigin(
  records: readonly DriverRecord[],
  options: DriverCollectorOptions,
  request: CollectRequest,
): void {
  const time = (options.now ?? (() => new Date()))().toISOString();
  for (const record of records) {
    if (!record.loaded) continue;
    const unsigned = record.taint?.includes(unsignedTaint) === true;
    const why = [
      ...(record.path === undefined ? [record.notOpened ?? "its file was not found"] : []),
      ...(unsigned ? [`it taints the kernel as unsigned (taint flags ${record.taint})`] : []),
    ];
    if (why.length === 0) continue;
    const finding: CollectorFinding = {
      source: driverCollectorName,
      kind: unknownOriginDriver,
      object: record.name,
      severity: "notice",
      detail: `kernel module ${record.name}: ${why.join("; ")}`,
      time,
      data: {
        ...(record.taint === undefined ? {} : { taint: record.taint }),
        ...(record.path === undefined ? {} : { file: record.path }),
      },
    };
    request.reporter.finding?.(finding);
  }
}

function provenanceOf(record: DriverRecord, computer: string, observed: string) {
  return {
    time: record.time ?? observed,
    // No computer for offline evidence (""): the scanning machine is not the evidence's.
    ...(computer ? { computer } : {}),
    ...(record.source !== undefined ? { source: record.source } : {}),
  };
}

/** The image of a live driver as this machine opens it (never offline evidence's). */
function imageOf(record: DriverRecord) {
  return record.source === undefined && record.pathOpen !== undefined
    ? { image: record.pathOpen }
    : {};
}

/** The DriverItem of one record. */
export function driverItemOf(
  record: DriverRecord,
  computer: string,
  observed: string,
  images: ImageFiles | undefined,
): ObservedItem {
  const fields: ObservedItem["fields"] = { DriverName: record.name };
  if (record.imageBase !== undefined) fields["ImageBase"] = record.imageBase;
  if (record.imageSize !== undefined) fields["ImageSize"] = record.imageSize;
  const item: ObservedItem = {
    document: driverDocument,
    key: record.key,
    fields,
    provenance: { ...provenanceOf(record, computer, observed), ...imageOf(record) },
  };
  if (!record.loaded) item.unevaluated = { ImageBase: notLoaded, ImageSize: notLoaded };
  else if (record.unknown) item.unevaluated = { ...record.unknown };
  const lazy = images?.sourceFor(filesOf(record));
  if (lazy !== undefined) item.lazy = lazy;
  return item;
}

/** The record's file, for its lazy fields. */
function filesOf(record: DriverRecord) {
  return entryFiles(
    {
      kind: "driver",
      name: record.name,
      sourceKey: record.key,
      ...(record.notOpened ? { notOpened: record.notOpened } : {}),
    },
    [["", record.path ?? record.name, record.pathOpen]],
  );
}

/** The ModuleItem of one loaded module. */
export function moduleItemOf(
  record: DriverRecord,
  computer: string,
  observed: string,
  images?: ImageFiles,
): ObservedItem {
  // Each fact under its Windows (ModuleName…) and its Linux (Module…) spelling.
  const fields: ObservedItem["fields"] = { ModuleName: record.name, Module: record.name };
  if (record.path !== undefined) {
    fields["ModulePath"] = record.path;
    fields["Filename"] = record.path;
  }
  if (record.imageBase !== undefined) {
    fields["ModuleBase"] = record.imageBase;
    fields["Address"] = `0x${record.imageBase.toString(16)}`;
  }
  if (record.imageSize !== undefined) {
    fields["ModuleSize"] = record.imageSize;
    fields["Size"] = record.imageSize;
  }
  if (record.state !== undefined) fields["Status"] = record.state;
  if (record.usedBy !== undefined) fields["UsedByList"] = { Module: [...record.usedBy] };
  const item: ObservedItem = {
    document: moduleDocument,
    key: record.key,
    fields,
    provenance: provenanceOf(record, computer, observed),
  };
  if (record.path === undefined) {
    const why = record.notOpened ?? "the module's file was not found";
    item.unevaluated = { ModulePath: why, Filename: why };
  }
  if (record.imageBase === undefined) {
    const why = record.unknown?.["ImageBase"] ??
      "the kernel hides module addresses here (kptr_restrict, or no CAP_SYSLOG)";
    item.unevaluated = { ...item.unevaluated, ModuleBase: why, Address: why };
  }
  const lazy = images?.sourceFor(filesOf(record));
  if (lazy !== undefined) item.lazy = lazy;
  return item;
}
