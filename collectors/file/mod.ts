/**
 * The FileItem collector: scan scopes and presets, exclude globs, the size
 * cap, and lazy hashes and PEInfo computed in worker threads with one read per
 * file. Everything it does not scan is reported as skipped, with a reason.
 *
 * @example
 * ```ts ignore
 * import { createFileCollector } from "./mod.ts";
 * const collector = createFileCollector({ presets: ["important-areas"], exclude: ["**\/*.iso"] });
 * ```
 *
 * @module
 */
export {
  createFileCollector,
  type FileCollector,
  fileCollectorName,
  type FileCollectorOptions,
  fileDocuments,
  type FileScanStats,
} from "./file_collector.ts";
export {
  expandPreset,
  type FilePreset,
  filePresets,
  linuxPseudoFileSystems,
  mergeScopes,
  type ScanScope,
} from "./scan_scopes.ts";
export { ImagePaths, type ImageRoot, type WindowsView } from "./image_paths.ts";
export { compileGlob, compileGlobs, type GlobMatcher, type GlobOptions } from "./glob_matcher.ts";
export { denoPlatform, type FilePlatform, joinPath, separatorOf } from "./platform.ts";
// The hashing wing's, as before it had a door of its own: the collector's options take an opener.
export {
  classifyFileError,
  type ContentHasher,
  createInProcessHasher,
  createWorkerHasher,
  type FileFailure,
  type FileOpener,
  type HashAlgorithm,
  type HashOutcome,
  type HashRequest,
  nodeFileOpener,
  type OpenedFile,
} from "../hashing/mod.ts";
export {
  defaultOwnerLookup,
  type OwnerLookup,
  parsePasswd,
  passwdOwnerLookup,
} from "./owner_names.ts";
export { escapeNameBytes, isValidUtf8 } from "./raw_names.ts";
export {
  contentFieldNames,
  fileExtension,
  type FileFieldName,
  wantsDigests,
} from "./file_fields.ts";
// The lazy hashes and PEInfo of one file: the process collector hashes images through it.
export { type ContentContext, FileContentSource, hashFields } from "./file_content_source.ts";
export {
  osPathOf,
  pathTooLong,
  type WalkEvent,
  walkFiles,
  type WalkOptions,
} from "./directory_walker.ts";
