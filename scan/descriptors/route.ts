/**
 * The route collector's descriptor: the routing tables of the live
 * host, on Linux and Windows. Live host state is never mixed into a scan of
 * offline evidence.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The route collector: RouteEntryItem objects, one per route. */
export const routeDescriptor: CollectorDescriptor = {
  name: "route",
  documents: documentsOfCollector("route"),
  sources: ["live-windows", "live-linux"],
  options: [],
  async build(_task, evidence, platform) {
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    const { createRouteCollector } = await import("../../collectors/route/mod.ts");
    return { collector: createRouteCollector({ platform }) };
  },
};
