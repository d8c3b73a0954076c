/**
 * The process-modules collector, a view in the manner of the autoruns
 * collector (docs/autoruns.md): one FileItem per distinct executable image
 * and file-backed executable mapping of every running process, hashed and
 * PE-parsed lazily through the file collector's content source, so that
 * FileItem/PEInfo IOCs reach module images outside any file scope; and the
 * executable memory no file backs as `anonymous-executable-memory` findings
 * (docs/critical-scan.md). It owns no document: `--types process-modules`
 * (the critical-areas scan) runs it, and its findings come whether or not an
 * IOC needs a FileItem.
 *
 * @module
 */
import { createImageHasher, hostFileOpener } from "../hashing/mod.ts";
import type { Collector, CollectorFinding, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import {
  contentFieldNames,
  FileContentSource,
  fileExtension,
  type FileFieldName,
  type FileOpener,
  wantsDigests,
} from "../file/mod.ts";
import type { ExecutableRegion } from "./maps_regions.ts";
import type { ModuleFile, ProcessModules, ProcessModulesSource } from "./source.ts";

/** The collector's name (`--types process-modules`). */
export const processModulesCollectorName = "process-modules";
/** The finding of executable memory no file backs. */
export const anonymousExecutableMemory = "anonymous-executable-memory";
/** The finding of an area (the process list) not read whole. */
export const areaNotRead = "area-not-read";
/**
 * The largest module file hashed (1 GiB): a JIT's shared memory file (.NET's
 * `/memfd:doublemapper`) is a sparse file of tens of GB; past the cap a file is a `too-large`
 * skip, its digests unknown.
 */
export const maxModuleFileSize = 1024 * 1024 * 1024;
/** The most anonymous-memory findings of one process; past it, one finding counts the rest. */
export const maxRegionFindingsPerProcess = 32;

const fileDocument = "FileItem";
/** How many unread processes the `area-not-read` finding names one by one. */
const unreadProcessesNamed = 5;
/** The FileItem fields these objects carry without reading the file. */
const pathFields = ["FullPath", "FilePath", "FileName", "FileExtension"];
/** The FileItem fields read from the file's stat. */
const statFields = ["SizeInBytes", "Modified"];

/** The figures of a run. */
export interface ProcessModulesStats {
  processes: number;
  images: number;
  modules: number;
  anonymousRegions: number;
  skipped: number;
}

/** How the collector is built. */
export interface ProcessModulesOptions {
  source: ProcessModulesSource;
  /** The computer for provenance (live: this host). */
  computer?: string;
  /** 0 hashes in this thread; tests inject an opener. */
  hashWorkers?: number;
  opener?: FileOpener;
  /** The clock of findings (tests). */
  now?: () => Date;
}

/** The collector with its last run's figures. */
export interface ProcessModulesCollector extends Collector {
  readonly stats: Readonly<ProcessModulesStats>;
}

/**
 * Creates the collector.
 *
 * @example
 * ```ts ignore
 * import { createProcessModulesCollector, linuxModulesSource } from "./mod.ts";
 * const collector = createProcessModulesCollector({ source: linuxModulesSource() });
 * ```
 */
export function createProcessModulesCollector(
  options: ProcessModulesOptions,
): ProcessModulesCollector {
  let stats = emptyStats();
  return {
    name: processModulesCollectorName,
    documents: [],
    viewDocuments: [fileDocument],
    get stats() {
      return { ...stats };
    },
    collect(request) {
      stats = emptyStats();
      return collectModules(options, request, stats);
    },
  };
}

function emptyStats(): ProcessModulesStats {
  return { processes: 0, images: 0, modules: 0, anonymousRegions: 0, skipped: 0 };
}

async function* collectModules(
  options: ProcessModulesOptions,
  request: CollectRequest,
  stats: ProcessModulesStats,
): AsyncGenerator<ObservedItem> {
  const collector = processModulesCollectorName;
  const now = options.now ?? (() => new Date());
  const fileNeeds = request.needs.get(fileDocument);
  const asked = new Set([...fileNeeds ?? []].map((name) => name.toLowerCase()));
  const wanted = new Set<FileFieldName>(
    contentFieldNames.filter((name) => asked.has(name.toLowerCase())),
  );
  const reporter = {
    ...request.reporter,
    skipped(entry: Parameters<typeof request.reporter.skipped>[0]) {
      stats.skipped++;
      request.reporter.skipped(entry);
    },
  };
  const finding = (entry: Omit<CollectorFinding, "source" | "time">) =>
    request.reporter.finding?.({ source: collector, time: now().toISOString(), ...entry });
  const hasher = wanted.size === 0 ? undefined : createImageHasher(options, wantsDigests(wanted));
  const context = hasher && {
    hasher,
    opener: options.opener ?? hostFileOpener(),
    wanted,
    maxFileSize: maxModuleFileSize,
    followSymlinks: true,
    reporter,
    collector,
    countBytes() {},
  };
  const seen = new Set<string>();
  // Processes whose image or modules were not read: the area is not covered whole.
  const unreadProcesses: string[] = [];
  try {
    for await (const event of options.source.processes(request.signal)) {
      if (request.signal?.aborted) return;
      if ("warning" in event) {
        reporter.warning({ collector, code: event.code, message: event.message });
        continue;
      }
      if ("skip" in event) {
        reporter.skipped({
          collector,
          object: event.object,
          reason: event.reason,
          detail: event.detail,
          unreadDocuments: [fileDocument],
        });
        if (!event.listing) unreadProcesses.push(event.object);
        if (event.listing) {
          finding({
            kind: areaNotRead,
            object: "processes",
            severity: "incomplete",
            detail: `not every process was read: ${event.detail}`,
          });
        }
        continue;
      }
      stats.processes++;
      if (event.unread !== undefined) {
        reporter.skipped({
          collector,
          object: `pid ${event.pid} (${event.name})`,
          reason: "unreadable",
          detail: event.unread,
          unreadDocuments: [fileDocument],
        });
        unreadProcesses.push(`pid ${event.pid} (${event.name})`);
      }
      reportAnonymous(event, stats, finding);
      for (const file of event.files) {
        if (seen.has(file.identity)) continue;
        seen.add(file.identity);
        if (file.kind === "image") stats.images++;
        else stats.modules++;
        if (fileNeeds === undefined) continue;
        const content = context && new FileContentSource(context, file.path, file.openPath);
        yield fileItemOf(file, event, fileNeeds, content, options.computer, now());
      }
    }
    if (unreadProcesses.length > 0 && !request.signal?.aborted) {
      const named = unreadProcesses.slice(0, unreadProcessesNamed).join(", ");
      const more = unreadProcesses.length - unreadProcessesNamed;
      finding({
        kind: areaNotRead,
        object: "processes",
        severity: "incomplete",
        detail: `${unreadProcesses.length} process(es) whose image or modules could not be read ` +
          `(their skipped records say why): ${named}${more > 0 ? ` and ${more} more` : ""}`,
        data: { processes: unreadProcesses.length },
      });
    }
  } finally {
    hasher?.release();
  }
}

function reportAnonymous(
  process: ProcessModules,
  stats: ProcessModulesStats,
  finding: (entry: Omit<CollectorFinding, "source" | "time">) => void,
): void {
  const regions = process.anonymous;
  stats.anonymousRegions += regions.length;
  for (const region of regions.slice(0, maxRegionFindingsPerProcess)) {
    finding({
      kind: anonymousExecutableMemory,
      object: `pid ${process.pid} (${process.name}) [${region.start}-${region.end}]`,
      severity: "notice",
      detail: anonymousDetail(region),
      data: {
        pid: process.pid,
        process: process.name,
        range: `${region.start}-${region.end}`,
        size: region.size,
        perms: region.perms,
        ...(region.label === undefined ? {} : { label: region.label }),
      },
    });
  }
  const more = regions.length - maxRegionFindingsPerProcess;
  if (more > 0) {
    finding({
      kind: anonymousExecutableMemory,
      object: `pid ${process.pid} (${process.name})`,
      severity: "notice",
      detail: `${more} more executable region(s) no file backs in this process (the first ` +
        `${maxRegionFindingsPerProcess} are listed one by one)`,
      data: { pid: process.pid, process: process.name, regions: more },
    });
  }
}

function anonymousDetail(region: ExecutableRegion): string {
  const what = region.label === undefined ? "memory" : `memory (${region.label})`;
  return `${region.size} bytes of ${region.perms} executable ${what} that no file backs: ` +
    "a JIT compiler (browsers, Java, .NET, node) makes such regions; so does injected code";
}

function fileItemOf(
  file: ModuleFile,
  process: ProcessModules,
  wanted: ReadonlySet<string>,
  content: FileContentSource | undefined,
  computer: string | undefined,
  observed: Date,
): ObservedItem {
  const path = file.path;
  const cut = path.lastIndexOf("/");
  const name = path.slice(cut + 1);
  const fields: ObservedItem["fields"] = {
    FullPath: path,
    FilePath: cut <= 0 ? "/" : path.slice(0, cut),
    FileName: name,
    FileExtension: fileExtension(name),
  };
  const asked = new Set([...wanted].map((field) => field.toLowerCase()));
  if (statFields.some((field) => asked.has(field.toLowerCase()))) {
    try {
      const info = Deno.statSync(file.openPath);
      fields.SizeInBytes = info.size;
      if (info.mtime) fields.Modified = info.mtime;
    } catch {
      // Gone meanwhile: the digests say why when asked.
    }
  }
  const known = new Set(
    [...pathFields, ...statFields, ...contentFieldNames].map((field) => field.toLowerCase()),
  );
  const gaps = [...wanted].filter((field) => !known.has(field.toLowerCase()));
  const item: ObservedItem = {
    document: fileDocument,
    // A deleted file, or one the path no longer names, is one process's: its key names the pid.
    key: file.deleted || file.notAtPath ? `${path} [pid ${process.pid}]` : path,
    fields,
    provenance: {
      source: file.openPath,
      // The file response actions act on; a deleted image has none.
      ...(file.realPath === undefined ? {} : { image: file.realPath }),
      time: observed.toISOString(),
      ...(computer === undefined ? {} : { computer }),
    },
  };
  if (gaps.length > 0) {
    item.unevaluated = Object.fromEntries(gaps.map((field) => [
      field,
      "a process module's FileItem carries its path, size, modification time, digests and " +
      "PEInfo only",
    ]));
  }
  if (content) item.lazy = content;
  return item;
}
