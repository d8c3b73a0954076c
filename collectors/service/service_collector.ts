/**
 * The ServiceItem collector: the services of a live Linux system (systemd
 * unit files, SysV init scripts) or of offline Windows evidence (the SYSTEM
 * hive), one object each, with the image's and service DLL's digests and
 * signatures computed lazily through the file machinery.
 *
 * @module
 */
import { thisComputerName } from "../live/mod.ts";
import type { Collector, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import {
  type ImageField,
  imageFieldsWithPrefix,
  ImageFiles,
  type ImageReading,
} from "./image_files.ts";
import { serviceDocument, serviceItemOf } from "./service_item.ts";
import type { ServiceSource } from "./service_source.ts";
import type { FileOpener } from "../file/mod.ts";

/** The collector's name. */
export const serviceCollectorName = "service";
/** The documents it produces. */
export const serviceDocuments: readonly string[] = [serviceDocument];

/** The most ServiceItem objects handed over; past it the document is unread. */
export const maxServiceObjects = 50_000;

/** The lazy fields of a ServiceItem: its image's and its service DLL's. */
export const serviceImageFields: readonly ImageField[] = [
  ...imageFieldsWithPrefix("path"),
  ...imageFieldsWithPrefix("serviceDLL"),
  // The macOS spellings of the image's digests and signature (their file is the image's).
  { name: "md5sum", file: "path", fileField: "Md5sum" },
  { name: "sha1sum", file: "path", fileField: "Sha1sum" },
  { name: "sha256sum", file: "path", fileField: "Sha256sum" },
  { name: "DigitalSignature", file: "path", fileField: "PEInfo", below: "DigitalSignature" },
];

/** The figures of a run. */
export interface ServiceCollectorStats {
  source: string;
  services: number;
  skipped: number;
  images: number;
}

/** Options of {@linkcode createServiceCollector}. */
export interface ServiceCollectorOptions {
  readonly source: ServiceSource;
  /** The computer for provenance (default `Deno.hostname()`; `""` for offline evidence: none). */
  readonly hostname?: string;
  /** Tests: an opener (then hashing runs in this thread). */
  readonly opener?: FileOpener;
  /** Hash workers; 0 hashes in this thread. */
  readonly hashWorkers?: number;
  /** Whether a link is followed to an image (false below a mounted root). Default true. */
  readonly followSymlinks?: boolean;
  readonly maxObjects?: number;
}

/** The service collector. */
export interface ServiceCollector extends Collector {
  readonly stats: Readonly<ServiceCollectorStats>;
}

/** Makes a service collector over one source. */
export function createServiceCollector(options: ServiceCollectorOptions): ServiceCollector {
  let stats: ServiceCollectorStats = {
    source: options.source.name,
    services: 0,
    skipped: 0,
    images: 0,
  };
  let images: ImageFiles | undefined;
  return {
    name: serviceCollectorName,
    documents: serviceDocuments,
    get stats() {
      return { ...stats, images: images?.images ?? 0 };
    },
    collect(request: CollectRequest): AsyncIterable<ObservedItem> {
      stats = { source: options.source.name, services: 0, skipped: 0, images: 0 };
      const needs = request.needs.get(serviceDocument);
      images = needs === undefined ? undefined : new ImageFiles(
        readingOf(options, request, () => stats.skipped++),
        serviceImageFields,
        needs,
      );
      return collectServices(options, request, stats, images);
    },
  };
}

/** How a collect run reads images. */
export function readingOf(
  options: { opener?: FileOpener; hashWorkers?: number; followSymlinks?: boolean },
  request: CollectRequest,
  counted: () => void,
): ImageReading {
  return {
    collector: serviceCollectorName,
    reporter: {
      ...request.reporter,
      skipped(entry) {
        counted();
        request.reporter.skipped(entry);
      },
    },
    ...(options.opener ? { opener: options.opener } : {}),
    ...(options.hashWorkers !== undefined ? { hashWorkers: options.hashWorkers } : {}),
    followSymlinks: options.followSymlinks ?? true,
  };
}

async function* collectServices(
  options: ServiceCollectorOptions,
  request: CollectRequest,
  stats: ServiceCollectorStats,
  images: ImageFiles | undefined,
): AsyncGenerator<ObservedItem> {
  if (!request.needs.has(serviceDocument)) return;
  const read = await options.source.read(request.signal);
  for (const skip of read.skips) {
    stats.skipped++;
    request.reporter.skipped({ collector: serviceCollectorName, ...skip });
  }
  for (const warning of read.warnings) {
    request.reporter.warning({ collector: serviceCollectorName, ...warning });
  }
  const computer = options.hostname ?? thisComputerName();
  const observed = new Date().toISOString();
  const cap = options.maxObjects ?? maxServiceObjects;
  const services = read.entries.filter((entry) => entry.kind === "service");
  try {
    for (const entry of services) {
      if (request.signal?.aborted) return;
      if (stats.services >= cap) {
        stats.skipped++;
        request.reporter.skipped({
          collector: serviceCollectorName,
          object: options.source.name,
          reason: "source-unavailable",
          detail: `more than ${cap} services: the rest was not read`,
          unreadDocuments: [serviceDocument],
        });
        return;
      }
      stats.services++;
      yield serviceItemOf(entry, computer, observed, read.unknown, images);
    }
  } finally {
    images?.release();
  }
}
