/**
 * Builds the collectors a scan runs from its task: scopes and presets for
 * files, EVTX files and channels for event logs, hives and key sets for the
 * registry. Offline evidence in `task.evidence` is classified here.
 *
 * @module
 */
import type { Collector } from "../collectors/collector.ts";
import { createEventLogCollector } from "../collectors/eventlog/mod.ts";
import { createFileCollector } from "../collectors/file/mod.ts";
import { createRegistryCollector } from "../collectors/registry/mod.ts";
import type { WarningEvent } from "../engine/events.ts";
import type { IndicatorNode, IocDocument } from "../openioc/model.ts";
import type { CollectorName } from "../openioc/term_catalogue.ts";
import { resolveTerm } from "../openioc/term_catalogue.ts";
import { classifyEvidence } from "./classify_evidence.ts";
import type { ScanTask } from "./task_file.ts";

/** The preset scanned when a file scan names no scope and no preset. */
export const defaultFilePreset = "important-areas";

/** Creates the selected collectors, in the order they run. */
export async function buildCollectors(
  task: ScanTask,
  selected: readonly CollectorName[],
  documents: readonly IocDocument[],
  warn: (warning: WarningEvent) => void,
): Promise<Collector[]> {
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
  const collectors: Collector[] = [];
  for (const name of selected) {
    if (name === "file") {
      const scopes = task.scopes ?? [];
      const presets = task.presets ??
        (scopes.length === 0 && roots.length === 0 ? [defaultFilePreset] : []);
      collectors.push(createFileCollector({
        scopes: [...scopes, ...roots.map((path) => ({ path }))],
        presets,
        exclude: task.exclude ?? [],
        ...(task.maxFileSize === undefined ? {} : { maxFileSize: task.maxFileSize }),
      }));
    } else if (name === "eventlog") {
      const window = {
        channels: task.eventLogs ?? [],
        ...(task.since === undefined ? {} : { since: new Date(task.since) }),
        ...(task.until === undefined ? {} : { until: new Date(task.until) }),
      };
      // One collector reads one mounted root; extra roots get their own.
      const [firstRoot, ...otherRoots] = roots;
      collectors.push(createEventLogCollector({
        ...window,
        evtx,
        ...(firstRoot === undefined ? {} : { root: firstRoot }),
      }));
      for (const root of otherRoots) collectors.push(createEventLogCollector({ ...window, root }));
    } else if (name === "registry") {
      collectors.push(createRegistryCollector({
        hives,
        roots,
        registryKeys: task.registryKeys ?? [],
        registryFull: task.registryFull ?? false,
        iocKeyPaths: registryPathsNamedByIocs(documents),
      }));
    }
  }
  return collectors;
}

/** Key paths that RegistryItem terms name, so the registry collector always reads them. */
export function registryPathsNamedByIocs(documents: readonly IocDocument[]): string[] {
  const paths = new Set<string>();
  const visit = (node: IndicatorNode) => {
    if (node.kind === "indicator") return node.children.forEach(visit);
    const term = resolveTerm(node.context.search);
    if (term?.document !== "RegistryItem") return;
    const field = term.path.join("/");
    if ((field === "KeyPath" || field === "Path") && node.content.value.trim() !== "") {
      paths.add(node.content.value.trim());
    }
  };
  for (const document of documents) visit(document.root);
  return [...paths];
}
