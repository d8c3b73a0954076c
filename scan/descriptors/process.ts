/**
 * The process collector's descriptor: the processes of the live system, on
 * Linux (`/proc`) and Windows, with their memory (collectors/process/memory/)
 * and their ports (the port collector's table, joined by pid) when IOCs name
 * them. Live host state is never mixed into a scan of offline evidence.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The live platforms the process collector reads, by `Deno.build.os`. */
const livePlatforms = ["linux", "windows"] as const;

/** The process collector: ProcessItem objects of the running system. */
export const processDescriptor: CollectorDescriptor = {
  name: "process",
  documents: documentsOfCollector("process"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    if (evidence.offline) {
      return { noSource: "a scan of offline evidence does not read the live processes" };
    }
    if (!(livePlatforms as readonly string[]).includes(platform)) {
      return { noSource: `no process source on ${platform}` };
    }
    const {
      createProcessCollector,
      linuxProcessSource,
      ProcessMemory,
      readPortLists,
      windowsProcessSource,
    } = await import("../../collectors/process/mod.ts");
    const { readPortTable } = await import("../../collectors/port/mod.ts");
    const source = platform === "windows" ? windowsProcessSource() : linuxProcessSource();
    return {
      collector: createProcessCollector({
        source,
        // The strings searched in memory are the loaded IOCs' StringList items.
        memory: new ProcessMemory({
          collector: "process",
          documents: evidence.documents,
          platform,
        }),
        portLists: (signal) =>
          readPortLists(() => readPortTable({ platform, ...(signal ? { signal } : {}) })),
      }),
    };
  },
};
