/**
 * The port collector's descriptor: the live host's TCP and UDP tables, on
 * Linux and Windows. Live host state is never mixed into a scan of offline
 * evidence.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The platforms with a live connection-table source. */
const livePlatforms: readonly string[] = ["linux", "windows"];

/** The port collector: PortItem objects, one per TCP or UDP endpoint. */
export const portDescriptor: CollectorDescriptor = {
  name: "port",
  documents: documentsOfCollector("port"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    if (evidence.offline) {
      return { noSource: "an offline evidence scan never reads the live host's connections" };
    }
    if (!livePlatforms.includes(platform)) {
      return { noSource: `no connection-table source on ${platform}` };
    }
    const { createPortCollector } = await import("../../collectors/port/mod.ts");
    return { collector: createPortCollector({ platform }) };
  },
};
