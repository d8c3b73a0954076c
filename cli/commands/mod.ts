/**
 * The list of iocscan's commands. Each command lives in its own file and
 * exports a function that adds it to the program.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { registerCollect } from "./collect.ts";
import { registerDemo } from "./demo.ts";
import { registerIndicators } from "./indicators.ts";
import { registerMatch } from "./match.ts";
import { registerResults } from "./results.ts";
import { registerScan } from "./scan.ts";

/** Adds one command (with its options and action) to the program. */
export type CommandRegistrar = (program: Command) => void;

/** Every command, in the order `iocscan --help` lists them. */
export const commands: CommandRegistrar[] = [
  registerScan,
  registerIndicators,
  registerMatch,
  registerCollect,
  registerResults,
  registerDemo,
];
