/**
 * The disk collector's descriptor: the fixed disks of the live host (Linux
 * block devices, Windows physical drives), or in a scan of offline evidence
 * the raw disk images named with `diskImages` / `--disk-image` (which make the
 * scan offline by themselves). Event logs, hives and mounted roots hold no
 * disk: such a scan has nothing for it to read.
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import { type CollectorDescriptor, taskOption } from "../collector_descriptor.ts";
import { liveHostSource } from "./live_host.ts";

/** The disk collector: DiskItem objects, one per disk, with partitions and boot records. */
export const diskDescriptor: CollectorDescriptor = {
  name: "disk",
  documents: documentsOfCollector("disk"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [{
    key: "diskImages",
    kind: "strings",
    flag: "--disk-image",
    value: "files",
    help: "raw disk images (.img, .dd, .raw) for DiskItem terms (offline evidence: no live disk " +
      "is read)",
    evidence: true,
  }],
  async build(task, evidence, platform) {
    const disk = await import("../../collectors/disk/mod.ts");
    const images = (taskOption(task, "diskImages") as string[] | undefined) ?? [];
    if (evidence.offline) {
      if (images.length === 0) {
        return { noSource: "disks are read from raw disk images (--disk-image); none given" };
      }
      return { collector: disk.createDiskCollector({ source: disk.diskImageSource(images) }) };
    }
    const noSource = liveHostSource(evidence, platform);
    if (noSource !== undefined) return { noSource };
    const source = disk.liveDiskSource(platform);
    if (source === undefined) return { noSource: `no live disk source on ${platform}` };
    return { collector: disk.createDiskCollector({ source }) };
  },
};
