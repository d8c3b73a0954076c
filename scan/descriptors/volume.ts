/**
 * The volume collector's descriptor: the mounted volumes of the live host,
 * on Linux and Windows. Volumes are live state: a scan of offline evidence
 * never reads them (there is no offline source).
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The volume collector: VolumeItem objects, one per mounted volume. */
export const volumeDescriptor: CollectorDescriptor = {
  name: "volume",
  documents: documentsOfCollector("volume"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    const { createVolumeCollector } = await import("../../collectors/volume/mod.ts");
    return { collector: createVolumeCollector({ platform }) };
  },
};
