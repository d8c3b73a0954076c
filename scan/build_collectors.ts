/**
 * Builds the collectors a scan runs from its task: scopes and presets for
 * files, EVTX files and channels for event logs, hives and key sets for the
 * registry. Offline evidence in `task.evidence` is classified here.
 *
 * @module
 */
import type { Collector } from "../collectors/collector.ts";
import type { WarningEvent } from "../engine/events.ts";
import { iocItems } from "../openioc/mod.ts";
import type { IocDocument } from "../openioc/model.ts";
import type { CollectorName } from "../openioc/term_catalogue.ts";
import { imageDrive } from "../windows/drive_letters.ts";
import { classifyEvidence } from "./classify_evidence.ts";
import { ScanSetupError } from "./scan_setup_error.ts";
import type { ScanTask } from "./task_file.ts";

/** The preset scanned when a file scan names no scope and no preset. */
export const defaultFilePreset = "important-areas";

/** The collectors built for a scan, and the selected ones that have nothing to read. */
export interface BuiltCollectors {
  collectors: Collector[];
  /** Selected collectors that were not built, because no source was given for them. */
  withoutSource: CollectorName[];
  /** Evidence paths that are neither an EVTX file, a hive nor a folder (or cannot be read). */
  unreadEvidence: { path: string; reason: string }[];
}

/**
 * Creates the selected collectors, in the order they run.
 *
 * A scan of offline evidence (EVTX files, hives, mounted roots) never sweeps
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
  selected: readonly CollectorName[],
  documents: readonly IocDocument[],
  warn: (warning: WarningEvent) => void,
  platform: string = Deno.build.os,
): Promise<BuiltCollectors> {
  const evidence = await classifyEvidence(task.evidence ?? []);
  for (const entry of evidence.unknown) {
    warn({
      type: "warning",
      code: "evidence-not-recognised",
      message: `${entry.path}: ${entry.reason}`,
      file: entry.path,
    });
  }
  const evtx = [...(task.evtx ?? []), ...evidence.evtx];
  const hives = [...(task.hives ?? []), ...evidence.hives];
  const roots = [...(task.roots ?? []), ...evidence.roots];
  const offline = evtx.length + hives.length + roots.length > 0;
  if ((task.evidence ?? []).length > 0 && !offline) {
    throw new ScanSetupError(
      `no evidence could be read (${
        evidence.unknown.map((entry) => `${entry.path}: ${entry.reason}`).join("; ")
      }); an offline scan never falls back to scanning this machine`,
    );
  }
  const collectors: Collector[] = [];
  const withoutSource: CollectorName[] = [];
  for (const name of selected) {
    if (name === "file") {
      const scopes = task.scopes ?? [];
      const named = scopes.length > 0 || (task.presets ?? []).length > 0;
      if (!named && offline && roots.length === 0) {
        withoutSource.push(name);
        continue;
      }
      const presets = task.presets ?? (named || offline ? [] : [defaultFilePreset]);
      const { createFileCollector } = await import("../collectors/file/mod.ts");
      collectors.push(createFileCollector({
        scopes,
        roots: roots.map((path) => ({ path, drive: imageDrive(path, task.rootDrive) })),
        presets,
        exclude: task.exclude ?? [],
        ...(task.maxFileSize === undefined ? {} : { maxFileSize: task.maxFileSize }),
      }));
    } else if (name === "eventlog") {
      const { createEventLogCollector } = await import("../collectors/eventlog/mod.ts");
      collectors.push(createEventLogCollector({
        evtx,
        roots,
        channels: task.eventLogs ?? [],
        ...(task.since === undefined ? {} : { since: new Date(task.since) }),
        ...(task.until === undefined ? {} : { until: new Date(task.until) }),
      }));
    } else if (name === "registry") {
      // Only Windows has a live registry; elsewhere hives or a mounted root are needed.
      if (hives.length === 0 && roots.length === 0 && platform !== "windows") {
        withoutSource.push(name);
        continue;
      }
      const { createRegistryCollector, registryKeyPathsOf } = await import(
        "../collectors/registry/mod.ts"
      );
      collectors.push(createRegistryCollector({
        hives,
        roots,
        registryKeys: task.registryKeys ?? [],
        registryFull: task.registryFull ?? false,
        iocKeyPaths: registryKeyPathsOf(documents.flatMap((document) => iocItems(document))),
      }));
    }
  }
  return { collectors, withoutSource, unreadEvidence: evidence.unknown };
}
