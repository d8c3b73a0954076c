/**
 * The service collector's descriptor: the SYSTEM hive of offline evidence
 * (`--hive`, `--root`), or the live system's services (Linux unit files and
 * init scripts; Windows through `Get-CimInstance Win32_Service` and the
 * live registry's service keys).
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import { imageDrive } from "../../windows/drive_letters.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The service collector: ServiceItem objects. */
export const serviceDescriptor: CollectorDescriptor = {
  name: "service",
  documents: documentsOfCollector("service"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(task, evidence, platform) {
    const service = await import("../../collectors/service/mod.ts");
    if (evidence.offline) {
      if (evidence.hives.length === 0 && evidence.roots.length === 0) {
        return { noSource: "the offline evidence holds no hive and no mounted root" };
      }
      const roots = evidence.roots.map((path) => ({
        path,
        drive: imageDrive(path, task.rootDrive),
      }));
      return {
        collector: service.createServiceCollector({
          source: service.hiveServiceSource({
            hives: evidence.hives,
            roots,
            documents: ["ServiceItem"],
          }),
          followSymlinks: false,
          // The scanning machine is not the image's: offline objects name no computer.
          hostname: "",
        }),
      };
    }
    if (platform === "linux") {
      return {
        collector: service.createServiceCollector({ source: service.linuxServiceSource() }),
      };
    }
    if (platform === "windows") {
      return {
        collector: service.createServiceCollector({ source: service.windowsServiceSource() }),
      };
    }
    return { noSource: `no service source on ${platform}` };
  },
};
