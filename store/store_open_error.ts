/**
 * The error {@linkcode openStore} fails with.
 *
 * @module
 */

/** The results database could not be opened, created or migrated. */
export class StoreOpenError extends Error {
  /** The error class name, for logs. */
  override name = "StoreOpenError";

  /**
   * Creates the error; the message names the location.
   *
   * @param location The database path or URL (passwords removed).
   * @param message What went wrong, for a person.
   * @param options The underlying error.
   */
  constructor(readonly location: string, message: string, options?: ErrorOptions) {
    super(`cannot open the results database ${location}: ${message}`, options);
  }
}
