/**
 * `deleteOriginal` on Windows: read-only cleared, `DeleteFileW`; on a
 * running image (`ERROR_ACCESS_DENIED`, `ERROR_SHARING_VIOLATION`) either the
 * processes running it stopped first (`terminate`: only those whose image,
 * asked of the same process handle, is this file) and the delete tried again,
 * or the delete scheduled for the next boot with
 * `MoveFileExW(MOVEFILE_DELAY_UNTIL_REBOOT)` (administrators only, never on a
 * network path) and read back from `PendingFileRenameOperations`. A delete is
 * only `deleted` once `GetFileAttributesW` says the name is gone.
 *
 * @module
 */
import {
  decodePendingRenames,
  fileApi,
  fileAttribute,
  settableFileAttributes,
} from "../../windows/layouts/mod.ts";
import {
  driveRoot,
  isUncPath,
  ntObjectPath,
  sameWindowsPath,
  win32ApiPath,
  win32Error,
} from "../../windows/mod.ts";
import type { DeleteOutcome } from "./contract.ts";
import type { WindowsQuarantineApi } from "./windows_api.ts";
import type { WindowsPlatformLimits } from "./windows_limits.ts";

/** The `reason` of a failed delete, as data. */
export const windowsDeleteFailure = {
  /** Access denied and no delete at reboot either (not an administrator). */
  permission: "permission",
  /** In use on a network share: a delete at reboot cannot be scheduled there. */
  networkPath: "network-path",
  /** `MoveFileExW` failed, or its entry is not in `PendingFileRenameOperations`. */
  notScheduled: "not-scheduled",
  /** `DeleteFileW` succeeded but the name is still there (another handle keeps it). */
  stillThere: "still-there",
  /** Any other error of `DeleteFileW`. */
  deleteError: "delete-error",
  /** The Windows API could not be opened (no FFI permission, a library missing). */
  apiUnavailable: "api-unavailable",
} as const;

/** The exit code given to a process stopped to delete its image. */
export const terminateExitCode = 1;

/** Errors of `DeleteFileW` on a file in use (a mapped image, an open handle without share-delete). */
const inUseErrors: ReadonlySet<number> = new Set([
  win32Error.ERROR_ACCESS_DENIED,
  win32Error.ERROR_SHARING_VIOLATION,
]);

/** Errors that say there is no such file. */
const goneErrors: ReadonlySet<number> = new Set([
  win32Error.ERROR_FILE_NOT_FOUND,
  win32Error.ERROR_PATH_NOT_FOUND,
]);

/** The options of one delete. */
export interface WindowsDeleteOptions {
  readonly terminate: boolean;
  readonly pids: readonly number[];
}

function failed(reason: string, detail: string): DeleteOutcome {
  return { outcome: "failed", reason, detail };
}

/** Stops the processes whose image is `path`; returns how many ended, and what was done in words. */
async function stopProcesses(
  api: WindowsQuarantineApi,
  path: string,
  pids: readonly number[],
  limits: WindowsPlatformLimits,
  steps: string[],
): Promise<number> {
  let ended = 0;
  for (const pid of new Set(pids)) {
    const opened = api.openProcess(pid);
    if (!opened.ok) {
      steps.push(`pid ${pid} not stopped: ${opened.error}`);
      continue;
    }
    const process = opened.value;
    try {
      // Asked of the handle that will be terminated: a reused pid cannot slip in between.
      const image = process.imagePath();
      if (!image.ok) {
        steps.push(`pid ${pid} not stopped: its image could not be read (${image.error})`);
        continue;
      }
      if (!sameWindowsPath(image.value, path)) {
        steps.push(`pid ${pid} not stopped: it runs ${image.value}, not this file`);
        continue;
      }
      const terminated = process.terminate(terminateExitCode);
      if (!terminated.ok) {
        steps.push(`pid ${pid} not stopped: ${terminated.error}`);
        continue;
      }
      const waited = process.waitForExit(limits.terminateWaitMs);
      if (waited.ok && waited.value) {
        ended++;
        steps.push(`pid ${pid} stopped`);
      } else {
        steps.push(
          `pid ${pid} terminated but not ended within ${limits.terminateWaitMs} ms` +
            (waited.ok ? "" : ` (${waited.error})`),
        );
      }
    } finally {
      process.close();
    }
    // Let the loop yield between processes (the caller's signal, timers).
    await Promise.resolve();
  }
  return ended;
}

/** Whether the name is gone, looking again while a delete is pending. */
async function verifyGone(
  api: WindowsQuarantineApi,
  apiPath: string,
  limits: WindowsPlatformLimits,
  sleep: (ms: number) => Promise<void>,
): Promise<{ gone: true } | { gone: false; why: string }> {
  let why = "";
  for (let look = 0; look < limits.deletePendingLooks; look++) {
    const attributes = api.getFileAttributes(apiPath);
    if (!attributes.ok && goneErrors.has(attributes.code)) return { gone: true };
    why = attributes.ok
      ? "GetFileAttributesW still finds it"
      : `GetFileAttributesW: ${attributes.error}`;
    await sleep(limits.retryDelayMs);
  }
  return { gone: false, why };
}

/** Schedules the delete at reboot and reads the schedule back. */
function scheduleAtReboot(
  api: WindowsQuarantineApi,
  path: string,
  apiPath: string,
  why: string,
): DeleteOutcome {
  const root = driveRoot(path);
  if (isUncPath(path) || (root !== undefined && api.driveType(root) === fileApi.DRIVE_REMOTE)) {
    return failed(
      windowsDeleteFailure.networkPath,
      `${why}; a delete at reboot cannot be scheduled on a network path: the file stays`,
    );
  }
  const moved = api.moveFileDelayUntilReboot(apiPath);
  if (!moved.ok) {
    if (moved.code === win32Error.ERROR_ACCESS_DENIED) {
      return failed(
        windowsDeleteFailure.permission,
        `${why}; ${moved.error} ` +
          "(scheduling a delete at reboot needs an administrator)",
      );
    }
    return failed(
      windowsDeleteFailure.notScheduled,
      `${why}; ${moved.error}`,
    );
  }
  const nt = ntObjectPath(path);
  const scheduled = `${why}; deleted at the next reboot (MoveFileExW MOVEFILE_DELAY_UNTIL_REBOOT)`;
  const list = api.pendingFileRenameOperations();
  if (!list.ok) {
    return {
      outcome: "pending-reboot",
      detail: `${scheduled}; PendingFileRenameOperations could not be read back (${list.error})`,
    };
  }
  const pairs = list.value === undefined ? [] : decodePendingRenames(list.value);
  const found = pairs.some((pair) =>
    pair.target === "" && pair.source.toUpperCase() === nt.toUpperCase()
  );
  if (!found) {
    return failed(
      windowsDeleteFailure.notScheduled,
      `${why}; MoveFileExW succeeded but ${nt} is not in PendingFileRenameOperations ` +
        `(${pairs.length} operations there)`,
    );
  }
  return {
    outcome: "pending-reboot",
    detail: `${scheduled}; ${nt} in PendingFileRenameOperations`,
  };
}

/** Deletes the file at `path` (see the module's description). */
export async function deleteWindowsOriginal(
  api: WindowsQuarantineApi,
  path: string,
  options: WindowsDeleteOptions,
  limits: WindowsPlatformLimits,
  sleep: (ms: number) => Promise<void>,
): Promise<DeleteOutcome> {
  const apiPath = win32ApiPath(path);
  const before = api.getFileAttributes(apiPath);
  // Already gone (something else removed it after the copy): the state asked for, checked.
  if (!before.ok && goneErrors.has(before.code)) return { outcome: "deleted" };
  const readOnly = before.ok && (before.value & fileAttribute.READONLY) !== 0;
  const steps: string[] = [];
  if (readOnly) {
    const cleared = (before.value & settableFileAttributes & ~fileAttribute.READONLY) ||
      fileAttribute.NORMAL;
    const set = api.setFileAttributes(apiPath, cleared);
    if (!set.ok) steps.push(`read-only could not be cleared (${set.error})`);
  }
  /** Puts read-only back on a file that stays. */
  const keep = (outcome: DeleteOutcome): DeleteOutcome => {
    if (readOnly && outcome.outcome === "failed") api.setFileAttributes(apiPath, before.value);
    return outcome;
  };
  let deleted = api.deleteFile(apiPath);
  if (!deleted.ok && inUseErrors.has(deleted.code) && options.terminate) {
    const ended = options.pids.length === 0
      ? (steps.push("no process was named to stop"), 0)
      : await stopProcesses(api, path, options.pids, limits, steps);
    for (let attempt = 0; ended > 0 && attempt < limits.deleteRetries; attempt++) {
      deleted = api.deleteFile(apiPath);
      if (deleted.ok || !inUseErrors.has(deleted.code)) break;
      await sleep(limits.retryDelayMs);
    }
  }
  const said = steps.length > 0 ? ` (${steps.join("; ")})` : "";
  if (deleted.ok) {
    const gone = await verifyGone(api, apiPath, limits, sleep);
    if (gone.gone) return { outcome: "deleted" };
    return keep(failed(
      windowsDeleteFailure.stillThere,
      `DeleteFileW succeeded but the name is still there: ${gone.why} ` +
        `(another handle keeps it open; it goes when that handle closes)${said}`,
    ));
  }
  if (!inUseErrors.has(deleted.code)) {
    return keep(failed(windowsDeleteFailure.deleteError, `${deleted.error}${said}`));
  }
  return keep(scheduleAtReboot(api, path, apiPath, `${deleted.error}${said}`));
}
