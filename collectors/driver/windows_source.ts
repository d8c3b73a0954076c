/**
 * The kernel drivers of a live Windows system, from `Get-CimInstance
 * Win32_SystemDriver` or, first, the Service Control Manager over FFI
 * (collectors/service/windows_drivers.ts): a running
 * driver is loaded (DriverItem and ModuleItem), a stopped one only
 * configured (DriverItem). Neither gives the load address: `ImageBase` and
 * `ImageSize` are unknown. Not yet run on Windows: tested on recorded
 * output. (`EnumDeviceDrivers` + `GetDeviceDriverFileNameW`, which would
 * give load addresses, are not called.)
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import type { Environment } from "../registry/mod.ts";
import { type ScmApi, windowsDriverEntries } from "../service/mod.ts";
import type { DriverSource, DriverSourceResult } from "./driver_source.ts";

/** The states of a loaded driver, as CIM (`Running`) and the SCM (`SERVICE_RUNNING`) say it. */
const runningStates: ReadonlySet<string> = new Set(["running", "service_running"]);

/** Why a live Windows driver's load address is unknown. */
export const noLoadAddress = "the Service Control Manager and CIM do not give the load address";

/** The live Windows drivers (SCM, else CIM); tests pass a recorded runner and API (or null). */
export function windowsDriverSource(
  runner?: CommandRunner,
  env?: Environment,
  api?: (() => ScmApi) | null,
): DriverSource {
  return {
    name: "cim-win32-systemdriver",
    async read(signal?: AbortSignal): Promise<DriverSourceResult> {
      const read = await windowsDriverEntries(runner, env, api, signal);
      return {
        records: read.entries.map((entry) => ({
          name: entry.name,
          key: entry.sourceKey,
          loaded: runningStates.has(entry.status?.toLowerCase() ?? ""),
          unknown: { ImageBase: noLoadAddress, ImageSize: noLoadAddress },
          ...(entry.status !== undefined ? { state: entry.status } : {}),
          ...(entry.path !== undefined ? { path: entry.path } : {}),
          ...(entry.pathOpen !== undefined ? { pathOpen: entry.pathOpen } : {}),
          ...(entry.notOpened !== undefined ? { notOpened: entry.notOpened } : {}),
        })),
        skips: read.skips,
        warnings: read.warnings,
      };
    },
  };
}
