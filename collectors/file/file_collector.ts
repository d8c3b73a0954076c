/**
 * The FileItem collector: walks scopes and presets, yields one observed item
 * per regular file with the cheap fields the plan asks for, and computes
 * hashes and PEInfo lazily (in worker threads, one read per file).
 *
 * @module
 */
import { posix, win32 } from "node:path";
import type {
  Collector,
  CollectorReporter,
  CollectRequest,
  SkippedObject,
  SkipReason,
} from "../collector.ts";
import type { ObservedFields, ObservedItem } from "../../contracts/observed_item.ts";
import {
  type ContentHasher,
  createInProcessHasher,
  createWorkerHasher,
  defaultChunkSize,
  type FileOpener,
  type HashOutcome,
  type HashRequest,
  hostFileOpener,
} from "../hashing/mod.ts";
import { type WalkEvent, walkFolders } from "./directory_walker.ts";
import { FileContentSource, hashFields } from "./file_content_source.ts";
import {
  addPathFields,
  addStatFields,
  contentFieldNames,
  type FileFieldName,
  imageOwnerUnknown,
  needsStat,
  wantedFileFields,
} from "./file_fields.ts";
import { compileGlobs } from "./glob_matcher.ts";
import { ImagePaths, type ImageRoot } from "./image_paths.ts";
import { defaultOwnerLookup, type OwnerLookup } from "./owner_names.ts";
import { denoPlatform, type FilePlatform } from "./platform.ts";
import {
  expandPreset,
  type FilePreset,
  filePresets,
  linuxPseudoFileSystems,
  mergeScopes,
  type ScanScope,
} from "./scan_scopes.ts";

/**
 * How many files the walk may run ahead of the consumer, hashing, when only
 * digests are wanted. Enough to keep both workers busy while the engine
 * evaluates a window of files; each costs only its path and digests.
 */
const hashReadAhead = 512;

/**
 * The most files of one folder hashed in one request: a folder of many files
 * still yields its first items early, and the workers get work in pieces they
 * can share.
 */
const hashChunk = 128;

/**
 * The most items handed to the engine at once (`collectBatches`): a batch
 * costs one async step instead of one per file, and stays small enough that
 * a huge folder is not all in memory as items.
 */
const itemBatchSize = 128;

/** The collector's name in skip records and `--types`. */
export const fileCollectorName = "file";

/** The OpenIOC documents the file collector produces. */
export const fileDocuments: readonly string[] = ["FileItem"];

/** How to scan files. */
export interface FileCollectorOptions {
  /** Folders (or single files) to scan, each with an optional depth. */
  scopes?: readonly ScanScope[];
  /** `important-areas` and/or `all-drives`; unknown names become a warning. */
  presets?: readonly string[];
  /** Globs of paths not to scan (`**`, `*`, `?`; case-insensitive on Windows). */
  exclude?: readonly string[];
  /** Files larger than this many bytes are not read (`too-large`); their cheap fields still count. */
  maxFileSize?: number;
  /**
   * Mounted Windows volumes or triage folders (`--root`), scanned as scopes. The
   * files below them are shown as the Windows paths they had
   * (`FullPath`, `FilePath`, `Drive` and the object's identity: `C:\Windows\…`),
   * with the real path as their provenance `source`; `Username` is unknown on
   * them (`unevaluated`: the mount's owner is not the Windows owner).
   */
  roots?: readonly ImageRoot[];
  /** Follow symbolic links and junctions (loops are still caught). Default `false`. */
  followSymlinks?: boolean;
  /** The machine; tests pass a fake to expand Windows presets on Linux. */
  platform?: FilePlatform;
  /**
   * Opens files for hashing and PE parsing. Injecting one hashes in this
   * thread through it (tests count reads with it); the default hashes in
   * workers.
   */
  opener?: FileOpener;
  /** Hashing workers; 0 hashes in this thread. Default 2. */
  hashWorkers?: number;
  /** Resolves `Username`; default `/etc/passwd` on POSIX, nothing on Windows. */
  owners?: OwnerLookup;
  /** Bytes per read while hashing. Default 1 MiB. */
  chunkSize?: number;
  /** Least time between progress reports, in milliseconds. Default 250. */
  progressIntervalMs?: number;
}

/** Figures of the last (or current) run. */
export interface FileScanStats {
  /** Regular files yielded. */
  files: number;
  /** Folders entered. */
  folders: number;
  /** Bytes read for hashes and PE data. */
  bytesRead: number;
  /** Skipped objects by reason. */
  skipped: Partial<Record<SkipReason, number>>;
}

/** The file collector, with figures about its run. */
export interface FileCollector extends Collector {
  /** Counts of the current or last run, skipped objects by reason included (a copy). */
  readonly stats: FileScanStats;
}

/**
 * Creates the FileItem collector.
 *
 * @example Scan a folder for one hash
 * ```ts ignore
 * import { createFileCollector } from "./mod.ts";
 * const collector = createFileCollector({ scopes: [{ path: "/tmp", depth: 2 }] });
 * const reporter = { skipped: console.error, warning: console.error, progress() {} };
 * const needs = new Map([["FileItem", new Set(["FullPath", "Md5sum"])]]);
 * for await (const item of collector.collect({ needs, reporter })) {
 *   const { Md5sum } = await item.lazy!.load(["Md5sum"]);
 *   console.log(item.key, Md5sum);
 * }
 * console.error(collector.stats.skipped);
 * ```
 */
export function createFileCollector(options: FileCollectorOptions = {}): FileCollector {
  let stats: FileScanStats = emptyStats();
  // One hasher for the collector's life: `prepare` may start its workers before `collect`.
  let hasher: ContentHasher | undefined;
  const hasherFor = (wanted: ReadonlySet<FileFieldName>): ContentHasher | undefined => {
    if (!contentFieldNames.some((name) => wanted.has(name))) return undefined;
    hasher ??= options.opener !== undefined || options.hashWorkers === 0
      ? createInProcessHasher(options.opener ?? hostFileOpener(), options.chunkSize)
      : createWorkerHasher({
        workers: options.hashWorkers ?? 2,
        chunkSize: options.chunkSize ?? defaultChunkSize,
      });
    // Hash terms are nearly always evaluated for some file: start the workers now.
    if (hashFieldNames.some((name) => wanted.has(name))) hasher.prepare();
    return hasher;
  };
  return {
    name: fileCollectorName,
    documents: fileDocuments,
    get stats() {
      return structuredClone(stats);
    },
    prepare(needs) {
      const fields = needs.get("FileItem");
      const prepared = fields && hasherFor(wantedFileFields(fields));
      return () => prepared?.release();
    },
    collect(request: CollectRequest): AsyncIterable<ObservedItem> {
      stats = emptyStats();
      return oneByOne(collectFiles(options, request, stats, hasherFor));
    },
    collectBatches(request: CollectRequest): AsyncIterable<ObservedItem[]> {
      stats = emptyStats();
      return collectFiles(options, request, stats, hasherFor);
    },
  };
}

const hashFieldNames = ["Md5sum", "Sha1sum", "Sha256sum"] as const;

/** `hashFields` as a list: read for every file hashed ahead, without a Map iterator. */
const digestFields = [...hashFields];

function emptyStats(): FileScanStats {
  return { files: 0, folders: 0, bytesRead: 0, skipped: {} };
}

async function* oneByOne(batches: AsyncIterable<ObservedItem[]>): AsyncGenerator<ObservedItem> {
  for await (const batch of batches) yield* batch;
}

/** The files of the scopes, in walk order, in batches of at most `itemBatchSize`. */
async function* collectFiles(
  options: FileCollectorOptions,
  request: CollectRequest,
  stats: FileScanStats,
  hasherFor: (wanted: ReadonlySet<FileFieldName>) => ContentHasher | undefined,
): AsyncGenerator<ObservedItem[]> {
  const needs = request.needs.get("FileItem");
  if (needs === undefined) return;
  const platform = options.platform ?? denoPlatform();
  const os = platform.os;
  const wanted = wantedFileFields(needs);
  const reporter = countingReporter(request.reporter, stats);
  const followSymlinks = options.followSymlinks ?? false;

  const scopes = await resolveScopes(options, platform, reporter);
  const roots = (options.roots ?? []).map((root) => ({
    path: absolutePath(os, root.path),
    drive: root.drive,
  }));
  const images = roots.length > 0 ? new ImagePaths(roots, os) : undefined;
  for (const root of options.roots ?? []) {
    if (await isEmptyFolder(root.path)) {
      // A failed mount leaves an empty mount point: the root as a whole was not read.
      reporter.skipped({
        collector: fileCollectorName,
        object: root.path,
        reason: "not-found",
        detail: "the root is an empty folder (is the image mounted?)",
      });
    }
  }
  // The owner a mount shows (ntfs-3g: whoever mounted it) is not the file's Windows owner.
  const imageWanted = new Set([...wanted].filter((name) => name !== "Username"));
  const exclude = compileGlobs(options.exclude ?? [], { caseInsensitive: os === "windows" });
  const opener = options.opener ?? hostFileOpener();
  const hasher = hasherFor(wanted);
  const owners = options.owners ?? defaultOwnerLookup(os);
  const statFiles = needsStat(wanted);
  const context = hasher && {
    hasher,
    opener,
    wanted,
    followSymlinks,
    reporter,
    collector: fileCollectorName,
    countBytes: (bytes: number) => stats.bytesRead += bytes,
    ...(options.maxFileSize === undefined ? {} : { maxFileSize: options.maxFileSize }),
  };

  const interval = options.progressIntervalMs ?? 250;
  let lastProgress = performance.now();
  let current = "";
  const progress = () => {
    lastProgress = performance.now();
    reporter.progress({
      collector: fileCollectorName,
      objects: stats.files,
      bytes: stats.bytesRead,
      ...(current ? { current } : {}),
    });
  };

  // When every wanted field is a digest, the engine needs the digests of every file: the walk
  // then runs ahead of the consumer and hashes a folder's files (up to `hashChunk` at a time)
  // in one request, so that the workers hash while the engine evaluates earlier files, and
  // items carry their digests in their fields, sparing the engine a lazy load per file.
  // Events still come out in walk order.
  const prefetch = context !== undefined && [...wanted].every((name) => hashFields.has(name))
    ? [...wanted].map((name) => hashFields.get(name)!)
    : undefined;
  const readAhead = prefetch ? hashReadAhead : 0;
  const ahead: { events: WalkEvent[]; files: number; hashing?: Promise<HashOutcome[]> }[] = [];
  const walk = walkFolders({
    scopes,
    os,
    exclude,
    followSymlinks,
    statFiles,
    pseudoRoots: os === "windows" ? [] : linuxPseudoFileSystems,
    ...(request.signal ? { signal: request.signal } : {}),
  })[Symbol.asyncIterator]();
  let walked = false;
  let filesAhead = 0;
  const hashAhead = (events: WalkEvent[]) => {
    const requests: HashRequest[] = [];
    for (const event of events) {
      if (event.kind !== "file") continue;
      requests.push({
        path: event.osPath,
        algorithms: prefetch!,
        followSymlinks,
        ...(options.maxFileSize === undefined ? {} : { maxSize: options.maxFileSize }),
      });
    }
    filesAhead += requests.length;
    ahead.push({
      events,
      files: requests.length,
      ...(requests.length > 0 ? { hashing: hasher!.hashBatch(requests) } : {}),
    });
  };

  // The chunks of the folder last walked that are not hashed yet: a large folder is hashed as
  // the consumer advances, never more than the read-ahead at once.
  let unhashed: Iterator<WalkEvent[]> | undefined;

  try {
    for (;;) {
      while (ahead.length === 0 || filesAhead < readAhead) {
        if (unhashed) {
          const chunk = unhashed.next();
          if (!chunk.done) {
            hashAhead(chunk.value);
            continue;
          }
          unhashed = undefined;
        }
        if (walked) break;
        const next = await walk.next();
        if (next.done) {
          walked = true;
          break;
        }
        if (!prefetch) ahead.push({ events: next.value, files: 0 });
        else unhashed = chunksOf(next.value, hashChunk);
      }
      const next = ahead.shift();
      if (next === undefined) break;
      filesAhead -= next.files;
      const outcomes = next.hashing && await next.hashing;
      let fileIndex = 0;
      let batch: ObservedItem[] = [];
      try {
        for (const event of next.events) {
          if (event.kind === "folder") {
            stats.folders++;
            current = event.path;
            if (performance.now() - lastProgress >= interval) progress();
            continue;
          }
          let skipped: SkippedObject | undefined;
          let item: ObservedItem | undefined;
          if (event.kind === "skip") {
            skipped = {
              collector: fileCollectorName,
              object: event.object,
              reason: event.reason,
              ...(event.detail === undefined ? {} : { detail: event.detail }),
            };
          } else {
            const fields: ObservedFields = {};
            const view = images?.view(event.fullPath, event.folder);
            if (view === undefined) {
              addPathFields(fields, wanted, event.fullPath, event.folder, event.name, os);
              item = { document: "FileItem", key: event.fullPath, fields };
            } else {
              addPathFields(fields, wanted, view.fullPath, view.folder, event.name, "windows");
              item = {
                document: "FileItem",
                key: view.fullPath,
                fields,
                provenance: { source: event.fullPath },
              };
            }
            if (outcomes) {
              const outcome = outcomes[fileIndex++]!;
              if (outcome.ok) {
                stats.bytesRead += outcome.bytes;
                for (let index = 0; index < digestFields.length; index++) {
                  const pair = digestFields[index]!;
                  const digest = outcome.digests[pair[1]];
                  if (digest !== undefined) fields[pair[0]] = digest;
                }
              } else {
                // Its digests stay unknown: the item still counts, as any file whose content is
                // unread, and an item on a digest is neither true nor false on it.
                skipped = {
                  collector: fileCollectorName,
                  object: event.fullPath,
                  reason: outcome.reason,
                  detail: outcome.detail,
                };
                const why = `${outcome.reason}${outcome.detail ? `: ${outcome.detail}` : ""}`;
                const unevaluated: { [path: string]: string } = {};
                for (const [field] of digestFields) unevaluated[field] = why;
                item.unevaluated = unevaluated;
              }
            } else {
              if (view !== undefined && wanted.has("Username")) {
                item.unevaluated = imageOwnerUnknown;
              }
              if (event.info) {
                const statWanted = view === undefined ? wanted : imageWanted;
                const untold = await addStatFields(
                  fields,
                  statWanted,
                  event.fullPath,
                  event.info,
                  owners,
                );
                if (untold !== undefined) item.unevaluated = untold;
              }
              if (context) item.lazy = new FileContentSource(context, event.fullPath, event.osPath);
            }
          }
          if (skipped) {
            // Skips and items reach the consumer in walk order.
            if (batch.length > 0) {
              const ready = batch;
              batch = [];
              yield ready;
            }
            reporter.skipped(skipped);
          }
          if (item === undefined) continue;
          stats.files++;
          if ((stats.files & 255) === 0 && performance.now() - lastProgress >= interval) progress();
          batch.push(item);
          if (batch.length === itemBatchSize) {
            const ready = batch;
            batch = [];
            yield ready;
          }
        }
      } catch (error) {
        // The items already made still reach the consumer before the failure does.
        if (batch.length > 0) yield batch;
        throw error;
      }
      if (batch.length > 0) yield batch;
    }
  } finally {
    // Lazy loads of the last items may still be running: the pool ends when they are done.
    await walk.return?.(undefined);
    hasher?.release();
    progress();
  }
}

/** `events` in consecutive pieces of at most `most` files each. */
function* chunksOf(events: WalkEvent[], most: number): Generator<WalkEvent[]> {
  let files = 0;
  let start = 0;
  for (let index = 0; index < events.length; index++) {
    if (events[index]!.kind !== "file") continue;
    if (files === most) {
      yield events.slice(start, index);
      start = index;
      files = 0;
    }
    files++;
  }
  yield start === 0 ? events : events.slice(start);
}

/** Presets plus scopes, relative paths made absolute, overlaps removed. */
async function resolveScopes(
  options: FileCollectorOptions,
  platform: FilePlatform,
  reporter: CollectorReporter,
): Promise<ScanScope[]> {
  const scopes: ScanScope[] = [];
  for (const preset of options.presets ?? []) {
    if (!filePresets.includes(preset as FilePreset)) {
      reporter.warning({
        collector: fileCollectorName,
        code: "unknown-preset",
        message: `unknown preset "${preset}"; known: ${filePresets.join(", ")}`,
      });
      continue;
    }
    scopes.push(...await expandPreset(preset as FilePreset, platform));
  }
  for (const scope of [...options.scopes ?? [], ...(options.roots ?? []).map(rootScope)]) {
    scopes.push({ ...scope, path: absolutePath(platform.os, scope.path) });
  }
  return mergeScopes(scopes, platform.os);
}

/** Whether a folder exists and holds nothing (a missing or unreadable one is reported elsewhere). */
async function isEmptyFolder(path: string): Promise<boolean> {
  try {
    for await (const _entry of Deno.readDir(path)) return false;
    return true;
  } catch {
    return false;
  }
}

function rootScope(root: ImageRoot): ScanScope {
  return { path: root.path };
}

/** Makes a scope absolute and normal (`./a/../b` → `<cwd>/b`), without touching links. */
function absolutePath(os: string, path: string): string {
  const paths = os === "windows" ? win32 : posix;
  // A UNC root or drive root stays as given: resolve would add or drop separators.
  if (os === "windows" && /^(?:\\\\|[A-Za-z]:[\\/]?$)/.test(path)) return path;
  if (paths.isAbsolute(path)) return paths.normalize(path);
  try {
    return paths.resolve(Deno.cwd(), path);
  } catch {
    return path;
  }
}

function countingReporter(reporter: CollectorReporter, stats: FileScanStats): CollectorReporter {
  return {
    skipped(entry) {
      stats.skipped[entry.reason] = (stats.skipped[entry.reason] ?? 0) + 1;
      reporter.skipped(entry);
    },
    warning: (entry) => reporter.warning(entry),
    progress: (entry) => reporter.progress(entry),
  };
}
