/**
 * The boot-files collector (docs/critical-scan.md): the file collector's machinery over the EFI
 * system partition's boot folders (esp_folders.ts), yielded as a FileItem view; or, when no ESP is
 * there to read, a collector that says so as an `area-not-read` finding (a notice: a BIOS host has
 * none) rather than nothing.
 *
 * @module
 */
import type { Collector } from "../collector.ts";

/** The collector's name (`--types boot-files`, skip records, findings' source). */
export const bootFilesCollectorName = "boot-files";

/** The file collector over the ESP's boot folders, as a FileItem view named `boot-files`. */
export function bootFilesCollector(file: Collector): Collector {
  return {
    name: bootFilesCollectorName,
    documents: [],
    viewDocuments: ["FileItem"],
    get stats() {
      return file.stats ?? {};
    },
    ...(file.prepare === undefined ? {} : { prepare: (needs) => file.prepare!(needs) }),
    collect: (request) => file.collect(request),
    ...(file.collectBatches === undefined
      ? {}
      : { collectBatches: (request) => file.collectBatches!(request) }),
  };
}

/** The collector of a host with no ESP to read: one `area-not-read` notice saying why. */
export function noEspCollector(why: string, now: () => Date = () => new Date()): Collector {
  return {
    name: bootFilesCollectorName,
    documents: [],
    viewDocuments: ["FileItem"],
    // deno-lint-ignore require-yield
    async *collect(request) {
      request.reporter.finding?.({
        source: bootFilesCollectorName,
        kind: "area-not-read",
        object: "EFI system partition",
        severity: "notice",
        detail: `the EFI system partition's boot files were not read: ${why}`,
        time: now().toISOString(),
      });
    },
  };
}
