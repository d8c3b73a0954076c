/**
 * The event log collector's name, in its skip records, warnings and progress
 * (every source of the collector reports under it).
 *
 * @module
 */

/** The event log collector's name. */
export const eventLogCollectorName = "eventlog";
