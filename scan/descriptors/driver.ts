/**
 * The driver collector's descriptor: the kernel drivers of the SYSTEM hive
 * of offline evidence (`--hive`, `--root`), or the live kernel's modules
 * (Linux `/proc/modules`; Windows through `Get-CimInstance
 * Win32_SystemDriver`).
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import { imageDrive } from "../../windows/drive_letters.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The driver collector: DriverItem and ModuleItem objects (HookItem is never produced). */
export const driverDescriptor: CollectorDescriptor = {
  name: "driver",
  documents: documentsOfCollector("driver"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(task, evidence, platform) {
    const driver = await import("../../collectors/driver/mod.ts");
    if (evidence.offline) {
      if (evidence.hives.length === 0 && evidence.roots.length === 0) {
        return { noSource: "the offline evidence holds no hive and no mounted root" };
      }
      const roots = evidence.roots.map((path) => ({
        path,
        drive: imageDrive(path, task.rootDrive),
      }));
      return {
        collector: driver.createDriverCollector({
          source: driver.hiveDriverSource({ hives: evidence.hives, roots }),
          followSymlinks: false,
          // The scanning machine is not the image's: offline objects name no computer.
          hostname: "",
        }),
      };
    }
    if (platform === "linux") {
      return {
        // Loaded modules of unknown origin are findings (docs/critical-scan.md).
        collector: driver.createDriverCollector({
          source: driver.linuxDriverSource(),
          findings: true,
        }),
      };
    }
    if (platform === "windows") {
      return { collector: driver.createDriverCollector({ source: driver.windowsDriverSource() }) };
    }
    return { noSource: `no driver source on ${platform}` };
  },
};
