/**
 * The error a REGF entry point throws when a file is not a hive it can read.
 *
 * Only whole-file rejections are errors; damage inside a hive becomes a
 * {@linkcode RegfWarning} and the parser keeps what it can reach.
 *
 * @module
 */

/** Why a file was rejected as a whole. */
export type RegfErrorCode =
  /** No `regf` signature: some other kind of file. */
  | "not-regf"
  /** A Windows 9x/Me `CREG` registry file, a different format. */
  | "creg"
  /** Too short to hold a base block and one hive bin. */
  | "too-short"
  /** A transaction log or another non-primary REGF file given as a hive. */
  | "not-primary";

/** A file that cannot be read as a registry hive at all. */
export class RegfError extends Error {
  /** A stable code for the rejection. */
  readonly code: RegfErrorCode;

  /** Creates the error with its code and a message naming the problem. */
  constructor(code: RegfErrorCode, message: string) {
    super(message);
    this.name = "RegfError";
    this.code = code;
  }
}

/** Something odd in a hive that the parser worked around. */
export interface RegfWarning {
  /** A stable code: `bad-checksum`, `bad-bin`, `bad-cell`, `bad-subkey-list`… */
  code: string;
  /** What happened, for people. */
  message: string;
  /** The file offset the warning is about, when there is one. */
  offset?: number;
}
