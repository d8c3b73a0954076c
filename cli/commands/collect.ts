/**
 * `iocscan collect <name>`: runs one collector and prints what it observed,
 * without evaluating indicators. There is one sub-command per collector of
 * scan/collector_list.ts: the event log and registry collectors have their
 * own (with flags of their own, such as `--events` and `--view`); every other
 * collector gets the one built from its descriptor (collect_collector.ts).
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { collectorDescriptors } from "../../scan/collector_list.ts";
import type { CollectSourceRegistrar, CommandRegistrar } from "./registrar.ts";
import { registerCollectRegistry } from "./collect_registry.ts";
import { registerCollectEventLog } from "./collect_eventlog.ts";
import { collectSourceOf } from "./collect_collector.ts";

/** The collectors whose `collect` sub-command is written by hand, by collector name. */
export const collectSources: Readonly<Record<string, CollectSourceRegistrar>> = {
  eventlog: registerCollectEventLog,
  registry: registerCollectRegistry,
};

/** Registers the `collect` command group: one sub-command per collector, in run order. */
export const registerCollect: CommandRegistrar = (program) => {
  const collect = new Command("collect").description(
    "Collect objects from one source and print them (no indicator evaluation)",
  );
  for (const descriptor of collectorDescriptors) {
    const register = collectSources[descriptor.name] ?? collectSourceOf(descriptor);
    register(collect);
  }
  program.addCommand(collect);
};
