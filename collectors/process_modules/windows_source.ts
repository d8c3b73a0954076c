/**
 * The images of every Windows process, from the process collector's own
 * source (the Windows API, `windowsProcessSource()`): each process's image,
 * opened by its path. The modules (DLLs) of a Windows process are not read
 * (the process collector does not enumerate them yet: no
 * `EnumProcessModulesEx`), nor its executable memory: the source says so in
 * one warning, never silently. Not run on Windows yet (docs/critical-scan.md).
 *
 * @module
 */
import type { ProcessSource } from "../process/mod.ts";
import type { ProcessModulesEvent, ProcessModulesSource } from "./source.ts";

/** The warning that names what this source does not read. */
export const windowsModulesNotRead = "process-modules-not-read";

/** Wraps a process source (the live Windows API one) as a source of images. */
export function windowsModulesSource(processes: ProcessSource): ProcessModulesSource {
  return {
    name: processes.name,
    async *processes(signal): AsyncGenerator<ProcessModulesEvent> {
      yield {
        warning: true,
        code: windowsModulesNotRead,
        message: "the modules (DLLs) and executable memory of Windows processes are not read: " +
          "only each process's image is hashed",
      };
      const needs = { user: false, handles: false, libraries: false, image: true };
      for await (const event of processes.processes(needs, signal)) {
        if ("warning" in event) {
          yield { warning: true, code: event.code, message: event.message };
        } else if ("skip" in event) {
          yield {
            skip: true,
            object: event.object,
            reason: event.reason,
            detail: event.detail,
            ...(event.listing ? { listing: true as const } : {}),
          };
        } else {
          const path = event.imagePath;
          yield {
            pid: event.pid,
            name: event.name ?? "",
            files: path === undefined ? [] : [{
              kind: "image",
              path,
              openPath: event.imageOpenPath ?? path,
              realPath: event.imageOpenPath ?? path,
              deleted: false,
              identity: path.toLowerCase(),
            }],
            anonymous: [],
          };
        }
      }
    },
  };
}
