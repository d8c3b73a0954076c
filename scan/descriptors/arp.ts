/**
 * The arp collector's descriptor: the neighbour table (ARP and NDP) of the live
 * host, on Linux and Windows. Live host state is never mixed into a scan of
 * offline evidence.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The arp collector: ArpEntryItem objects, one per neighbour entry. */
export const arpDescriptor: CollectorDescriptor = {
  name: "arp",
  documents: documentsOfCollector("arp"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    const { createArpCollector } = await import("../../collectors/arp/mod.ts");
    return { collector: createArpCollector({ platform }) };
  },
};
