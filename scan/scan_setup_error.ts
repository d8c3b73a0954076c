/**
 * The error a scan fails with when it cannot run at all (exit code 2): a
 * usage error in the task, no IOC loadable, the store not openable, or
 * evidence that cannot be read where reading none would turn an offline scan
 * into a live one.
 *
 * @module
 */

/** A scan that cannot run at all (exit code 2); nothing was collected. */
export class ScanSetupError extends Error {
  override name = "ScanSetupError";
}
