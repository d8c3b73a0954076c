/**
 * The lazy FileItem fields: hashes and PEInfo, computed only when the matcher
 * still needs them, with one read of the file for all requested hashes.
 *
 * @module
 */
import type { CollectorReporter } from "../collector.ts";
import type {
  LazyFieldSource,
  ObservedFields,
  Unevaluated,
} from "../../contracts/observed_item.ts";
import type { PeGap } from "../../formats/pe/mod.ts";
import {
  classifyFileError,
  type ContentHasher,
  type FileFailure,
  type FileOpener,
  type HashAlgorithm,
  type HashOutcome,
  openedByteSource,
} from "../hashing/mod.ts";
import type { FileFieldName } from "./file_fields.ts";

/** Hash field → `node:crypto` algorithm. */
export const hashFields: ReadonlyMap<string, HashAlgorithm> = new Map([
  ["Md5sum", "md5"],
  ["Sha1sum", "sha1"],
  ["Sha256sum", "sha256"],
]);

/** What every lazy source of one scan shares. */
export interface ContentContext {
  hasher: ContentHasher;
  /** Opens files for PE parsing. */
  opener: FileOpener;
  /** The content fields the plan asks for. */
  wanted: ReadonlySet<FileFieldName>;
  maxFileSize?: number;
  followSymlinks: boolean;
  reporter: CollectorReporter;
  collector: string;
  /** Called with the bytes read, for progress and statistics. */
  countBytes(bytes: number): void;
}

/**
 * Lazy fields of one file. `load` hashes (one streaming read for every
 * requested digest) and parses PE headers concurrently; failures become one
 * skip record for the file and leave the fields out, unknown (`unevaluated`)
 * rather than absent. `PEInfo` fields the
 * parser could not tell (a signature it could not check, tables a damaged
 * header no longer locates, tables damaged or cut at a limit) are reported by
 * `unevaluated`, with a warning.
 */
export class FileContentSource implements LazyFieldSource {
  readonly #context: ContentContext;
  readonly #fullPath: string;
  readonly #osPath: string;
  readonly #loaded: ObservedFields = {};
  #unevaluated: { [path: string]: string } | undefined;
  #failed = false;

  /** `fullPath` names the file in records; `osPath` is what the OS opens. */
  constructor(context: ContentContext, fullPath: string, osPath: string) {
    this.#context = context;
    this.#fullPath = fullPath;
    this.#osPath = osPath;
  }

  /** Whether `name` is a content field this scan computes. */
  provides(name: string): boolean {
    return this.#context.wanted.has(name as FileFieldName) &&
      (hashFields.has(name) || name === "PEInfo");
  }

  /** Computes the requested content fields; each at most once per file. */
  async load(names: readonly string[]): Promise<ObservedFields> {
    const missing = names.filter((name) => this.provides(name) && !(name in this.#loaded));
    if (this.#failed || missing.length === 0) return this.#pick(names);
    const algorithms = missing.flatMap((name) => hashFields.get(name) ?? []);
    const [hashed, pe] = await Promise.all([
      algorithms.length > 0 ? this.#hashNow(algorithms) : undefined,
      missing.includes("PEInfo") ? this.#peInfo() : undefined,
    ]);
    let failure: FileFailure | undefined;
    if (hashed?.ok === false) failure = hashed;
    else if (hashed?.ok) {
      for (const [field, algorithm] of hashFields) {
        const digest = hashed.digests[algorithm];
        if (digest !== undefined) this.#loaded[field] = digest;
      }
    }
    if (pe && "failure" in pe) failure ??= pe.failure;
    else if (pe !== undefined) {
      if (pe.info !== undefined) this.#loaded.PEInfo = pe.info;
      if (pe.unevaluated !== undefined) {
        this.#unevaluated = { ...this.#unevaluated, ...pe.unevaluated };
      }
    }
    if (failure) {
      this.#failed = true;
      // Not read is not absent: the fields asked for are unknown on this file from now on.
      const why = `${failure.reason}${failure.detail ? `: ${failure.detail}` : ""}`;
      const unevaluated: { [path: string]: string } = { ...this.#unevaluated };
      for (const name of missing) if (!(name in this.#loaded)) unevaluated[name] = why;
      this.#unevaluated = unevaluated;
      this.#context.reporter.skipped({
        collector: this.#context.collector,
        object: this.#fullPath,
        reason: failure.reason,
        detail: failure.detail,
      });
    }
    return this.#pick(names);
  }

  /** The `PEInfo` fields loaded so far that could not be told, and why. */
  unevaluated(): Unevaluated | undefined {
    return this.#unevaluated;
  }

  #pick(names: readonly string[]): ObservedFields {
    const fields: ObservedFields = {};
    for (const name of names) if (name in this.#loaded) fields[name] = this.#loaded[name];
    return fields;
  }

  async #hashNow(algorithms: readonly HashAlgorithm[]): Promise<HashOutcome> {
    const outcome = await this.#context.hasher.hash({
      path: this.#osPath,
      algorithms,
      followSymlinks: this.#context.followSymlinks,
      ...(this.#context.maxFileSize === undefined ? {} : { maxSize: this.#context.maxFileSize }),
    });
    if (outcome.ok) this.#context.countBytes(outcome.bytes);
    return outcome;
  }

  // PEInfo for files that start with "MZ"; other files have none (not an error).
  async #peInfo(): Promise<
    { info?: ObservedFields[string]; unevaluated?: Unevaluated } | { failure: FileFailure }
  > {
    const context = this.#context;
    let file;
    try {
      file = await context.opener.open(this.#osPath, { followSymlinks: context.followSymlinks });
    } catch (error) {
      return { failure: classifyFileError(error) };
    }
    try {
      if (context.maxFileSize !== undefined && file.size > context.maxFileSize) {
        return {
          failure: {
            reason: "too-large",
            detail: `${file.size} bytes, over the ${context.maxFileSize}-byte cap`,
          },
        };
      }
      const opened = file;
      const source = openedByteSource(opened, (bytes) => context.countBytes(bytes));
      const magic = await source.read(0, 2);
      if (magic[0] !== 0x4d || magic[1] !== 0x5a) return {};
      // Loaded with the first PE file: scans without PEInfo terms do not pay for it (~2 ms).
      const { parsePeInfo, PARTIAL_INFO_LEFT_OUT } = await import("../../formats/pe/mod.ts");
      const result = await parsePeInfo(source);
      const warn = (code: string, message: string) =>
        context.reporter.warning({
          collector: context.collector,
          code,
          message,
          file: this.#fullPath,
        });
      if (result.ok) {
        for (const warning of result.warnings) warn("pe-damaged", warning);
        const info = result.info as unknown as ObservedFields[string];
        if (result.gaps.length === 0) return { info };
        const unevaluated: { [path: string]: string } = {};
        markGaps(result.gaps, unevaluated, warn);
        return { info, unevaluated };
      }
      if (result.reason === "unreadable") {
        return { failure: { reason: "unreadable", detail: result.detail } };
      }
      if (result.reason === "corrupt") {
        if (result.partial !== undefined) {
          // The COFF header and section table are intact: keep what they tell.
          warn(
            "pe-corrupt",
            `${result.detail}; only the COFF header and section table were read ` +
              `(no subsystem, base address, checksum, imports, exports, resources, version or signature)`,
          );
          // What the optional header would have located is unknown, not absent.
          const why =
            `pe-corrupt: ${result.detail}; only the COFF header and section table were read`;
          const unevaluated: { [path: string]: string } = {};
          const left = result.partial.Type === undefined
            ? [...PARTIAL_INFO_LEFT_OUT, "Type"]
            : PARTIAL_INFO_LEFT_OUT;
          for (const field of left) unevaluated[`PEInfo/${field}`] = why;
          // The section table itself may be cut short or capped: those sections are unknown too.
          markGaps(result.gaps ?? [], unevaluated, warn);
          return { info: result.partial as unknown as ObservedFields[string], unevaluated };
        }
        const message = `starts with MZ but its PE headers are not valid: ${result.detail}`;
        warn("pe-corrupt", message);
        // A damaged PE is not a file without PEInfo: every PEInfo field is unknown.
        return { unevaluated: { PEInfo: `pe-corrupt: ${message}` } };
      }
      return {};
    } catch (error) {
      return { failure: classifyFileError(error) };
    } finally {
      await file.close().catch(() => {});
    }
  }
}

/** Warns about each gap of a PE and names the `PEInfo` fields it left unknown in `unevaluated`. */
function markGaps(
  gaps: readonly PeGap[],
  unevaluated: { [path: string]: string },
  warn: (code: string, message: string) => void,
): void {
  for (const gap of gaps) {
    warn(gap.code, gap.message);
    for (const field of gap.fields) {
      unevaluated[`PEInfo/${field}`] = `${gap.code}: ${gap.message}`;
    }
  }
}
