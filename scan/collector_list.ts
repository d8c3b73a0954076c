/**
 * The collectors a scan can run: one descriptor each, in the order they run.
 * Everything that names collectors reads this list: collector selection and
 * `--types`, the task file's keys, `scan`'s collector flags, the `collect
 * <name>` sub-commands, and (through a generated data file) the PowerShell
 * module's `-DataType` values.
 *
 * Adding a collector built into iocscan: a folder under collectors/, a
 * descriptor under scan/descriptors/, its name in the term catalogue's
 * `builtinCollectors` with its documents' terms, and one entry below.
 * A program that embeds iocscan adds one with {@linkcode registerCollector}.
 *
 * @module
 */
import {
  type BuiltinCollectorName,
  documentsOfCollector,
  markCollectorImplemented,
} from "../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "./collector_descriptor.ts";
import { eventLogDescriptor } from "./descriptors/eventlog.ts";
import { fileDescriptor } from "./descriptors/file.ts";
import { processDescriptor } from "./descriptors/process.ts";
import { portDescriptor } from "./descriptors/port.ts";
import { networkDescriptor } from "./descriptors/network.ts";
import { registryDescriptor } from "./descriptors/registry.ts";
import { dnsDescriptor } from "./descriptors/dns.ts";
import { arpDescriptor } from "./descriptors/arp.ts";
import { routeDescriptor } from "./descriptors/route.ts";
import { urlHistoryDescriptor } from "./descriptors/url_history.ts";
import { volumeDescriptor } from "./descriptors/volume.ts";
import { userDescriptor } from "./descriptors/user.ts";
import { systemDescriptor } from "./descriptors/system.ts";
import { taskDescriptor } from "./descriptors/task.ts";
import { autorunsDescriptor } from "./descriptors/autoruns.ts";
import { serviceDescriptor } from "./descriptors/service.ts";
import { driverDescriptor } from "./descriptors/driver.ts";
import { diskDescriptor } from "./descriptors/disk.ts";
import type { ScanTask } from "./scan_task.ts";
import { processModulesDescriptor } from "./descriptors/process_modules.ts";
import { antivirusDescriptor } from "./descriptors/antivirus.ts";
import { bootFilesDescriptor } from "./descriptors/boot_files.ts";

/** The built-in descriptors, one for each of the catalogue's built-in collectors. */
const builtin: Readonly<Record<BuiltinCollectorName, CollectorDescriptor>> = {
  file: fileDescriptor,
  eventlog: eventLogDescriptor,
  registry: registryDescriptor,
  process: processDescriptor,
  port: portDescriptor,
  dns: dnsDescriptor,
  arp: arpDescriptor,
  route: routeDescriptor,
  network: networkDescriptor,
  "url-history": urlHistoryDescriptor,
  volume: volumeDescriptor,
  user: userDescriptor,
  system: systemDescriptor,
  task: taskDescriptor,
  autoruns: autorunsDescriptor,
  service: serviceDescriptor,
  driver: driverDescriptor,
  disk: diskDescriptor,
  "process-modules": processModulesDescriptor,
  "boot-files": bootFilesDescriptor,
  antivirus: antivirusDescriptor,
};

const descriptors: CollectorDescriptor[] = Object.values(builtin);

/** The descriptors of every collector a scan can run, in run order (a live view). */
export const collectorDescriptors: readonly CollectorDescriptor[] = descriptors;

/** The names of every collector a scan can run, in run order (a live view). */
export const scanCollectors: readonly string[] = descriptors.map((descriptor) => descriptor.name);

/** The task keys of every collector option that names offline evidence (`evidence: true`). */
export function evidenceOptionKeys(): string[] {
  return descriptors.flatMap((descriptor) =>
    descriptor.options.filter((option) => option.evidence === true).map((option) => option.key)
  );
}

/**
 * The evidence paths a task names through collector options (`diskImages`…):
 * any of them makes the scan offline.
 */
export function collectorEvidence(task: ScanTask): string[] {
  const fields = task as unknown as Record<string, unknown>;
  return evidenceOptionKeys().flatMap((key) => {
    const value = fields[key];
    return Array.isArray(value) ? value.filter((path) => typeof path === "string") : [];
  });
}

/** The descriptor of a collector, by name (any case). */
export function collectorDescriptor(name: string): CollectorDescriptor | undefined {
  const lower = name.toLowerCase();
  return descriptors.find((descriptor) => descriptor.name === lower);
}

/**
 * Adds a collector to this process: scans select it for its documents, the
 * task file accepts its options, `--types` and `collect <name>` know it, and
 * the terms of its documents read as `produced`. Call it before the CLI
 * program or a scan is built.
 *
 * @throws Error when the name is taken or not lower case, or when the term
 * catalogue does not assign one of its documents to this name (its terms
 * would never be evaluated), or when an option's key or flag is taken.
 */
export function registerCollector(descriptor: CollectorDescriptor): void {
  const { name } = descriptor;
  if (name !== name.toLowerCase() || name.trim() === "") {
    throw new Error(`collector name ${JSON.stringify(name)}: use a lower-case word`);
  }
  if (collectorDescriptor(name)) throw new Error(`collector ${name} is already registered`);
  const catalogued = documentsOfCollector(name);
  for (const document of descriptor.documents) {
    if (!catalogued.includes(document)) {
      throw new Error(
        `collector ${name}: the term catalogue does not assign ${document} to it ` +
          `(it assigns ${catalogued.join(", ") || "nothing"})`,
      );
    }
  }
  const taken = descriptors.flatMap((known) => known.options);
  for (const option of descriptor.options) {
    if (taken.some((known) => known.key === option.key || known.flag === option.flag)) {
      throw new Error(`collector ${name}: option ${option.key} (${option.flag}) is taken`);
    }
  }
  descriptors.push(descriptor);
  (scanCollectors as string[]).push(name);
  markCollectorImplemented(name);
}
