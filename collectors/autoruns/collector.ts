/**
 * The autoruns collector: every autostart entry its sources list, as an
 * AutorunItem (an iocscan extension document), and each entry's image as a
 * FileItem, so that FileItem IOCs (digests, PEInfo, names) also reach
 * autostart images outside the file scan's scope. The image is hashed and
 * PE-parsed lazily through the file collector's content source, once per
 * image file however many entries start it; the FileItem's provenance names
 * the autostart place (`autostart`), which the evidence carries.
 *
 * @module
 */
import { createImageHasher, hostFileOpener } from "../hashing/mod.ts";
import type { Collector, CollectRequest } from "../collector.ts";
import type { ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import {
  contentFieldNames,
  FileContentSource,
  fileExtension,
  type FileFieldName,
  type FileOpener,
  wantsDigests,
} from "../file/mod.ts";
import { autorunDocument, type AutorunEntry, autorunItem, autorunKey } from "./autorun_entry.ts";
import { type AutorunSource, emptyRead } from "./source.ts";
import { earlierImages } from "../service/mod.ts";

/** The collector's name (`--types autoruns`, `collect autoruns`). */
export const autorunsCollectorName = "autoruns";
/** The documents it owns. */
export const autorunsDocuments: readonly string[] = [autorunDocument];
/** The document it also yields objects of: each entry's image. */
const fileDocument = "FileItem";
/** The most entries of one run; past it, the rest is a skip and AutorunItem unread. */
export const maxAutorunEntries = 100_000;
/** The FileItem fields an autostart image's object carries without reading it. */
const imagePathFields = ["FullPath", "FilePath", "FileName", "FileExtension", "Drive"];
/** The FileItem fields read from the image's stat. */
const imageStatFields = ["SizeInBytes", "Modified"];
/** AutorunItem's lazy digests, in the file collector's spelling. */
const autorunContentFields: readonly FileFieldName[] = ["Md5sum", "Sha1sum", "Sha256sum"];

/** The figures of a run. */
export interface AutorunsStats {
  sources: number;
  entries: number;
  images: number;
  skipped: number;
}

/** How the collector is built. */
export interface AutorunsCollectorOptions {
  sources: readonly AutorunSource[];
  /**
   * Where the image an entry names is opened on this machine (a path below
   * a mounted root for an image's `C:\…`), or undefined when it is not there.
   */
  locate(imagePath: string): string | undefined;
  /** Whether image paths are Windows paths (`\`-separated, with a drive). */
  windowsPaths: boolean;
  /** Whether links are followed to open an image (live only: a mounted root's may lead out). */
  followSymlinks: boolean;
  /** The computer the entries are on, for provenance (live: this host). */
  computer?: string;
  /** 0 hashes in this thread; tests inject an opener. */
  hashWorkers?: number;
  opener?: FileOpener;
}

/** The autoruns collector with its last run's figures. */
export interface AutorunsCollector extends Collector {
  readonly stats: Readonly<AutorunsStats>;
}

/**
 * Creates the collector.
 *
 * @example
 * ```ts ignore
 * import { createAutorunsCollector, linuxAutorunSource } from "./mod.ts";
 * const collector = createAutorunsCollector({
 *   sources: [linuxAutorunSource("/")],
 *   locate: (path) => path,
 *   windowsPaths: false,
 *   followSymlinks: true,
 * });
 * ```
 */
export function createAutorunsCollector(options: AutorunsCollectorOptions): AutorunsCollector {
  let stats: AutorunsStats = { sources: 0, entries: 0, images: 0, skipped: 0 };
  return {
    name: autorunsCollectorName,
    documents: autorunsDocuments,
    viewDocuments: [fileDocument],
    get stats() {
      return { ...stats };
    },
    collect(request) {
      stats = { sources: 0, entries: 0, images: 0, skipped: 0 };
      return collectAutoruns(options, request, stats);
    },
  };
}

async function* collectAutoruns(
  options: AutorunsCollectorOptions,
  request: CollectRequest,
  stats: AutorunsStats,
): AsyncGenerator<ObservedItem> {
  const autorunNeeds = request.needs.get(autorunDocument);
  const fileNeeds = request.needs.get(fileDocument);
  if (autorunNeeds === undefined && fileNeeds === undefined) return;
  const reporter = {
    ...request.reporter,
    skipped(entry: Parameters<typeof request.reporter.skipped>[0]) {
      stats.skipped++;
      request.reporter.skipped(entry);
    },
  };
  const entries: AutorunEntry[] = [];
  for (const source of options.sources) {
    if (request.signal?.aborted) return;
    stats.sources++;
    let read;
    try {
      read = await source.read(request.signal);
    } catch (error) {
      // Sources turn bad input into skips; anything else still leaves the place unread, not empty.
      read = emptyRead();
      read.skips.push({
        object: source.name,
        reason: "error",
        detail: error instanceof Error ? error.message : String(error),
        whole: true,
      });
    }
    for (const warning of read.warnings) {
      reporter.warning({ collector: autorunsCollectorName, ...warning });
    }
    for (const skip of read.skips) {
      reporter.skipped({
        collector: autorunsCollectorName,
        object: skip.object,
        reason: skip.reason,
        detail: skip.detail,
        // A place not read at all leaves the view short: an AutorunItem IOC that did not fire is
        // undecided. (FileItem is the file collector's: its scope is what it claims.)
        ...(skip.whole ? { unreadDocuments: [autorunDocument] } : {}),
      });
    }
    entries.push(...read.entries);
  }
  if (entries.length > maxAutorunEntries) {
    reporter.skipped({
      collector: autorunsCollectorName,
      object: "autoruns",
      reason: "source-unavailable",
      detail:
        `${entries.length} entries, more than the cap of ${maxAutorunEntries}; the rest was not read`,
      unreadDocuments: [autorunDocument],
    });
    entries.length = maxAutorunEntries;
  }
  const lower = (names: ReadonlySet<string> | undefined) =>
    new Set([...names ?? []].map((n) => n.toLowerCase()));
  const autorunWanted = lower(autorunNeeds);
  const fileWanted = lower(fileNeeds);
  const wanted = new Set<FileFieldName>([
    ...autorunContentFields.filter((name) => autorunWanted.has(name.toLowerCase())),
    ...contentFieldNames.filter((name) => fileWanted.has(name.toLowerCase())),
  ]);
  const hasher = wanted.size === 0 ? undefined : createImageHasher(options, wantsDigests(wanted));
  const opener = options.opener ?? hostFileOpener();
  const context = hasher && {
    hasher,
    opener,
    wanted,
    followSymlinks: options.followSymlinks,
    reporter,
    collector: autorunsCollectorName,
    countBytes() {},
  };
  const images = new Map<string, FileContentSource>();
  const imageOf = (imagePath: string, openPath: string) => {
    let source = images.get(openPath);
    if (source === undefined && context) {
      source = new FileContentSource(context, imagePath, openPath);
      images.set(openPath, source);
      stats.images = images.size;
    }
    return source;
  };
  const computer = options.computer;
  try {
    for (let entry of entries) {
      if (request.signal?.aborted) return;
      stats.entries++;
      const runs = options.windowsPaths ? earlierImageOf(entry, options.locate) : undefined;
      if (runs !== undefined) {
        reporter.warning({
          collector: autorunsCollectorName,
          code: unquotedImageWarning,
          message: `${autorunKey(entry)}: its unquoted command line runs ${runs.imagePath}, ` +
            `which exists, before ${entry.imagePath}`,
        });
        entry = { ...entry, ...runs };
      }
      const openPath = entry.imagePath === undefined ? undefined : options.locate(entry.imagePath);
      const content = entry.imagePath !== undefined && openPath !== undefined
        ? imageOf(entry.imagePath, openPath)
        : undefined;
      if (autorunNeeds !== undefined) {
        const item = autorunItem(entry, computer);
        if (content) item.lazy = autorunLazy(content);
        else if (wanted.size > 0) item.unevaluated = imageGap(entry, autorunContentFields);
        yield item;
      }
      if (fileNeeds !== undefined && entry.imagePath !== undefined && openPath !== undefined) {
        yield imageFileItem(entry, openPath, options, fileNeeds, content, computer);
      }
    }
  } finally {
    hasher?.release();
  }
}

/** AutorunItem's lazy digests: the image's, from the shared file source. */
function autorunLazy(content: FileContentSource): NonNullable<ObservedItem["lazy"]> {
  return {
    provides: (name) =>
      autorunContentFields.includes(name as FileFieldName) && content.provides(name),
    load: (names) =>
      content.load(names.filter((name) => autorunContentFields.includes(name as FileFieldName))),
    unevaluated: () => content.unevaluated(),
  };
}

/** Why an entry's image digests are unknown: no image named, or not found where it points. */
function imageGap(entry: AutorunEntry, fields: readonly string[]): Unevaluated {
  const why = entry.imagePath === undefined
    ? "the entry names no image file"
    : `its image ${entry.imagePath} was not found on this system or image`;
  return Object.fromEntries(fields.map((field) => [field, why]));
}

/** The FileItem of an entry's image, with the autostart place in its provenance. */
function imageFileItem(
  entry: AutorunEntry,
  openPath: string,
  options: AutorunsCollectorOptions,
  wanted: ReadonlySet<string>,
  content: FileContentSource | undefined,
  computer: string | undefined,
): ObservedItem {
  const path = entry.imagePath!;
  const separator = options.windowsPaths ? "\\" : "/";
  const cut = path.lastIndexOf(separator);
  const name = path.slice(cut + 1);
  const fields: ObservedItem["fields"] = {
    FullPath: path,
    FilePath: cut <= 0 ? separator : path.slice(0, cut),
    FileName: name,
    FileExtension: fileExtension(name),
  };
  const drive = options.windowsPaths ? /^[A-Za-z]:/.exec(path)?.[0]?.toUpperCase() : undefined;
  if (drive !== undefined) fields.Drive = drive;
  const asked = new Set([...wanted].map((field) => field.toLowerCase()));
  if (imageStatFields.some((field) => asked.has(field.toLowerCase()))) {
    try {
      const info = options.followSymlinks ? Deno.statSync(openPath) : Deno.lstatSync(openPath);
      fields.SizeInBytes = info.size;
      if (info.mtime) fields.Modified = info.mtime;
    } catch {
      // Not there any more: the digests say why when asked.
    }
  }
  // Other FileItem fields (owner, other times, streams…) are the file scan's: unknown here.
  const known = new Set(
    [...imagePathFields, ...imageStatFields, ...contentFieldNames].map((field) =>
      field.toLowerCase()
    ),
  );
  const gaps = [...wanted].filter((field) => !known.has(field.toLowerCase()));
  const item: ObservedItem = {
    document: fileDocument,
    key: path,
    fields,
    provenance: {
      source: openPath,
      ...(computer === undefined ? {} : { computer }),
      autostart: autorunKey(entry),
    },
  };
  if (gaps.length > 0) {
    item.unevaluated = Object.fromEntries(
      gaps.map((
        field,
      ) => [
        field,
        "an autostart image's FileItem carries its path, size, modification time, digests and PEInfo only",
      ]),
    );
  }
  if (content) item.lazy = content;
  return item;
}

/** The warning of an entry whose unquoted command line runs an earlier image than the one named. */
export const unquotedImageWarning = "autorun-unquoted-image";

/**
 * The image Windows really starts for an unquoted command line with spaces
 * before its image's end (`C:\Program Files\A B\x.exe` runs `C:\Program.exe`
 * when that exists: CreateProcess takes each space in turn as the end of the
 * module name), as the service collector resolves it; undefined when the
 * named image is the one that runs.
 */
function earlierImageOf(
  entry: AutorunEntry,
  locate: (imagePath: string) => string | undefined,
): { imagePath: string; arguments: string } | undefined {
  if (entry.imagePath === undefined) return undefined;
  for (const candidate of earlierImages(entry.command, new Map())) {
    if (candidate.path.toLowerCase() === entry.imagePath.toLowerCase()) break;
    if (locate(candidate.path) !== undefined) {
      return { imagePath: candidate.path, arguments: candidate.arguments };
    }
  }
  return undefined;
}
