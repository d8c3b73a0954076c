/**
 * The url-history collector's descriptor: the browser history of every user
 * of the live host (Linux or Windows), or of the `Users` folder of each
 * mounted Windows image (`--root`) in a scan of offline evidence. Event
 * logs and hives alone hold no browser history: such a scan has nothing for
 * it to read.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import { imageDrive } from "../../windows/drive_letters.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The url-history collector: UrlHistoryItem objects, one per URL of each profile's history. */
export const urlHistoryDescriptor: CollectorDescriptor = {
  name: "url-history",
  documents: documentsOfCollector("url-history"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(task, evidence, platform) {
    const history = await import("../../collectors/url_history/mod.ts");
    if (evidence.offline) {
      if (evidence.roots.length === 0) {
        return { noSource: "browser history is read below mounted images (--root); none given" };
      }
      const roots = evidence.roots.map((path) => ({
        path,
        drive: imageDrive(path, task.rootDrive),
      }));
      return {
        collector: history.createUrlHistoryCollector({
          homes: history.offlineHomeSource(roots),
          observe: (await import("../../collectors/net_table/mod.ts")).offlineObservation,
        }),
      };
    }
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    return { collector: history.createUrlHistoryCollector({ platform }) };
  },
};
