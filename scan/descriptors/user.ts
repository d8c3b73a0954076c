/**
 * The user collector's descriptor: the accounts of the live host (Linux,
 * Windows) or, in a scan of offline evidence, of the SAM hive among the hive
 * files or below the mounted roots.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The user collector: UserItem objects, one per account. */
export const userDescriptor: CollectorDescriptor = {
  name: "user",
  documents: documentsOfCollector("user"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(_task, evidence, platform) {
    const { createUserCollector } = await import("../../collectors/user/mod.ts");
    if (evidence.offline) {
      if (evidence.hives.length === 0 && evidence.roots.length === 0) {
        return {
          noSource: "accounts are read offline from a SAM hive: no hive and no mounted root",
        };
      }
      return {
        collector: createUserCollector({
          hives: [...evidence.hives],
          roots: [...evidence.roots],
          observe: (await import("../../collectors/net_table/mod.ts")).offlineObservation,
        }),
      };
    }
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    return { collector: createUserCollector({ platform }) };
  },
};
