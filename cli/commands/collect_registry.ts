/**
 * `iocscan collect registry`: reads hive files (or the live registry on
 * Windows) and prints one RegistryItem per value and per value-less key,
 * then a summary whose `keys`/`values` count the whole allocated tree of
 * every hive file, whatever `--key` selects.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { CollectorReporter } from "../../collectors/collector.ts";
import { createRegistryCollector } from "../../collectors/registry/mod.ts";
import type { RegistryCollectorOptions } from "../../collectors/registry/mod.ts";
import type { IocScanEvent } from "../../contracts/events.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { exitCodeForInputs } from "../exit_rule.ts";
import { toRegistryView } from "../option_parsers.ts";
import { RegistryNdjsonWriter } from "../output/registry_ndjson.ts";
import { setExitCode } from "../command_exit_code.ts";
import type { CollectSourceRegistrar } from "./registrar.ts";
import {
  formatCollectorWarningLine,
  formatRegistryFigures,
  formatRegistryLine,
  formatSkippedLine,
} from "../../report/mod.ts";

/** Registers `iocscan collect registry`. */
export const registerCollectRegistry: CollectSourceRegistrar = (collect) => {
  const command = new Command("registry")
    .description(
      "Read registry hives (offline files with their transaction logs, or the live registry " +
        "on Windows) and print RegistryItem objects",
    )
    .option("--hive <files...>", "hive files; logs next to each are used (repeatable)", [])
    .option("--root <dirs...>", "mounted Windows volumes or triage folders (repeatable)", [])
    .option(
      "--key <paths...>",
      "only these keys and their subkeys, e.g. HKLM\\SOFTWARE\\X (repeatable)",
      [],
    )
    .option("--default-keys", "only the default autostart/persistence key set")
    .option("--view <bits>", "live registry view: 64 or 32", toRegistryView, 64 as const)
    .option("--json", "write NDJSON events to stdout");
  command.action(async (flags) => {
    setExitCode(command, await collectRegistryAction(flags));
  });
  collect.addCommand(command);
};

interface RegistryFlags {
  hive: string[];
  root: string[];
  key: string[];
  defaultKeys?: true;
  view: 64 | 32;
  json?: true;
}

async function collectRegistryAction(flags: RegistryFlags): Promise<number> {
  const offline = flags.hive.length > 0 || flags.root.length > 0;
  if (!offline && Deno.build.os !== "windows") {
    console.error(
      "iocscan collect registry: give --hive FILE or --root DIR (no live registry here)",
    );
    return ExitCode.Error;
  }
  const json = flags.json === true;
  const out = new RegistryNdjsonWriter();
  const emit = (event: IocScanEvent) => {
    if (json) out.event(event);
  };
  // Roots without hives and a live registry that cannot be read are inputs not read, as
  // are hives that fail to mount (stats.failedHives).
  const givenRoots = new Set(flags.root);
  let sourcesNotRead = 0;
  const reporter: CollectorReporter = {
    skipped(entry) {
      if (givenRoots.has(entry.object) || entry.object === "live registry") sourcesNotRead++;
      if (json) emit({ type: "skipped", ...entry });
      else console.error(formatSkippedLine(entry));
    },
    warning(entry) {
      if (json) emit({ type: "warning", ...entry });
      else console.error(formatCollectorWarningLine(entry, true));
    },
    progress() {},
  };
  const options: RegistryCollectorOptions = {
    hives: flags.hive,
    roots: flags.root,
    liveView: flags.view,
  };
  if (flags.key.length > 0) {
    options.registryKeys = flags.key;
    options.defaultKeySet = false;
  } else if (!flags.defaultKeys) options.registryFull = true;
  const collector = createRegistryCollector(options);
  const started = performance.now();
  const request = { needs: new Map(), reporter };
  if (json) {
    // Keys go straight to NDJSON bytes: the same lines as items, without building them.
    for await (const key of collector.collectKeys(request)) out.writeKey(key);
  } else {
    for await (const item of collector.collect(request)) out.line(formatRegistryLine(item));
  }
  const stats = collector.stats;
  const summary = {
    type: "summary" as const,
    hives: stats.hives,
    failedHives: stats.failedHives,
    keys: stats.keys,
    values: stats.values,
    items: stats.items,
    recovered: stats.recovered,
    warnings: stats.warnings,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (json) emit(summary);
  else out.line(formatRegistryFigures(stats));
  out.flush();
  const failed = stats.failedHives + sourcesNotRead;
  return exitCodeForInputs({ inputs: stats.hives + failed, failed });
}
