/**
 * The dns collector's descriptor: the resolver cache (systemd-resolved on Linux; the DNS client cache on Windows) of the live
 * host, on Linux and Windows. Live host state is never mixed into a scan of
 * offline evidence.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The dns collector: DnsEntryItem objects, one per cached record. */
export const dnsDescriptor: CollectorDescriptor = {
  name: "dns",
  documents: documentsOfCollector("dns"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    const { createDnsCollector } = await import("../../collectors/dns/mod.ts");
    return { collector: createDnsCollector({ platform }) };
  },
};
