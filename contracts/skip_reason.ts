/**
 * Why a collector skipped an object: the stable codes of `skipped` events and
 * stored skips. A contract every layer shares (the event shapes, the
 * collectors, the store); docs/events.md lists the codes.
 *
 * @module
 */

/** Why an object was skipped. Stable codes; docs/events.md lists them. */
export type SkipReason =
  | "symlink"
  | "junction"
  | "loop"
  | "special-file"
  | "unreadable"
  | "locked"
  | "too-large"
  | "path-too-long"
  | "invalid-name"
  | "excluded"
  | "corrupt"
  | "unsupported"
  | "not-found"
  | "changed-while-read"
  | "source-unavailable"
  | "error";
