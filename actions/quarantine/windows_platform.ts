/**
 * The quarantine's Windows platform ({@linkcode QuarantinePlatform}):
 * metadata captured and re-applied (SDDL, attributes, the three FILETIMEs,
 * alternate data streams), the original deleted or its delete scheduled at
 * reboot, and the critical-file rule. The calls go through
 * {@linkcode WindowsQuarantineApi} (windows_ffi.ts over `Deno.dlopen` by
 * default, opened on first use so the platform can be built anywhere);
 * tests pass a recorded API. docs/quarantine_windows.md describes it.
 *
 * NOT YET RUN ON WINDOWS: the logic is tested on Linux with recorded API
 * results and byte layouts built by code; the FFI calls are type-checked only.
 *
 * @module
 */
import { type Environment, processEnvironment } from "../../collectors/registry/mod.ts";
import { openScmApi, type ScmApi } from "../../collectors/service/mod.ts";
import type { QuarantinePlatform } from "./contract.ts";
import type { WindowsQuarantineApi } from "./windows_api.ts";
import { applyWindowsMetadata } from "./windows_apply.ts";
import { captureWindowsMetadata } from "./windows_capture.ts";
import { WindowsCriticalFiles } from "./windows_critical.ts";
import { deleteWindowsOriginal, windowsDeleteFailure } from "./windows_delete.ts";
import { openWindowsQuarantineApi } from "./windows_ffi.ts";
import { defaultWindowsPlatformLimits, type WindowsPlatformLimits } from "./windows_limits.ts";
import { Privileges } from "./windows_privileges.ts";

/** What a Windows platform is built from; every part has a default. */
export interface WindowsPlatformOptions {
  /** Opens the Windows API (default: kernel32 and advapi32 over FFI). May throw. */
  readonly api?: () => WindowsQuarantineApi;
  /** Opens the Service Control Manager for the driver list; null for none. */
  readonly scm?: (() => ScmApi) | null;
  /** The environment (`SystemRoot`); default the process's. */
  readonly env?: Environment;
  readonly limits?: Partial<WindowsPlatformLimits>;
  /** Waits between tries (tests pass one that returns at once). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The Windows platform, with `close()` for the libraries it opened. */
export interface WindowsQuarantinePlatform extends QuarantinePlatform {
  close(): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds the Windows platform. Nothing is opened until a method needs it;
 * when the API cannot be opened, capture throws, apply and delete say so in
 * their outcome, and files under `%SystemRoot%` count as critical.
 *
 * @example
 * ```ts ignore
 * import { windowsQuarantinePlatform } from "./windows_platform.ts";
 * const platform = windowsQuarantinePlatform();
 * await platform.criticalReason("C:\\Windows\\System32\\ntoskrnl.exe", info);
 * ```
 */
export function windowsQuarantinePlatform(
  options: WindowsPlatformOptions = {},
): WindowsQuarantinePlatform {
  const openApi = options.api ?? openWindowsQuarantineApi;
  const limits = { ...defaultWindowsPlatformLimits, ...options.limits };
  const sleep = options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let session:
    | { api: WindowsQuarantineApi; privileges: Privileges }
    | { error: string }
    | undefined;
  const open = (): { api: WindowsQuarantineApi; privileges: Privileges } => {
    if (session === undefined) {
      try {
        const api = openApi();
        session = { api, privileges: new Privileges(api) };
      } catch (error) {
        session = { error: `the Windows API could not be opened: ${messageOf(error)}` };
      }
    }
    if ("error" in session) throw new Error(session.error);
    return session;
  };
  const critical = new WindowsCriticalFiles(
    () => open().api,
    options.scm === undefined ? openScmApi : options.scm,
    options.env ?? processEnvironment(),
  );
  return {
    captureMetadata(path, _file, info) {
      try {
        const { api, privileges } = open();
        return Promise.resolve(captureWindowsMetadata(api, path, info, limits, privileges));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    applyMetadata(path, metadata, streams) {
      let opened;
      try {
        opened = open();
      } catch (error) {
        return Promise.resolve([`no metadata re-applied: ${messageOf(error)}`]);
      }
      return Promise.resolve(
        applyWindowsMetadata(opened.api, path, metadata, streams, opened.privileges),
      );
    },
    deleteOriginal(path, deleteOptions) {
      let opened;
      try {
        opened = open();
      } catch (error) {
        return Promise.resolve({
          outcome: "failed",
          reason: windowsDeleteFailure.apiUnavailable,
          detail: messageOf(error),
        });
      }
      return deleteWindowsOriginal(opened.api, path, deleteOptions, limits, sleep);
    },
    criticalReason(path) {
      return Promise.resolve(critical.reason(path));
    },
    close() {
      if (session !== undefined && !("error" in session)) session.api.close();
      session = undefined;
    },
  };
}
