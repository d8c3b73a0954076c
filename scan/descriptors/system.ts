/**
 * The system collector's descriptor: the live host's description (Linux,
 * Windows) or, in a scan of offline evidence, each host's SOFTWARE and
 * SYSTEM hives among the hive files or below the mounted roots.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The system collector: one SystemInfoItem per host. */
export const systemDescriptor: CollectorDescriptor = {
  name: "system",
  documents: documentsOfCollector("system"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(_task, evidence, platform) {
    const { createSystemCollector } = await import("../../collectors/system/mod.ts");
    if (evidence.offline) {
      if (evidence.hives.length === 0 && evidence.roots.length === 0) {
        return {
          noSource: "a host is described offline from its SOFTWARE and SYSTEM hives: " +
            "no hive and no mounted root",
        };
      }
      return {
        collector: createSystemCollector({
          hives: [...evidence.hives],
          roots: [...evidence.roots],
        }),
      };
    }
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    return { collector: createSystemCollector({ platform }) };
  },
};
