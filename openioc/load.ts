/**
 * Loading sets of IOC files from files and folders.
 *
 * @module
 */
import { readBounded } from "./bounded_read.ts";
import { findIocFiles } from "./ioc_files.ts";
import { IocLoadError } from "./load_error.ts";
import type { IocDocument, LoadWarning } from "./model.ts";
import { defaultMaxFileBytes, parseIoc, type ParseIocOptions } from "./parse_ioc.ts";

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

/** A file whose bytes are identical to a file loaded before it (so are its id and its IOC). */
export interface DuplicateIoc {
  /** The later document, folded into the earlier one: a scan evaluates that one once. */
  document: IocDocument;
  /** The file with the same bytes whose document is evaluated. */
  keptFile: string;
}

/** Everything loaded from a set of paths. */
export interface LoadedIocSet {
  /**
   * Documents usable for a scan, sorted by file path: one per distinct IOC, an IOC being its id
   * and its content hash. Files that share an id but differ in content are different IOCs, and
   * all are here; byte-identical copies are folded into the first (see `duplicates`).
   */
  documents: IocDocument[];
  /** Later files that are byte-identical copies of a document's file; not evaluated again. */
  duplicates: DuplicateIoc[];
  /**
   * The exact bytes each document was parsed from, by {@linkcode IocDocument.contentHash}: what a
   * run's snapshot stores, so that it holds the bytes evaluated, not a later read of the file.
   */
  contents: Map<string, Uint8Array>;
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
export interface LoadIocPathsOptions extends ParseIocOptions {
  /**
   * Follow symbolic links found in an IOC folder whose target is outside that folder (default
   * false: each is rejected, naming its target). Whatever it points to, a file is read only when
   * it is a regular file, and never past the size limit.
   */
  followIocLinks?: boolean;
}

/**
 * Loads the IOC files named by `paths`: files whatever their extension, folders
 * recursively for `.ioc`/`.xml`. Files are loaded in path order, so results are
 * deterministic. A bad file is rejected and the others keep loading. Each file
 * is opened once without blocking, must be a regular file on the opened
 * descriptor, and is read up to the size limit plus one byte (a file over it
 * is rejected, whatever size it claims). Symbolic links inside a folder that
 * lead out of it are rejected unless `followIocLinks` is set.
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
  const found = await findIocFiles(paths, { followLinks: options.followIocLinks ?? false });
  const set: LoadedIocSet = {
    documents: [],
    duplicates: [],
    contents: new Map(),
    rejected: [...found.missing, ...found.refused].map(({ file, error }) => ({ file, error })),
    warnings: [...found.warnings],
    files: found.files,
    missing: found.missing.map(({ file }) => file),
  };
  const firstFileByHash = new Map<string, string>();
  for (const file of found.files) {
    let loaded;
    let bytes: Uint8Array;
    try {
      bytes = await readBounded(file, maxFileBytes);
      loaded = parseIoc(bytes, file, { ...options, maxFileBytes });
    } catch (error) {
      set.rejected.push(rejection(file, error));
      continue;
    }
    const { document } = loaded;
    // Same bytes, same IOC: its warnings were reported for the first copy already.
    const keptFile = firstFileByHash.get(document.contentHash);
    if (keptFile !== undefined) {
      set.duplicates.push({ document, keptFile });
      continue;
    }
    firstFileByHash.set(document.contentHash, file);
    set.warnings.push(...loaded.warnings);
    set.documents.push(document);
    set.contents.set(document.contentHash, bytes);
  }
  if (set.duplicates.length > 0) set.warnings.push(identicalFilesWarning(set.duplicates));
  return set;
}

/** How many folded copies the one `identical-ioc-files` warning names. */
const maxNamedCopies = 10;

/** The one warning of a load that folded byte-identical copies. */
function identicalFilesWarning(duplicates: readonly DuplicateIoc[]): LoadWarning {
  const named = duplicates.slice(0, maxNamedCopies)
    .map(({ document, keptFile }) => `${document.file} (= ${keptFile})`);
  const more = duplicates.length - named.length;
  return {
    file: duplicates[0]!.document.file,
    code: "identical-ioc-files",
    message: `${duplicates.length} IOC files are byte-identical copies of files loaded before ` +
      `them and are evaluated once: ${named.join(", ")}${more > 0 ? ` … and ${more} more` : ""}`,
  };
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
