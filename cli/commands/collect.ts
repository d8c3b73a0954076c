/**
 * `iocscan collect <source>`: runs one collector and prints what it observed,
 * without evaluating indicators. Each source adds itself to
 * {@linkcode collectSources}.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { CollectSourceRegistrar, CommandRegistrar } from "./registrar.ts";
import { registerCollectRegistry } from "./collect_registry.ts";
import { registerCollectEventLog } from "./collect_eventlog.ts";

/** The `collect` sub-commands, in help order. */
export const collectSources: CollectSourceRegistrar[] = [
  registerCollectEventLog,
  registerCollectRegistry,
];

/** Registers the `collect` command group. */
export const registerCollect: CommandRegistrar = (program) => {
  const collect = new Command("collect").description(
    "Collect objects from one source and print them (no indicator evaluation)",
  );
  for (const register of collectSources) register(collect);
  program.addCommand(collect);
};
