/**
 * The services of a live Linux system (or of a Linux root folder): systemd
 * unit files and SysV init scripts, read as files (unit_files.ts,
 * init_scripts.ts). ServiceItem on Linux is iocscan's extension of OpenIOC
 * (docs/service.md). Whether a unit runs, and its pid, come from systemd
 * only; without it they are unknown, never "stopped".
 *
 * @module
 */
import { join } from "node:path";
import { linkOutOfRoot } from "../evidence_root.ts";
import { readInitScripts } from "./init_scripts.ts";
import type { ServiceEntry } from "./service_entry.ts";
import type { ServiceSource, ServiceSourceResult } from "./service_source.ts";
import { readUnitFiles } from "./unit_files.ts";

/** Why `status` and `pid` are unknown when the unit files are read without systemd. */
export const unitFilesOnly =
  "read from the unit files, not from a running systemd: whether it runs is not known";

/** The services configured below `root` (default `/`). */
export function linuxServiceSource(root = "/"): ServiceSource {
  return {
    name: "linux-unit-files",
    async read(): Promise<ServiceSourceResult> {
      const units = await readUnitFiles(root);
      const scripts = await readInitScripts(root);
      const entries = [...units.entries, ...scripts.entries];
      for (const entry of entries) placeImage(entry, root);
      const result: ServiceSourceResult = {
        entries,
        skips: units.unreadable.map(({ file, detail }) => ({
          object: file,
          reason: "unreadable" as const,
          detail,
        })),
        warnings: [],
        unknown: { status: unitFilesOnly, pid: unitFilesOnly },
      };
      if (units.capped || scripts.capped) {
        result.skips.push({
          object: root,
          reason: "source-unavailable",
          detail: "more unit files or init scripts than the cap: the rest was not read",
          unreadDocuments: ["ServiceItem"],
        });
      }
      return result;
    },
  };
}

/** Where the entry's program is opened: its absolute path, below the root (never out of it). */
function placeImage(entry: ServiceEntry, root: string): void {
  const path = entry.path;
  if (path === undefined || path === "") return;
  if (!path.startsWith("/")) {
    entry.notOpened = `${path}: not an absolute path (systemd resolves it at start)`;
    return;
  }
  const open = root === "/" ? path : join(root, path);
  if (root !== "/" && linkOutOfRoot(open, root) !== undefined) {
    entry.notOpened = `${path}: leads out of the root ${root}`;
    return;
  }
  entry.pathOpen = open;
}
