/**
 * The file collector's descriptor: scopes and presets on the live system,
 * or the files below mounted roots of offline evidence.
 *
 * @module
 */
import { imageDrive } from "../../windows/drive_letters.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The preset scanned when a file scan names no scope and no preset. */
export const defaultFilePreset = "important-areas";

/** The file collector: FileItem objects, with hashes and PE details as the IOCs need them. */
export const fileDescriptor: CollectorDescriptor = {
  name: "file",
  documents: documentsOfCollector("file"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [
    {
      key: "presets",
      kind: "strings",
      flag: "--preset",
      value: "names",
      help: "scan presets: important-areas, all-drives",
    },
    {
      key: "exclude",
      kind: "strings",
      flag: "--exclude",
      value: "globs",
      help: "skip paths matching these globs",
    },
    {
      key: "maxFileSize",
      kind: "count",
      flag: "--max-file-size",
      value: "bytes",
      help: "skip files larger than this",
    },
  ],
  async build(task, evidence) {
    const scopes = task.scopes ?? [];
    const named = scopes.length > 0 || (task.presets ?? []).length > 0;
    if (!named && evidence.offline && evidence.roots.length === 0) {
      return { noSource: "an offline scan with no mounted root and no scope or preset" };
    }
    const presets = task.presets ?? (named || evidence.offline ? [] : [defaultFilePreset]);
    const { createFileCollector } = await import("../../collectors/file/mod.ts");
    return {
      collector: createFileCollector({
        scopes,
        roots: evidence.roots.map((path) => ({ path, drive: imageDrive(path, task.rootDrive) })),
        presets,
        exclude: task.exclude ?? [],
        ...(task.maxFileSize === undefined ? {} : { maxFileSize: task.maxFileSize }),
      }),
    };
  },
};
