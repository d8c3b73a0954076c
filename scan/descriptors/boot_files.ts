/**
 * The boot-files collector's descriptor (docs/critical-scan.md): the EFI system partition's boot
 * files where it is mounted (collectors/boot_files/: `/boot/efi/EFI` or `/efi/EFI` on Linux), read
 * by the file collector's machinery (its walk, limits, hashing and PE parsing) with those folders
 * as its only scopes, and yielded as a FileItem view: FileItem and PEInfo IOCs reach the boot
 * loaders outside any file scope, and the antivirus hand-off gets them in its critical set. With
 * no ESP mounted it reports an `area-not-read` notice. It owns no document: the critical areas run
 * it (scan/critical_areas.ts). On Windows the ESP has no drive letter and no volume locator is
 * built yet: it has nothing to read there (its no-source reason says so).
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The boot-files collector: the ESP's boot files, where it is mounted. */
export const bootFilesDescriptor: CollectorDescriptor = {
  name: "boot-files",
  documents: documentsOfCollector("boot-files"),
  sources: ["live-linux"],
  options: [],
  async build(task, evidence, platform) {
    if (evidence.offline) {
      return { noSource: "a scan of offline evidence does not read this host's boot partition" };
    }
    if (platform !== "linux") {
      return {
        noSource: `the EFI system partition is not located on ${platform} (no volume locator)`,
      };
    }
    const boot = await import("../../collectors/boot_files/mod.ts");
    const esp = await boot.linuxEspBootFolders();
    if (esp.folders.length === 0) {
      return { collector: boot.noEspCollector(esp.none ?? "no EFI system partition") };
    }
    const { createFileCollector } = await import("../../collectors/file/mod.ts");
    return {
      collector: boot.bootFilesCollector(createFileCollector({
        scopes: esp.folders.map((path) => ({ path })),
        presets: [],
        ...(task.maxFileSize === undefined ? {} : { maxFileSize: task.maxFileSize }),
      })),
    };
  },
};
