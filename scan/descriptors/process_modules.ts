/**
 * The process-modules collector's descriptor: the images and modules of the
 * live system's processes (Linux `/proc`; Windows: each process's image
 * through the process collector's Windows source), as FileItem objects, and
 * executable memory no file backs as findings (docs/critical-scan.md). It
 * owns no document: `--types process-modules` (the critical-areas scan)
 * runs it. Live host state is never mixed into a scan of offline evidence.
 *
 * @module
 */
import { thisComputerName } from "../../collectors/live/mod.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The process-modules collector. */
export const processModulesDescriptor: CollectorDescriptor = {
  name: "process-modules",
  documents: documentsOfCollector("process-modules"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    if (evidence.offline) {
      return { noSource: "a scan of offline evidence does not read the live processes" };
    }
    const modules = await import("../../collectors/process_modules/mod.ts");
    const computer = thisComputerName() || undefined;
    if (platform === "linux") {
      return {
        collector: modules.createProcessModulesCollector({
          source: modules.linuxModulesSource(),
          ...(computer === undefined ? {} : { computer }),
        }),
      };
    }
    if (platform === "windows") {
      const { windowsProcessSource } = await import("../../collectors/process/mod.ts");
      return {
        collector: modules.createProcessModulesCollector({
          source: modules.windowsModulesSource(windowsProcessSource()),
          ...(computer === undefined ? {} : { computer }),
        }),
      };
    }
    return { noSource: `no process source on ${platform}` };
  },
};
