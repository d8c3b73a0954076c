/**
 * Raw disk images (`.img`, `.dd`, `.raw`: a byte-for-byte copy of a disk) as
 * the disk collector's source: each opened through the evidence opener
 * (regular files only, checked on the open descriptor, never read past the
 * size it reported).
 *
 * @module
 */
import { basename } from "node:path";
import { openEvidenceFile } from "../evidence_file.ts";
import { boundedByteSource } from "./byte_source_of.ts";
import type { DiskEntry, DiskSource } from "./disk_source.ts";

/** The source as skips name it. */
export const imageSourceName = "disk images";

/** The disk images at `paths`, in the order given. */
export function diskImageSource(paths: readonly string[]): DiskSource {
  return {
    name: imageSourceName,
    offline: true,
    list() {
      const disks: DiskEntry[] = paths.map((path) => ({
        name: basename(path),
        devicePath: path,
        type: "image",
        evidenceFile: path,
        open() {
          const opened = openEvidenceFile(path, { kind: "disk image" });
          if (!("readAt" in opened)) {
            return Promise.resolve({ refused: true, reason: opened.reason, detail: opened.detail });
          }
          return Promise.resolve({
            source: boundedByteSource(opened.size, (buffer, at) => opened.readAt(buffer, at)),
            close: () => opened.close(),
          });
        },
      }));
      return Promise.resolve({ ok: true, disks });
    },
  };
}
