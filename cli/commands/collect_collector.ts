/**
 * The `collect <name>` sub-command built from a collector's descriptor: its
 * task options as flags, offline evidence as `--evidence` and `--root`, and
 * every field of its documents asked for. It prints one line per object (or
 * an `item` event with `--json`), then a summary with the objects counted per
 * document and the collector's `stats`.
 *
 * Exit codes follow cli/exit_rule.ts: 0 when the collector ran, 2 when it has
 * nothing to read here or could read nothing, 3 when objects were skipped or
 * some evidence could not be recognised.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { CollectorReporter } from "../../collectors/collector.ts";
import type { IocScanEvent } from "../../contracts/events.ts";
import { allTerms } from "../../openioc/term_catalogue.ts";
import { escapeTerminalText } from "../../report/mod.ts";
import { classifyEvidence } from "../../scan/classify_evidence.ts";
import type { CollectorDescriptor } from "../../scan/collector_descriptor.ts";
import type { ScanTask } from "../../scan/task_file.ts";
import { collectorEvidence } from "../../scan/collector_list.ts";
import { addCollectorFlags, applyCollectorFlags } from "../collector_flags.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { exitCodeForInputs } from "../exit_rule.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { setExitCode } from "../command_exit_code.ts";
import type { CollectSourceRegistrar } from "./registrar.ts";

/** The `collect` sub-command of a collector that has no hand-written one. */
export function collectSourceOf(descriptor: CollectorDescriptor): CollectSourceRegistrar {
  return (collect) => {
    const command = new Command(descriptor.name)
      .description(
        descriptor.documents.length === 0
          ? `Run the ${descriptor.name} collector and print its findings`
          : `Run the ${descriptor.name} collector and print ${
            descriptor.documents.join(", ")
          } objects`,
      )
      .option("--evidence <paths...>", "offline evidence: EVTX files, hives or mounted roots")
      .option("--root <dirs...>", "mounted images or triage folders (Windows layout)");
    addCollectorFlags(command, [descriptor]);
    command.option("--json", "write NDJSON events to stdout");
    command.action(async () => {
      setExitCode(command, await collectAction(descriptor, command.opts()));
    });
    collect.addCommand(command);
  };
}

async function collectAction(
  descriptor: CollectorDescriptor,
  flags: Readonly<Record<string, unknown>>,
): Promise<number> {
  const place = `iocscan collect ${descriptor.name}`;
  const json = flags.json === true;
  const task: ScanTask = { version: 1, iocPaths: [] };
  applyCollectorFlags(task, flags, [descriptor]);
  const classified = await classifyEvidence((flags.evidence as string[] | undefined) ?? []);
  for (const entry of classified.unknown) {
    console.error(escapeTerminalText(`${place}: ${entry.path}: ${entry.reason}`));
  }
  const roots = [...((flags.root as string[] | undefined) ?? []), ...classified.roots];
  const offline = roots.length + classified.evtx.length + classified.hives.length +
      collectorEvidence(task).length >
    0;
  if (classified.unknown.length > 0 && !offline) return ExitCode.Error;
  const outcome = await descriptor.build(
    task,
    { evtx: classified.evtx, hives: classified.hives, roots, offline, documents: [] },
    Deno.build.os,
  );
  if (!("collector" in outcome)) {
    console.error(escapeTerminalText(`${place}: nothing to read here: ${outcome.noSource}`));
    return ExitCode.Error;
  }
  const collector = outcome.collector;
  const writer = new OutputWriter();
  const emit = (event: IocScanEvent) => writer.event(event);
  let skipped = 0;
  let findingDetected = false;
  const reporter: CollectorReporter = {
    skipped(entry) {
      if (entry.reason !== "symlink") skipped++;
      if (json) emit({ type: "skipped", ...entry });
      else {
        console.error(escapeTerminalText(
          `skipped ${entry.object}: ${entry.reason}${entry.detail ? ` (${entry.detail})` : ""}`,
        ));
      }
    },
    warning(entry) {
      if (json) emit({ type: "warning", ...entry });
      else console.error(escapeTerminalText(`warning ${entry.code}: ${entry.message}`));
    },
    progress() {},
    // Findings (docs/critical-scan.md: process-modules, driver, antivirus) are written too.
    finding(entry) {
      if (entry.severity === "detection") findingDetected = true;
      if (json) emit({ type: "finding", ...entry });
      else {
        console.error(escapeTerminalText(
          `finding ${entry.kind} (${entry.severity}) ${entry.object}: ${entry.detail}`,
        ));
      }
    },
  };
  const needs = new Map(
    collector.documents.map((document) => [document, fieldsOf(document)] as const),
  );
  const started = performance.now();
  const counts: Record<string, number> = {};
  for await (const item of collector.collect({ needs, reporter })) {
    counts[item.document] = (counts[item.document] ?? 0) + 1;
    // Costly fields (hashes, PE data) are computed on demand: here every one is wanted.
    const lazy = item.lazy;
    const wanted = lazy
      ? [...(needs.get(item.document) ?? [])].filter((n) => lazy.provides(n))
      : [];
    const fields = lazy && wanted.length > 0
      ? { ...item.fields, ...await lazy.load(wanted) }
      : item.fields;
    // What could not be read on this object, the loads' too: unknown, which is not absent.
    const unevaluated = {
      ...item.unevaluated,
      ...(lazy && wanted.length > 0 ? lazy.unevaluated?.() : undefined),
    };
    // The fields go under `fields`, so that a field named `type` cannot take the event's.
    if (json) {
      writer.event({
        type: "item",
        document: item.document,
        key: item.key,
        fields,
        ...(item.provenance === undefined ? {} : { provenance: item.provenance }),
        ...(Object.keys(unevaluated).length === 0 ? {} : { unevaluated }),
      });
    } else writer.line(escapeTerminalText(`${item.document} ${item.key}`));
  }
  const objects = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const summary = {
    type: "summary" as const,
    items: counts,
    ...(collector.stats === undefined ? {} : { stats: collector.stats }),
    elapsedMs: Math.round(performance.now() - started),
  };
  if (json) writer.event(summary);
  else writer.line(`${objects} object(s), ${skipped} skipped`);
  writer.flush();
  // Evidence that could not be recognised is an input not read, like a skipped object.
  const unread = classified.unknown.length;
  if (findingDetected) return ExitCode.Detected;
  return exitCodeForInputs({ inputs: objects + skipped + unread, failed: skipped + unread });
}

/** The top-level fields of a document that the catalogue knows: all of them are asked for. */
function fieldsOf(document: string): ReadonlySet<string> {
  return new Set(
    allTerms().filter((term) => term.document === document).map((term) => term.path[0]!),
  );
}
