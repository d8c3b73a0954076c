/**
 * The antivirus hand-off's descriptor (docs/critical-scan.md): a collector of
 * findings that hands the critical set to the host's antivirus (`--antivirus
 * auto|clamav|defender|none`; auto: ClamAV on Linux, Defender on Windows).
 * The critical set is what the file-bearing critical areas list (the images
 * and modules of running processes, the autostart images, the kernel
 * modules' files), listed again by their own collectors when the hand-off
 * runs.
 *
 * @module
 */
import type { CollectorReporter } from "../../collectors/collector.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CriticalFile, CriticalSet } from "../../actions/critical_scan/mod.ts";
import type { CollectorDescriptor, ScanEvidence } from "../collector_descriptor.ts";
import { taskOption } from "../collector_descriptor.ts";
import { criticalAreaCollectors } from "../critical_areas.ts";
import { ScanSetupError } from "../scan_setup_error.ts";
import type { ScanTask } from "../scan_task.ts";
import { autorunsDescriptor } from "./autoruns.ts";
import { bootFilesDescriptor } from "./boot_files.ts";
import { driverDescriptor } from "./driver.ts";
import { processModulesDescriptor } from "./process_modules.ts";

/** The `--antivirus` values. */
const choices = ["auto", "clamav", "defender", "none"];

/**
 * The critical areas that hold files, with what to ask each for: its FileItem view (the file's
 * shown path in `FullPath`, the opened one in the provenance), or ModuleItem's `ModulePath`.
 */
const fileAreas: Readonly<
  Record<string, { descriptor: CollectorDescriptor; document: string; field: string }>
> = {
  "process-modules": {
    descriptor: processModulesDescriptor,
    document: "FileItem",
    field: "FullPath",
  },
  autoruns: { descriptor: autorunsDescriptor, document: "FileItem", field: "FullPath" },
  "boot-files": { descriptor: bootFilesDescriptor, document: "FileItem", field: "FullPath" },
  driver: { descriptor: driverDescriptor, document: "ModuleItem", field: "ModulePath" },
};

/** Lists the critical set: the files of each file-bearing critical area, each once. */
async function listCriticalSet(
  task: ScanTask,
  evidence: ScanEvidence,
  platform: string,
  signal?: AbortSignal,
): Promise<CriticalSet> {
  const files = new Map<string, CriticalFile>();
  const gaps: string[] = [];
  for (const name of criticalAreaCollectors) {
    const area = fileAreas[name];
    if (area === undefined) continue;
    const built = await area.descriptor.build(task, evidence, platform);
    if (!("collector" in built)) {
      gaps.push(`${name}: ${built.noSource}`);
      continue;
    }
    const reporter: CollectorReporter = {
      skipped(entry) {
        if (entry.unreadDocuments !== undefined) {
          gaps.push(`${name}: ${entry.object}: ${entry.detail}`);
        }
      },
      warning() {},
      progress() {},
    };
    const needs = new Map([[area.document, new Set([area.field])]]);
    for await (
      const item of built.collector.collect({ needs, reporter, ...(signal ? { signal } : {}) })
    ) {
      if (item.document !== area.document) continue;
      const shown = item.fields[area.field];
      if (typeof shown !== "string") continue;
      const openPath = area.document === "FileItem" ? item.provenance?.source ?? shown : shown;
      if (!files.has(openPath)) files.set(openPath, { path: shown, openPath });
    }
  }
  return { files: [...files.values()], gaps };
}

/** The antivirus hand-off: findings only, no objects. */
export const antivirusDescriptor: CollectorDescriptor = {
  name: "antivirus",
  documents: documentsOfCollector("antivirus"),
  sources: ["live-windows", "live-linux"],
  // Its options (`antivirus`, `clamavDatabase`) are the critical-areas scan's task's
  // (scan/critical_areas.ts, `critical-scan --antivirus`) and, for `scan`, the critical-scan
  // action's (scan/actions/critical_scan.ts, which declares them once for the task file).
  options: [],
  async build(task, evidence, platform) {
    if (evidence.offline) {
      return { noSource: "the antivirus hand-off scans the live system, not offline evidence" };
    }
    const choice = String(taskOption(task, "antivirus") ?? "auto").toLowerCase();
    if (!choices.includes(choice)) {
      throw new ScanSetupError(
        `unknown antivirus ${JSON.stringify(choice)}; known: ${choices.join(", ")}`,
      );
    }
    const av = await import("../../actions/critical_scan/mod.ts");
    const engineName = choice === "auto"
      ? platform === "linux" ? "clamav" : platform === "windows" ? "defender" : "none"
      : choice;
    const database = taskOption(task, "clamavDatabase");
    const engine = engineName === "clamav"
      ? av.clamavEngine(typeof database === "string" ? { database } : {})
      : engineName === "defender"
      ? av.defenderEngine()
      : {
        unavailable: choice === "none"
          ? "the hand-off was turned off (--antivirus none)"
          : `no antivirus hand-off on ${platform}`,
      };
    return {
      collector: av.createAntivirusCollector({
        engine,
        criticalSet: (signal) => listCriticalSet(task, evidence, platform, signal),
      }),
    };
  },
};
