/**
 * The journaled steps of one quarantine (docs/quarantine.md, "The sequence") and the other
 * operations the journal records. A crash after step `n` is recovered by what `n` is: up to
 * {@linkcode QuarantineStep.verified} the operation is rolled back (the copy removed, the
 * original untouched); from {@linkcode QuarantineStep.recorded} on it is finished (the original
 * deleted when it is still the file that was copied).
 *
 * @module
 */

/** The steps, numbered as `faultAfterStep` and `IOCSCAN_TEST_ABORT_AFTER_STEP` count them. */
export const QuarantineStep = {
  /** The original was `lstat`-ed, opened without following links and checked. */
  opened: 1,
  /** Its metadata was captured. */
  captured: 2,
  /** The encrypted copy was written, synced and renamed into `objects/`. */
  copied: 3,
  /** The copy was decrypted and its SHA-256 matched. */
  verified: 4,
  /** The entry's record was written durably (state `deleting`). */
  recorded: 5,
  /** The original was deleted and found gone. */
  deleted: 6,
  /** The record says `quarantined`. */
  quarantined: 7,
} as const;

/** A step's name. */
export type QuarantineStepName = keyof typeof QuarantineStep;

/** The journal's other words: ends of operations, restore and purge. */
export const JournalOp = {
  /** The operation stopped (a refusal or failure after step 1) with nothing kept. */
  rolledBack: "rolled-back",
  /** The copy is kept and the original too (`failed: permission`…). */
  keptOriginal: "kept-original",
  pendingReboot: "pending-reboot",
  /** A restore began: its temporary file's path. */
  restoring: "restoring",
  restored: "restored",
  /** A restore stopped before its rename; its temporary file was removed. */
  restoreAbandoned: "restore-abandoned",
  purging: "purging",
  purged: "purged",
} as const;

/** Steps after which a crash is rolled back. */
export const ROLL_BACK_STEPS: readonly string[] = ["opened", "captured", "copied", "verified"];
/** Steps after which a crash is finished. */
export const FINISH_STEPS: readonly string[] = ["recorded", "deleted"];

/**
 * Test only: the environment variable the CLI reads into `faultAfterStep` (the process kills
 * itself with SIGKILL right after that step is journaled).
 */
export const TEST_ABORT_AFTER_STEP_ENV = "IOCSCAN_TEST_ABORT_AFTER_STEP";
