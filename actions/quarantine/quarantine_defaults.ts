/**
 * The quarantine's safety limits and retention by default (docs/quarantine.md, "Safety limits";
 * Kaspersky's defaults): one definition each, used by the action, the CLI and retention.
 *
 * @module
 */
import type { QuarantinePolicy } from "./contract.ts";

/** Files larger than this are `refused: too-large` (100 MB). */
export const defaultMaxFileBytes = 100 * 1000 * 1000;
/** At most this many objects are acted on in one run; the rest are `refused: max-actions`. */
export const defaultMaxActions = 50;
/** Copies older than this are purged by retention (days). */
export const defaultRetentionDays = 30;
/** The store's copies are purged, oldest first, down to this many bytes of originals. */
export const defaultRetentionBytes = 100 * 1000 * 1000;

/** The policy by default: 100 MB, not forced, no process stopped, nothing else protected. */
export const defaultQuarantinePolicy: QuarantinePolicy = {
  maxFileBytes: defaultMaxFileBytes,
  force: false,
  terminate: false,
  protectedPaths: [],
};
