/**
 * OpenIOC 1.0/1.1: the document model, the loader and the term catalogue.
 *
 * @example Load a folder of IOCs and list what is unsupported
 * ```ts
 * import { describeIoc, loadIocPaths } from "./mod.ts";
 * const set = await loadIocPaths(["./iocs"]);
 * for (const document of set.documents) {
 *   const { items, unsupported } = describeIoc(document);
 *   console.log(document.id, items, unsupported);
 * }
 * ```
 *
 * @module
 */
export type * from "./model.ts";
export * from "./term_catalogue.ts";
export { IocLoadError } from "./load_error.ts";
export { loadWarningEvent } from "./load_warning_event.ts";
export {
  defaultMaxFileBytes,
  type ParsedIoc,
  parseIoc,
  type ParseIocOptions,
} from "./parse_ioc.ts";
export {
  type DuplicateIoc,
  type LoadedIocSet,
  loadIocPaths,
  type LoadIocPathsOptions,
  type RejectedIocFile,
} from "./load.ts";
export { findIocFiles, type FoundIocFiles } from "./ioc_files.ts";
export { describeIoc, type IocDescription, iocItems } from "./ioc_description.ts";
export { openIoc10Namespace, openIoc11Namespace } from "./ioc_reader.ts";
export { memberPath, type NestedDocument, nestedDocuments, nestedIn } from "./nested_documents.ts";
