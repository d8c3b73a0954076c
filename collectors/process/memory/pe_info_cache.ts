/**
 * The PEInfo of mapped files, parsed once per distinct file per run: a
 * process's image sections name the same DLLs as every other process's.
 * Files are read through the hashing wing's opener (no symbolic link
 * followed, non-blocking, regular files only) and parsed by `formats/pe`,
 * which reads headers and tables only and bounds every read.
 *
 * @module
 */
import type { ObservedFields, Unevaluated } from "../../../contracts/observed_item.ts";
import { classifyFileError, type FileOpener, openedByteSource } from "../../hashing/mod.ts";

/** The PEInfo of one file: the fields (absent for a file that is not a PE), or why they are unknown. */
export interface MappedPeInfo {
  /** The `PEInfo` record, as the file collector gives it. */
  readonly info?: ObservedFields[string];
  /** `PEInfo/…` paths that could not be told, and why (a damaged or unreadable file). */
  readonly unevaluated?: Unevaluated;
  /** Problems worth a warning (damage the parser worked around). */
  readonly warnings: readonly string[];
}

/** Parses the PEInfo of mapped files, each distinct file once. */
export class PeInfoCache {
  readonly #opener: FileOpener;
  readonly #parsed = new Map<string, Promise<MappedPeInfo>>();

  /** `opener`: how files are opened (the hashing wing's `nodeFileOpener`, or a test's). */
  constructor(opener: FileOpener) {
    this.#opener = opener;
  }

  /** How many distinct files were parsed (or are being parsed). */
  get files(): number {
    return this.#parsed.size;
  }

  /**
   * The PEInfo of the file known as `key`, opened at the first of `paths`
   * that opens. Files that do not start with `MZ` have none (not an error).
   */
  peInfo(key: string, paths: readonly string[]): Promise<MappedPeInfo> {
    let parsed = this.#parsed.get(key);
    if (parsed === undefined) {
      parsed = this.#parse(paths);
      this.#parsed.set(key, parsed);
    }
    return parsed;
  }

  async #parse(paths: readonly string[]): Promise<MappedPeInfo> {
    let file;
    let lastError: unknown;
    for (const path of paths) {
      try {
        // A map_files entry is a link to the mapped file itself: it is followed.
        file = await this.#opener.open(path, { followSymlinks: path.includes("/map_files/") });
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (file === undefined) {
      const failure = classifyFileError(lastError);
      // A device or FIFO mapped into memory (a GPU's, /dev/zero) is not a PE file.
      if (failure.reason === "special-file") return { warnings: [] };
      return {
        unevaluated: { PEInfo: `${failure.reason}: ${failure.detail}` },
        warnings: [],
      };
    }
    try {
      const opened = file;
      const source = openedByteSource(opened);
      const magic = await source.read(0, 2);
      if (magic[0] !== 0x4d || magic[1] !== 0x5a) return { warnings: [] };
      const { parsePeInfo } = await import("../../../formats/pe/mod.ts");
      const result = await parsePeInfo(source);
      if (result.ok) {
        const unevaluated: { [path: string]: string } = {};
        for (const gap of result.gaps) {
          for (const field of gap.fields) {
            unevaluated[`PEInfo/${field}`] = `${gap.code}: ${gap.message}`;
          }
        }
        return {
          info: result.info as unknown as ObservedFields[string],
          ...(Object.keys(unevaluated).length === 0 ? {} : { unevaluated }),
          warnings: [...result.warnings, ...result.gaps.map((gap) => gap.message)],
        };
      }
      const why = `${result.reason}: ${result.detail}`;
      return { unevaluated: { PEInfo: why }, warnings: [why] };
    } catch (error) {
      const failure = classifyFileError(error);
      return {
        unevaluated: { PEInfo: `${failure.reason}: ${failure.detail}` },
        warnings: [],
      };
    } finally {
      await file.close().catch(() => {});
    }
  }
}
