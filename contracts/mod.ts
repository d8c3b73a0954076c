/**
 * The contracts every layer shares, at the bottom of the tree: the NDJSON
 * event shapes, the observed objects collectors produce and the engine
 * evaluates, skip reasons, exit codes and run statuses. Nothing here imports
 * anything of the project.
 *
 * @example
 * ```ts
 * import { ExitCode, type SkipReason } from "./mod.ts";
 * const reason: SkipReason = "unreadable";
 * // ExitCode.Incomplete === 3
 * ```
 *
 * @module
 */
export * from "./events.ts";
export * from "./exit_codes.ts";
export * from "./observed_item.ts";
export * from "./run_status.ts";
export * from "./skip_reason.ts";
