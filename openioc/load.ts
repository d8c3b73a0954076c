/**
 * Loading sets of IOC files from files and folders.
 *
 * @module
 */
import { describeFsError, findIocFiles } from "./ioc_files.ts";
import { IocLoadError } from "./load_error.ts";
import type { IocDocument, LoadWarning } from "./model.ts";
import { defaultMaxFileBytes, parseIoc, type ParseIocOptions, tooLarge } from "./parse_ioc.ts";

export {
  defaultMaxFileBytes,
  type ParsedIoc,
  parseIoc,
  type ParseIocOptions,
} from "./parse_ioc.ts";
export { IocLoadError } from "./load_error.ts";

/** A file that could not be loaded. */
export interface RejectedIocFile {
  /** The path as given or found. */
  file: string;
  /** What is wrong, without the place. */
  error: string;
  /** 1-based line of the problem, when it has a place in the text. */
  line?: number;
  /** 1-based column of the problem, when it has a place in the text. */
  column?: number;
}

/** A document whose IOC id was already loaded from an earlier file. */
export interface DuplicateIoc {
  /** The later document, skipped for scans. */
  document: IocDocument;
  /** The file whose document with the same id is used instead. */
  keptFile: string;
}

/** Everything loaded from a set of paths. */
export interface LoadedIocSet {
  /** Documents usable for a scan: sorted by file path, one per IOC id (the first file wins). */
  documents: IocDocument[];
  /** Later documents that repeat an id, skipped for scans. */
  duplicates: DuplicateIoc[];
  /** Files (and given paths) that could not be loaded. */
  rejected: RejectedIocFile[];
  /** Problems worked around, in file order. */
  warnings: LoadWarning[];
  /** Every file that was examined, sorted; given paths that do not exist are not included. */
  files: string[];
  /** Given paths that do not exist or cannot be examined (also listed in `rejected`). */
  missing: string[];
}

/** Options of {@linkcode loadIocPaths}. */
export interface LoadIocPathsOptions extends ParseIocOptions {}

/**
 * Loads the IOC files named by `paths`: files whatever their extension, folders
 * recursively for `.ioc`/`.xml`. Files are loaded in path order, so results are
 * deterministic. A bad file is rejected and the others keep loading; files
 * over the size limit are rejected without being read.
 *
 * @example
 * ```ts
 * import { loadIocPaths } from "./load.ts";
 * const set = await loadIocPaths(["./iocs"], { maxFileBytes: 1_000_000 });
 * for (const rejected of set.rejected) console.error(rejected.file, rejected.error);
 * ```
 */
export async function loadIocPaths(
  paths: readonly string[],
  options: LoadIocPathsOptions = {},
): Promise<LoadedIocSet> {
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const found = await findIocFiles(paths);
  const set: LoadedIocSet = {
    documents: [],
    duplicates: [],
    rejected: found.missing.map(({ file, error }) => ({ file, error })),
    warnings: [...found.warnings],
    files: found.files,
    missing: found.missing.map(({ file }) => file),
  };
  const firstFileById = new Map<string, string>();
  for (const file of found.files) {
    let loaded;
    try {
      const bytes = await readBounded(file, maxFileBytes);
      loaded = parseIoc(bytes, file, { ...options, maxFileBytes });
    } catch (error) {
      set.rejected.push(rejection(file, error));
      continue;
    }
    set.warnings.push(...loaded.warnings);
    const { document } = loaded;
    const keptFile = firstFileById.get(document.id);
    if (keptFile === undefined) {
      firstFileById.set(document.id, file);
      set.documents.push(document);
      continue;
    }
    set.duplicates.push({ document, keptFile });
    set.warnings.push({
      file,
      code: "duplicate-ioc-id",
      message:
        `IOC id "${document.id}" is already loaded from ${keptFile}; ${file} is skipped for scans`,
      iocId: document.id,
    });
  }
  return set;
}

/** Reads a regular file, refusing (before reading) anything over `limit` bytes. */
async function readBounded(file: string, limit: number): Promise<Uint8Array> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(file);
  } catch (error) {
    throw new IocLoadError(file, describeFsError(error));
  }
  // Reading a FIFO or device could block forever or never end.
  if (!info.isFile) throw new IocLoadError(file, "not a regular file");
  if (info.size > limit) throw tooLarge(file, info.size, limit);
  try {
    return await Deno.readFile(file);
  } catch (error) {
    throw new IocLoadError(file, `cannot read: ${describeFsError(error)}`);
  }
}

function rejection(file: string, error: unknown): RejectedIocFile {
  if (error instanceof IocLoadError) {
    const rejected: RejectedIocFile = { file, error: error.reason };
    if (error.line !== undefined) rejected.line = error.line;
    if (error.column !== undefined) rejected.column = error.column;
    return rejected;
  }
  return { file, error: error instanceof Error ? error.message : String(error) };
}
