/**
 * The CLI flags of the collectors' task options, built from their
 * descriptors (scan/collector_descriptor.ts): `scan` offers every
 * collector's, `collect <name>` its collector's. A flag reads its value with
 * the parser of its option's kind, and lands in the task under the option's
 * key, so a flag, a task-file key and a PowerShell parameter mean the same.
 *
 * @module
 */
import { type Command, Option } from "@commander-js/extra-typings";
import type { TaskOption, TaskOptionKind } from "../scan/collector_descriptor.ts";
import type { ScanTask } from "../scan/task_file.ts";
import { toByteSize, toCount, toDurationOption, toTimeBound } from "./option_parsers.ts";

/** How each kind of option is spelt and parsed on the command line. */
const flagKinds: Readonly<
  Record<TaskOptionKind, { readonly variadic: boolean; readonly parse?: (text: string) => unknown }>
> = {
  strings: { variadic: true },
  string: { variadic: false },
  count: { variadic: false, parse: toCount },
  size: { variadic: false, parse: toByteSize },
  time: { variadic: false, parse: toTimeBound },
  duration: { variadic: false, parse: toDurationOption },
  flag: { variadic: false },
};

/** The commander option of one task option, e.g. `--event-log <names...>`. */
function flagOption(option: TaskOption): Option {
  const kind = flagKinds[option.kind];
  const value = option.value ?? "value";
  const spelling = option.kind === "flag"
    ? option.flag
    : `${option.flag} <${value}${kind.variadic ? "..." : ""}>`;
  const flag = new Option(spelling, option.help);
  return kind.parse ? flag.argParser(kind.parse) : flag;
}

/** The key commander stores a flag's value under: `--event-log` → `eventLog`. */
export function flagAttribute(option: TaskOption): string {
  return option.flag.replace(/^--/, "").replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

/**
 * What declares task options: a collector's descriptor (scan/collector_descriptor.ts), an
 * action's (scan/action_descriptor.ts), or the options every action shares.
 */
export interface OptionDeclarer {
  readonly options: readonly TaskOption[];
}

/** Adds the flags of the descriptors' task options to a command, in the descriptors' order. */
export function addCollectorFlags(
  command: Pick<Command, "addOption">,
  descriptors: readonly OptionDeclarer[],
): void {
  for (const descriptor of descriptors) {
    for (const option of descriptor.options) command.addOption(flagOption(option));
  }
}

/**
 * Copies the collector flags that were given into the task, under their
 * options' keys. Times go in as ISO 8601 text, as a task file holds them.
 */
export function applyCollectorFlags(
  task: ScanTask,
  flags: Readonly<Record<string, unknown>>,
  descriptors: readonly OptionDeclarer[],
): void {
  const fields = task as unknown as Record<string, unknown>;
  for (const descriptor of descriptors) {
    for (const option of descriptor.options) {
      const value = flags[flagAttribute(option)];
      if (value === undefined) continue;
      fields[option.key] = value instanceof Date ? value.toISOString() : value;
    }
  }
}
