/**
 * Builds the collectors a scan runs from its task: scopes and presets for
 * files, EVTX files and channels for event logs, hives and key sets for the
 * registry. Offline evidence in `task.evidence` is classified here.
 *
 * @module
 */
import type { Collector } from "../collectors/collector.ts";
import type { WarningEvent } from "../contracts/events.ts";
import type { IocDocument } from "../openioc/model.ts";
import { classifyEvidence } from "./classify_evidence.ts";
import type { CollectorSource, ScanEvidence } from "./collector_descriptor.ts";
import { collectorDescriptor, collectorEvidence } from "./collector_list.ts";
import { ScanSetupError } from "./scan_setup_error.ts";
import type { ScanTask } from "./task_file.ts";

export { defaultFilePreset } from "./descriptors/file.ts";

/** The live source of each platform a descriptor can name (`Deno.build.os` → source). */
const liveSources: Readonly<Record<string, CollectorSource>> = {
  windows: "live-windows",
  linux: "live-linux",
};

/** The collectors built for a scan, and the selected ones that have nothing to read. */
export interface BuiltCollectors {
  collectors: Collector[];
  /** Selected collectors that were not built, because no source was given for them. */
  withoutSource: string[];
  /** Why, by collector name, for those whose `build()` said so (`noSource`). */
  noSourceReasons: Map<string, string>;
  /** Evidence paths that are neither an EVTX file, a hive nor a folder (or cannot be read). */
  unreadEvidence: { path: string; reason: string }[];
  /** Whether the scan reads offline evidence (then it never reads, nor acts on, this machine). */
  offline: boolean;
}

/**
 * Creates the selected collectors, in the order they run, each through its
 * descriptor (scan/collector_list.ts). A collector whose descriptor does not
 * name this scan's source (offline evidence, or this platform's live system)
 * is not built and is returned in `withoutSource`, as is one whose `build()`
 * finds nothing to read.
 *
 * A scan of offline evidence (EVTX files, hives, mounted roots, or the files
 * of a collector's evidence option such as `diskImages`) never sweeps
 * the live host's files unless a scope or preset is named as well: the file
 * collector then scans the mounted roots, or does not run at all.
 *
 * An offline scan never falls back to live sources: when evidence is named
 * and none of it can be read or recognised (and no `evtx`, `hives` or `roots`
 * are given either), nothing is built and {@linkcode ScanSetupError} says so.
 *
 * Each collector's modules load only when it is selected: a file scan does
 * not pay at start-up for the EVTX and REGF parsers (~15 ms).
 */
export async function buildCollectors(
  task: ScanTask,
  selected: readonly string[],
  documents: readonly IocDocument[],
  warn: (warning: WarningEvent) => void,
  platform: string = Deno.build.os,
): Promise<BuiltCollectors> {
  const classified = await classifyEvidence(task.evidence ?? []);
  for (const entry of classified.unknown) {
    warn({
      type: "warning",
      code: "evidence-not-recognised",
      message: `${entry.path}: ${entry.reason}`,
      file: entry.path,
    });
  }
  const evtx = [...(task.evtx ?? []), ...classified.evtx];
  const hives = [...(task.hives ?? []), ...classified.hives];
  const roots = [...(task.roots ?? []), ...classified.roots];
  const offline = evtx.length + hives.length + roots.length + collectorEvidence(task).length > 0;
  if ((task.evidence ?? []).length > 0 && !offline) {
    throw new ScanSetupError(
      `no evidence could be read (${
        classified.unknown.map((entry) => `${entry.path}: ${entry.reason}`).join("; ")
      }); an offline scan never falls back to scanning this machine`,
    );
  }
  const evidence: ScanEvidence = { evtx, hives, roots, offline, documents };
  const collectors: Collector[] = [];
  const withoutSource: string[] = [];
  const noSourceReasons = new Map<string, string>();
  for (const name of selected) {
    const descriptor = collectorDescriptor(name);
    if (descriptor === undefined) continue;
    const source = offline ? "offline" : liveSources[platform];
    if (source !== undefined && !descriptor.sources.includes(source)) {
      withoutSource.push(descriptor.name);
      continue;
    }
    const outcome = await descriptor.build(task, evidence, platform);
    if ("collector" in outcome) collectors.push(outcome.collector);
    else {
      withoutSource.push(descriptor.name);
      noSourceReasons.set(descriptor.name, outcome.noSource);
    }
  }
  return {
    collectors,
    withoutSource,
    noSourceReasons,
    unreadEvidence: classified.unknown,
    offline,
  };
}
