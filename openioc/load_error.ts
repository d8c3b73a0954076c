/**
 * The error that rejects one IOC file.
 *
 * @module
 */

/**
 * A file that cannot be loaded, with where and why. Other files keep loading.
 *
 * @example
 * ```ts
 * import { IocLoadError } from "./load_error.ts";
 * const error = new IocLoadError("a.ioc", "unknown condition \"near\"", 12, 7);
 * error.message; // "a.ioc:12:7: unknown condition \"near\""
 * ```
 */
export class IocLoadError extends Error {
  /** The file as given to the loader. */
  readonly file: string;
  /** What is wrong, without the place. */
  readonly reason: string;
  /** 1-based line of the problem, when it has a place in the text. */
  readonly line: number | undefined;
  /** 1-based column of the problem, when it has a place in the text. */
  readonly column: number | undefined;

  /** Creates the error; `message` becomes `file:line:column: reason`. */
  constructor(file: string, reason: string, line?: number, column?: number) {
    const place = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
    super(`${place}: ${reason}`);
    this.name = "IocLoadError";
    this.file = file;
    this.reason = reason;
    this.line = line;
    this.column = line === undefined ? undefined : column ?? 1;
  }
}
