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
import type { CommandRunner } from "../live/mod.ts";
import { readSystemdStates, type UnitState } from "./systemd_state.ts";
import type { ServiceEntry } from "./service_entry.ts";
import type { ServiceSource, ServiceSourceResult } from "./service_source.ts";
import { readUnitFiles } from "./unit_files.ts";

/** Why `status` and `pid` are unknown when the unit files are read without systemd. */
export const unitFilesOnly =
  "read from the unit files, not from a running systemd: whether it runs is not known";

/** Options of {@linkcode linuxServiceSource}. */
export interface LinuxServiceSourceOptions {
  /** Whether systemd runs here (default: `/run/systemd/system` exists, as sd_booted() tells). */
  readonly systemd?: boolean;
  /** Recorded systemctl output, for tests (see {@linkcode readSystemdStates}). */
  readonly runners?: readonly CommandRunner[];
}

/**
 * The services configured below `root` (default `/`); on the live root with
 * systemd running, their state and main pid from systemctl.
 */
export function linuxServiceSource(
  root = "/",
  options: LinuxServiceSourceOptions = {},
): ServiceSource {
  return {
    name: "linux-unit-files",
    async read(signal?: AbortSignal): Promise<ServiceSourceResult> {
      const units = await readUnitFiles(root);
      const scripts = await readInitScripts(root);
      const entries = [...units.entries, ...scripts.entries];
      for (const entry of entries) placeImage(entry, root);
      const result: ServiceSourceResult = {
        entries,
        // A unit that may hold a service and was not read leaves ServiceItem read in part.
        skips: units.unreadable.map(({ file, reason, detail, mayHoldService }) => ({
          object: file,
          reason,
          detail,
          ...(mayHoldService ? { unreadDocuments: ["ServiceItem"] } : {}),
        })),
        warnings: [],
        unknown: { status: unitFilesOnly, pid: unitFilesOnly },
      };
      const systemd = options.systemd ?? (root === "/" && systemdRuns());
      if (systemd) {
        const states = await readSystemdStates({
          ...(options.runners ? { runners: options.runners } : {}),
          ...(signal ? { signal } : {}),
        });
        if (states.ok) {
          applyStates(entries, states.states);
          delete result.unknown;
        } else {
          const why = `systemd could not be asked: ${states.detail}`;
          result.warnings.push({ code: "systemctl-failed", message: why });
          result.unknown = { status: why, pid: why };
        }
      }
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

/** Whether systemd runs this system (sd_booted(): `/run/systemd/system` is a folder). */
function systemdRuns(): boolean {
  try {
    return Deno.statSync("/run/systemd/system").isDirectory;
  } catch {
    return false;
  }
}

/**
 * Sets each unit's status and pid; a unit systemd does not list is not
 * loaded (`inactive`, no pid). Init scripts keep theirs unknown unless
 * systemd lists them as `<name>.service` (its SysV generator).
 */
function applyStates(entries: ServiceEntry[], states: ReadonlyMap<string, UnitState>): void {
  const why = "an init script systemd does not list: whether it runs is not known";
  for (const entry of entries) {
    const unit = entry.type === "sysv" ? `${entry.name}.service` : entry.name;
    const state = states.get(unit);
    if (state !== undefined) {
      entry.status = state.status;
      if (state.pid !== undefined) entry.pid = state.pid;
    } else if (entry.type === "sysv") entry.notKnown = { status: why, pid: why };
    else entry.status = "inactive";
  }
}
