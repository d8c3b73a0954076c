/**
 * The shapes through which commands add themselves to the program. Its own
 * file so that the commands and the lists that load them (`mod.ts`,
 * `collect.ts`) do not import each other.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";

/** Adds one command (with its options and action) to the program. */
export type CommandRegistrar = (program: Command) => void;

/** Adds one `collect` sub-command (e.g. `eventlog`, `registry`) to the group. */
export type CollectSourceRegistrar = (collect: Command) => void;
